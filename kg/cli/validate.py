"""`kg validate`: a graph against the SHACL shapes (kg.views.validate)."""
from __future__ import annotations

import json
import sys

import click

from kg.cli.app import main



@main.command()
@click.argument("graph")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(graph: str, fmt: str) -> None:
    """Check GRAPH against the SHACL shapes of a well-formed kg graph (ontology/shapes.ttl).

    Exit code 0 when it conforms, 1 when it does not, 2 when GRAPH cannot be read.
    """
    from kg.views.validate import format_report, report_record, validate_file

    report = validate_file(graph)
    if fmt == "json":
        click.echo(json.dumps(report_record(report), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report, graph), nl=False)
    if not report.conforms:
        sys.exit(1)
