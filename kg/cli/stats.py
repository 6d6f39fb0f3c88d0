"""`kg stats`: counts and network analytics of a graph (kg.views.network)."""
from __future__ import annotations

import json

import click

from kg.cli.app import main
from kg.store import load_dataset


@main.command()
@click.argument("graph")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--by", "by", multiple=True, type=click.Choice(["actor", "state", "week", "month"]),
              help="Level of the nodes: actor (default) or state (actors folded into the states they act "
                   "for); or a time step, week or month: the cooperation/conflict balance per dyad over "
                   "time. Repeatable: --by state --by month.")
def stats(graph: str, fmt: str, by: tuple[str, ...] = ()) -> None:
    """Print counts and network analytics of GRAPH.

    Events reported several times (several sentences or articles) are counted once, with their
    mentions. With --by state, actors are folded into the states they act for before the
    central actors, communities and dyads are worked out. With --by week or --by month, the
    cooperation/conflict balance of each dyad is printed per week (ISO) or month instead.
    """
    from kg.views.network import dyad_periods, format_periods, format_stats, graph_stats

    levels = [b for b in by if b in ("actor", "state")]
    periods = [b for b in by if b in ("week", "month")]
    if len(set(levels)) > 1 or len(set(periods)) > 1:
        raise click.UsageError("give at most one level (--by actor|state) and one time step (--by week|month)")
    level = levels[0] if levels else "actor"
    dataset = load_dataset(graph)
    if periods:
        table = dyad_periods(dataset, periods[0], by=level)
        if fmt == "json":
            click.echo(json.dumps(table, indent=2, ensure_ascii=False))
        else:
            click.echo(format_periods(table))
        return
    numbers = graph_stats(dataset, by=level)
    if fmt == "json":
        click.echo(json.dumps(numbers, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(format_stats(numbers))
