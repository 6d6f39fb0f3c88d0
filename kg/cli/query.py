"""`kg query`: a SPARQL query on a graph file, store or endpoint (kg.query)."""
from __future__ import annotations

from pathlib import Path

import click

from kg.cli.app import main
from kg.cli.common import Utf8Stdin
from kg.errors import KgError
from kg.query import RESULT_FORMATS, canned_query, format_result, list_queries, run_query
from kg.query.parameters import bind_parameters, parse_assignments
from kg.store import open_store


TABLE_PAGE = 100  # rows of a query result kg query shows in a table unless --limit says otherwise


@main.command()
@click.argument("graph", required=False)
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, allow_dash=True),
              help="Read the query from a file ('-' for stdin).")
@click.option("--name", help="Run a query shipped with kg (see --list).")
@click.option("--list", "list_", is_flag=True, help="List the shipped queries and exit.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Value of a query parameter, e.g. --param class=Disapprove --param since=2023-10 "
                   "(repeatable; see the query's '# parameters' line).")
@click.option("--format", "fmt", type=click.Choice(list(RESULT_FORMATS)), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
              help=f"Show the first N rows of a SELECT; 0 shows all. Default: {TABLE_PAGE} in a table, "
                   "all in csv and json.")
def query(graph: str | None, sparql: str | None, query_file: str | None, name: str | None, list_: bool,
          fmt: str, params: tuple[str, ...] = (), limit: int | None = None) -> None:
    """Run a SPARQL query on GRAPH (an RDF file, a store directory or a SPARQL endpoint URL).

    Give the query as SPARQL text, with -f FILE.rq, or with --name NAME. A table shows the
    first 100 rows (and says when there are more); --limit changes that.
    """
    if list_:
        for canned in list_queries():
            click.echo(f"{canned:<24} {_query_description(canned)}".rstrip())
        return
    if graph is None:
        raise click.UsageError("Missing argument 'GRAPH'.", ctx=click.get_current_context())
    given = [x for x in (sparql, query_file, name) if x]
    if len(given) != 1:
        raise KgError("give exactly one query: a SPARQL string, -f FILE.rq or --name NAME")
    if query_file == "-":
        try:
            sparql = Utf8Stdin().read()
        except UnicodeDecodeError as exc:
            raise KgError(f"the query on standard input is not UTF-8 text ({exc.reason})") from None
    elif query_file:
        try:
            sparql = Path(query_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise KgError(f"cannot read query file {query_file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise KgError(f"query file {query_file} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    elif name:
        sparql = canned_query(name)
    sparql = bind_parameters(sparql, parse_assignments(params))
    if limit is None:
        limit = TABLE_PAGE if fmt == "table" else 0
    with open_store(graph, read_only=True) as source:
        result = run_query(source, sparql, limit=limit or None)
    if result.kind == "graph" and fmt != "table":  # say what a graph prints as: there are no CSV graphs
        click.echo("kg: a CONSTRUCT or DESCRIBE result is a graph: printed as "
                   f"{'N-Triples' if fmt == 'csv' else 'JSON-LD'}", err=True)
    click.echo(format_result(result, fmt), nl=False)
    if result.more:
        click.echo(f"kg: only the first {len(result.rows)} rows are shown; the query has more "
                   "(--limit N shows N, --limit 0 all)", err=True)


def _query_description(name: str) -> str:
    """The leading comment of a shipped query, on one line."""
    words = []
    for line in canned_query(name).splitlines():
        line = line.strip()
        if not line.startswith("#"):
            break
        words.append(line.lstrip("#").strip())
    return " ".join(" ".join(words).split())
