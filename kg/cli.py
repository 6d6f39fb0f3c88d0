"""The `kg` command line: thin click commands over the library."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import export as export_mod
from .errors import KgError
from .graph import load_graph
from .nlp import DEFAULT_MODEL
from .pipeline import build as build_job, canned_query, extract_paths, list_queries
from .query import format_result, run_query

_DATE = click.option("--date", help="Article date (YYYY-MM-DD) for resolving relative dates; JSON Lines 'date' fields win.")
_MODEL = click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Name of an installed spaCy pipeline.")


class KgGroup(click.Group):
    """Turns every KgError into one line on stderr and a non-zero exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as error:
            click.echo(f"kg: error: {error}", err=True)
            sys.exit(error.exit_code)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of diplomatic events from news articles."""


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@_DATE
@_MODEL
def extract(articles: tuple[str, ...], fmt: str, date: str | None, model: str) -> None:
    """Print the events found in ARTICLES (files, directories, JSON Lines or - for stdin)."""
    rows = []
    for result in extract_paths(articles, date, model):
        for event in result.events:
            if fmt == "jsonl":
                click.echo(json.dumps(event.to_record(), ensure_ascii=False))
            else:
                rows.append(event)
    if fmt == "table":
        click.echo(_event_table(rows))


def _event_table(events) -> str:
    header = ("sent", "subject", "action", "object", "type", "cameo", "flags")
    lines = [header]
    for e in events:
        flags = ",".join(f for f in ("negated" if e.negated else "", e.modality or "",
                                     f"via {e.attributed_to.name}" if e.attributed_to else "") if f)
        obj = e.target or e.object or e.theme
        lines.append((str(e.sentence_id), e.subject.name if e.subject else "", e.action,
                      (obj.name if obj else "")[:40], e.event_type, e.cameo or "", flags))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines)


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--outdir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Directory for NAME.ttl and NAME.html.")
@click.option("--name", help="Base name of the output files (default: the input file's stem, or 'graph').")
@_DATE
@_MODEL
def build(articles: tuple[str, ...], outdir: str, name: str | None, date: str | None, model: str) -> None:
    """Build the graph (Turtle) and the HTML view of ARTICLES, and print a summary."""
    def progress(result) -> None:
        click.echo(f"  {result.article.id}: {len(result.sentences)} sentences, {len(result.events)} events", err=True)

    summary = build_job(articles, outdir, name=name, date=date, model=model, progress=progress)
    click.echo(f"articles: {summary.articles}  sentences: {summary.sentences}  events: {summary.events} "
               f"({summary.diplomatic_events} diplomatic)  actors: {summary.actors}")
    click.echo(f"graph: {summary.graph_path}\nview:  {summary.html_path}")
    if summary.example is not None:
        click.echo("\nWho did what to whom (kg query --name who-did-what):")
        click.echo(format_result(summary.example, "table"))


@main.command()
@click.argument("graph")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False), help="Read the query from a file.")
@click.option("--name", help="Run a query shipped with kg (see --list).")
@click.option("--list", "list_", is_flag=True, help="List the shipped queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(graph: str, sparql: str | None, query_file: str | None, name: str | None, list_: bool, fmt: str) -> None:
    """Run a SPARQL query on GRAPH (an RDF file)."""
    if list_:
        click.echo("\n".join(list_queries()))
        return
    given = [x for x in (sparql, query_file, name) if x]
    if len(given) != 1:
        raise KgError("give exactly one query: a SPARQL string, -f FILE.rq or --name NAME")
    if query_file:
        try:
            sparql = Path(query_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KgError(f"cannot read query file {query_file}: {exc}") from exc
    elif name:
        sparql = canned_query(name)
    result = run_query(load_graph(graph), sparql)
    click.echo(format_result(result, fmt))


@main.command()
@click.argument("graph")
@click.option("--format", "fmt", required=True, help=f"One of: {', '.join(export_mod.EXPORT_FORMATS)}.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
def export(graph: str, fmt: str, output: str | None) -> None:
    """Serialise GRAPH in another format."""
    text = export_mod.export_graph(load_graph(graph), fmt)
    if output:
        _write_atomic(Path(output), text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("graph")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False), help="HTML file (default: GRAPH with .html).")
@click.option("--max-nodes", default=300, show_default=True, type=click.IntRange(min=1))
@click.option("--title", default=None)
def viz(graph: str, output: str | None, max_nodes: int, title: str | None) -> None:
    """Render the interactive HTML network view of GRAPH (works offline)."""
    from .viz import render_html

    out = Path(output) if output else Path(graph).with_suffix(".html")
    summary = render_html(load_graph(graph), out, title=title or f"kg: {Path(graph).stem}", max_nodes=max_nodes)
    click.echo(f"{out}: {summary.nodes} nodes, {summary.edges} edges"
               + (f" ({summary.omitted_nodes} nodes left out; raise --max-nodes)" if summary.omitted_nodes else ""))


@main.command()
@click.argument("graph")
def stats(graph: str) -> None:
    """Print counts and network analytics of GRAPH."""
    from .network import format_stats, graph_stats

    click.echo(format_stats(graph_stats(load_graph(graph))))


def _write_atomic(path: Path, text: str) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
