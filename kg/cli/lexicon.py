"""`kg lexicon`: the event lexicon's coverage of the CAMEO codes (kg.extract.coverage)."""
from __future__ import annotations

import json

import click

from kg.cli.app import main


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--missing", is_flag=True, help="List only the CAMEO codes no lexicon row points at.")
def lexicon(fmt: str, missing: bool) -> None:
    """Report the event lexicon's coverage: rows per CAMEO code, the share of codes reachable."""
    from kg.extract.coverage import lexicon_coverage

    report = lexicon_coverage()
    if fmt == "json":
        click.echo(json.dumps(report.as_json(missing), indent=2))
        return
    for line in report.text_lines(missing):
        click.echo(line)
