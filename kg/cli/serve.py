"""`kg serve`: a graph or store as a SPARQL endpoint (kg.serve)."""
from __future__ import annotations

import click

from kg.cli.app import main
from kg.store import open_store


@main.command()
@click.argument("graph")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; another address makes the graph reachable from other machines).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", "timeout_s", default=10.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="Time limit of one query or update.")
@click.option("--max-results", default=10_000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Most rows (or triples) a query may return.")
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update on /update, by POST only (a graph file is changed in memory only).")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(min=1),
              help="Query worker processes (queries that run at once).")
@click.option("--max-bytes", default=32 * 2**20, show_default=True, type=click.IntRange(min=1), metavar="BYTES",
              help="Largest result (500 past it).")
@click.option("--max-body", default=4 * 2**20, show_default=True, type=click.IntRange(min=1), metavar="BYTES",
              help="Largest request body (413 past it).")
@click.option("--max-memory", "max_memory_mb", default=2048, show_default=True, type=click.IntRange(min=1),
              metavar="MB", help="Memory one query may use before it is stopped (503).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (besides loopback names and --host); '*' for any.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages of ORIGIN (scheme://host[:port], e.g. https://yasgui.org; '*' for any) read "
                   "the endpoint (CORS; off by default). Repeat for several origins.")
def serve(graph: str, host: str, port: int, timeout_s: float, max_results: int, allow_update: bool,
          workers: int = 4, max_bytes: int = 32 * 2**20, max_body: int = 4 * 2**20, max_memory_mb: int = 2048,
          allowed_hosts: tuple[str, ...] = (), cors: tuple[str, ...] = ()) -> None:
    """Serve GRAPH (an RDF file, a store directory or a store URL) as a SPARQL 1.1 endpoint.

    Queries go to /sparql (GET or POST); /sparql without a query gives the service description;
    the page at / lets you type one, fill in its parameters and download the results.
    """
    from kg.serve.endpoint import ServeOptions, normalize_origin, serve as serve_store

    for origin in cors:  # before the graph is loaded
        if origin != "*" and normalize_origin(origin) is None:
            raise click.BadParameter(f"{origin!r} is not an origin; give scheme://host[:port] (no path), "
                                     "e.g. http://localhost:8080, or '*'", param_hint="'--cors'")
    with open_store(graph, read_only=not allow_update) as store:
        options = ServeOptions(timeout_s, max_results, allow_update, max_bytes=max_bytes, max_body=max_body,
                               max_memory_mb=max_memory_mb, workers=workers, allowed_hosts=tuple(allowed_hosts),
                               cors=tuple(cors))
        serve_store(store, host, port, options,
                    log=lambda line: click.echo(line, err=True))
