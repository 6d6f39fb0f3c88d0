"""`kg viz`: the HTML network view of a graph (kg.views.viz)."""
from __future__ import annotations

from pathlib import Path

import click

from kg.cli.app import main
from kg.cli.common import BY, SUFFIX_FORMATS, check_not_inputs, check_writable
from kg.errors import InputError, KgError, QueryError
from kg.store import REMOTE_SCHEMES, load_dataset


@main.command()
@click.argument("graph")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False), help="HTML file (default: GRAPH with .html).")
@click.option("--max-nodes", default=300, show_default=True, type=click.IntRange(min=1))
@click.option("--title", default=None)
@click.option("--actor", "actors", multiple=True, help="Only events touching this actor (label or IRI; repeatable).")
@click.option("--event-type", "event_types", multiple=True,
              help="Only events of this class, CAMEO root class or code prefix, e.g. Consult or 04 (repeatable).")
@click.option("--since", help="Only events dated on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only events dated on or before this date (YYYY[-MM[-DD]]).")
@BY
def viz(graph: str, output: str | None, max_nodes: int, title: str | None, actors: tuple[str, ...],
        event_types: tuple[str, ...], since: str | None, until: str | None, by: str = "actor") -> None:
    """Render the interactive HTML network view of GRAPH (works offline).

    With --by state, each actor that acts for a state (its officials, envoys, agencies, forces
    and the other actors of its country) is drawn as that state; --actor then also matches
    the actors folded into a state.
    """
    from kg.views.network import filter_network, to_networkx
    from kg.views.viz import render_html

    from kg.query.parameters import _date

    for option, value in (("since", since), ("until", until)):
        if value is not None:
            try:
                _date(option, value)  # as `kg query --param since=...` checks it: a real calendar date
            except QueryError as exc:
                raise QueryError(f"--{exc}") from None
    if output is None and graph.startswith(REMOTE_SCHEMES):
        raise KgError("give the HTML file to write with -o FILE.html when GRAPH is a URL")
    out = Path(output) if output else Path(graph).with_suffix(".html")
    said = SUFFIX_FORMATS.get(out.suffix.lower())
    if said is not None:
        raise InputError(f"-o {out}: kg viz writes an HTML page, but the suffix {out.suffix} says {said}; "
                         f"name it {out.stem}.html")
    check_not_inputs([graph], [out])
    check_writable(out)
    net = to_networkx(load_dataset(graph), by=by)
    filtered = bool(actors or event_types or since or until)
    if filtered:
        net = filter_network(net, actors=actors, event_types=event_types, since=since, until=until)
        if net.number_of_edges() == 0:
            raise KgError("no events match the filters (--actor, --event-type, --since, --until); nothing written")
    try:
        summary = render_html(net, out, title=title or f"kg: {Path(graph).stem}", max_nodes=max_nodes)
    except OSError as exc:
        raise KgError(f"cannot write {out}: {exc.strerror or exc}") from exc
    click.echo(f"{out}: {summary.nodes} nodes, {summary.edges} edges"
               + (f" ({summary.omitted_nodes} nodes left out; raise --max-nodes)" if summary.omitted_nodes else ""))
