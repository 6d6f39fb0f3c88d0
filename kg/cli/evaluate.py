"""`kg evaluate`: extraction scored against gold events (kg.pipeline.evaluate)."""
from __future__ import annotations

import json

import click

from kg.cli.app import main
from kg.cli.common import ACTORS, MODEL, Utf8Stdin, load_actors



@main.command()
@click.option("--gold", "gold", required=True, metavar="GOLD",
              help="Gold events (JSON Lines): alias gold, or coded gold with its own texts.")
@click.option("--articles", "listed", multiple=True, metavar="ARTICLES...",
              help="The articles the gold describes (files, directories, JSON Lines or -); "
                   "default for coded gold: its own texts.")
@click.argument("more_articles", nargs=-1, metavar="[ARTICLES]...")
@click.option("-v", "--verbose", is_flag=True, help="List every gold event with its match, and every extra.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@MODEL
@ACTORS
def evaluate(gold: str, listed: tuple[str, ...], more_articles: tuple[str, ...], verbose: bool, fmt: str,
             model: str, actors: str | None = None) -> None:
    """Score the events extracted from ARTICLES against GOLD: typed and untyped precision, recall, F1.

    Typed counts only events with a CAMEO code, and a match needs the gold's CAMEO root.
    The missed gold events and the system events no gold event matched follow the scores.
    """
    gazetteer = load_actors(actors)
    from kg.pipeline.evaluate import evaluate_paths, format_report, result_record  # spaCy: after the check

    result = evaluate_paths(gold, [*listed, *more_articles] or None, model=model, stdin=Utf8Stdin(),
                            gazetteer=gazetteer)
    if fmt == "json":
        click.echo(json.dumps(result_record(result), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(result, verbose))
