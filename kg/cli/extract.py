"""`kg extract`: the events found in articles, as JSON Lines, a table, explanations or the event table."""
from __future__ import annotations

import json

import click

from kg.cli.app import main
from kg.cli.common import (ACTORS, DASK, DATE, MAX_ARTICLE, MAX_LINE, MODEL, WORKERS, Utf8Stdin, check_parallel,
                           load_actors)
from kg.ingest.articles import MAX_ARTICLE_BYTES, MAX_LINE_BYTES, Limits


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "explain", "csv", "tsv"]), default="jsonl",
              show_default=True)
@click.option("--all", "include_all", is_flag=True,
              help="csv/tsv: keep the events without a CAMEO code too (left out by default).")
@DATE
@MODEL
@WORKERS
@DASK
@ACTORS
@MAX_ARTICLE
@MAX_LINE
def extract(articles: tuple[str, ...], fmt: str, date: str | None, model: str, workers: int,
            dask: str | None, actors: str | None = None, max_article: int = MAX_ARTICLE_BYTES,
            max_line: int = MAX_LINE_BYTES, include_all: bool = False) -> None:
    """Print the events found in ARTICLES (files, directories, JSON Lines or - for stdin).

    jsonl prints one JSON object per event (the event record); table is for reading; explain
    prints, per event, the triple, the CAMEO code and its codebook name, the rules and the
    lexicon row that made it. csv and tsv print the event table, one row per CAMEO-coded event
    (every event with --all) in fixed columns (event_id, event_date, pub_date, source_*,
    target_*, cameo_code, root_code, quad_class, goldstein, ...; see the README).
    """
    from kg.views.event_table import TABLE_FORMATS, event_rows, format_header, format_row

    if include_all and fmt not in TABLE_FORMATS:
        raise click.UsageError(f"--all applies to --format csv or tsv ({fmt} prints every event)")
    check_parallel(workers, dask)
    rows = []
    header = fmt not in TABLE_FORMATS  # a table's header is printed once the input is read
    gazetteer = load_actors(actors)
    from kg.pipeline.run import extract_paths  # spaCy with it: after the checks, so that an error comes at once
    for result in extract_paths(articles, date, model, stdin=Utf8Stdin(), workers=workers, dask=dask,
                                gazetteer=gazetteer, limits=Limits(max_article, max_line)):
        if not header:
            click.echo(format_header(fmt))
            header = True
        if fmt in TABLE_FORMATS:
            for row in event_rows([result], include_all):
                click.echo(format_row(row, fmt))
            continue
        for event in result.events:
            if fmt == "jsonl":
                click.echo(json.dumps(event.to_record(), ensure_ascii=False))
            elif fmt == "explain":
                click.echo(_explain(event))
            else:
                rows.append(event)
    if not header:  # no article had events to read: the header alone
        click.echo(format_header(fmt))
    if fmt == "table":
        click.echo(_event_table(rows))


def _event_table(events) -> str:
    header = ("article", "sent", "subject", "action", "target/object", "type", "cameo", "date", "flags")
    lines = [header]
    for e in events:
        flags = ",".join(f for f in ("negated" if e.negated else "", e.modality or "",
                                     f"via {e.attributed_to.name}" if e.attributed_to else "") if f)
        obj = e.target or e.object or e.theme
        lines.append((_clip(e.article_id, 24), str(e.sentence_id), e.subject.name if e.subject else "",
                      e.action, _clip(obj.name if obj else "", 40), e.event_type, e.cameo or "",
                      e.date or "", flags))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines)


def _explain(event) -> str:
    """Why an event was coded: its triple, code, rules and lexicon row, for a reader."""
    from kg.cameo import cameo_code

    obj = event.target or event.object or event.theme
    code = cameo_code(event.cameo) if event.cameo else None
    flags = ", ".join(f for f in ("negated" if event.negated else "", event.modality or "",
                                  f"said by {event.attributed_to.name}" if event.attributed_to else "") if f)
    return "\n".join([
        f"{event.article_id}#{event.sentence_id}: {event.sentence}",
        f"  event:   {event.subject.name if event.subject else '?'} -- {event.action} -> {obj.name if obj else '-'}"
        + (f"  ({flags})" if flags else ""),
        f"  cameo:   {code.code + ' ' + code.name if code else 'none (no political event)'}",
        f"  rules:   {' '.join(event.rules) or '-'}",
        f"  lexicon: {event.lexicon or '-'}",
        "",
    ])


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "\u2026"
