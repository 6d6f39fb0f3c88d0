"""`kg ontology`: a reference of the ontology (kg.views.reference)."""
from __future__ import annotations

import click

from kg.cli.app import main



@main.command()
@click.option("--codes", "all_codes", is_flag=True, help="List every CAMEO event class, not only the 20 roots.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def ontology(all_codes: bool, fmt: str) -> None:
    """Print a reference of the ontology: classes, properties (domain, range) and CAMEO codes
    (Goldstein value, quad class, PLOVER category), read from the shipped Turtle."""
    from kg.views.reference import format_reference, ontology_reference

    click.echo(format_reference(ontology_reference(), fmt, all_codes=all_codes), nl=False)
