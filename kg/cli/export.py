"""`kg export`: a graph in another format (kg.views.export)."""
from __future__ import annotations

from pathlib import Path

import click

from kg.cli.app import main
from kg.cli.common import check_not_inputs, check_writable
from kg.errors import InputError, KgError
from kg.files import write_atomic
from kg.store import load_dataset
from kg.views import export as export_mod


@main.command()
@click.argument("graph")
@click.option("--format", "fmt", help=f"One of: {', '.join(export_mod.EXPORT_FORMATS)}, or rdflib's name "
                                      "(turtle, ntriples, nquads, json-ld, xml, trig); default: the one the -o "
                                      "file's suffix names. csv is the network's event edge list, not RDF; "
                                      "events-csv and events-tsv the event table (one row per coded event).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout); never GRAPH itself.")
def export(graph: str, fmt: str | None, output: str | None) -> None:
    """Serialise GRAPH in another format.

    RDF: ttl, nt, jsonld and xml merge the articles' named graphs; nq and trig keep them.
    Networks: graphml, gexf (dynamic: event dates), csv (one row per event).
    Event table: events-csv, events-tsv (the columns of `kg extract --format csv`).
    The -o file's suffix must not name another format (out.ttl holds Turtle, out.rdf RDF/XML);
    without --format, the suffix chooses it.
    """
    said = export_mod.format_for_path(output) if output else None
    if fmt is None:
        if said is None:
            raise click.UsageError("Missing option '--format' (or give -o FILE with a suffix that names it: "
                                   ".ttl, .nt, .nq, .jsonld, .rdf, .trig, .graphml, .gexf, .csv)")
        fmt = said
    try:
        fmt = export_mod.export_format(fmt)  # before loading a possibly large graph
    except KgError as exc:
        raise InputError(str(exc)) from None
    if output:
        if said is not None and said != fmt and Path(output).suffix.lower() != export_mod.suffix_for(fmt):
            raise InputError(f"-o {output}: its suffix {Path(output).suffix} says {said}, not {fmt}; name the file "
                             f"{Path(output).stem}{export_mod.suffix_for(fmt)} or give --format {said}")
        check_not_inputs([graph], [Path(output)])
        check_writable(Path(output))
    text = export_mod.export_graph(load_dataset(graph), fmt)
    if output:
        write_atomic(Path(output), text, make_parents=True)
    else:
        click.echo(text, nl=False)
