"""`kg build`: articles -> the graph files and view, or a store (kg.pipeline.run)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.app import fail, main
from kg.cli.common import (ACTORS, DASK, DATE, MAX_ARTICLE, MAX_LINE, MODEL, WORKERS, Utf8Stdin, check_not_inputs,
                           check_parallel, check_writable, load_actors)
from kg.errors import Interrupted, KgError
from kg.ingest.articles import MAX_ARTICLE_BYTES, MAX_LINE_BYTES, Limits
from kg.ingest.corpus import SKIPPED_EXIT, CorpusRun, SkipLog
from kg.query import format_result


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--outdir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Directory for NAME.ttl, NAME.trig (named graphs) and NAME.html.")
@click.option("--name", help="Base name of the output files (default: the input file's stem, or 'graph').")
@click.option("--store", "store", metavar="PATH_OR_URL",
              help="Instead of files, add each article to a persistent store: a directory (created if "
                   "missing) or a SPARQL 1.1 store URL. An article already there is replaced.")
@DATE
@MODEL
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr  [default: when stderr is a terminal]")
@WORKERS
@DASK
@click.option("--resume", is_flag=True,
              help="With --store: leave out the articles the store already has (continues an interrupted build).")
@ACTORS
@MAX_ARTICLE
@MAX_LINE
def build(articles: tuple[str, ...], outdir: str, name: str | None, date: str | None, model: str,
          progress: bool | None, workers: int, dask: str | None, resume: bool, store: str | None = None,
          actors: str | None = None, max_article: int = MAX_ARTICLE_BYTES, max_line: int = MAX_LINE_BYTES) -> None:
    """Build the graph (Turtle; TriG with one named graph per article) and the HTML view of
    ARTICLES, and print a summary.

    With --store, the articles go into the store as they are extracted, committed in batches
    (an embedded store: every 150,000 statements, a few hundred articles, or 15 seconds, and
    at the end or on Ctrl-C).
    An article that cannot be read or processed is skipped: the others are built, the
    skipped ones are listed at the end and the exit code is 3. Ctrl-C stops the build: no file
    is written (-o), or the store keeps what was committed (continue with --resume).
    """
    if name is not None and (not name.strip() or Path(name).name != name or name in (".", "..")):
        raise click.BadParameter(f"{name!r} is not a plain file name", param_hint="'--name'")
    check_parallel(workers, dask)
    gazetteer = load_actors(actors)
    if resume and store is None:
        raise click.UsageError("--resume continues a build into a store; give --store too")
    # spaCy comes with the pipeline: imported after the checks above, so that their errors come at once
    from kg.pipeline.run import BuildOptions, NothingToBuild, build as build_job, build_at, check_store_location

    if progress is None:
        progress = sys.stderr.isatty()
    out = Path(outdir)
    check_writable(out, directory=True)
    if store is not None:
        check_store_location(store)
    else:
        check_not_inputs(articles, [out / f"{_build_name(articles, name)}{suffix}" for suffix in (".ttl", ".trig", ".html")],
                          "-o DIR or --name NAME")
    run = CorpusRun(list(articles), sys.stderr if progress else None)
    options = BuildOptions(date=date, model=model, workers=workers, dask=dask, gazetteer=gazetteer,
                           limits=Limits(max_article, max_line), on_error=run.skipped, left_out=run.left_out,
                           progress=run.progress)

    if store is not None:
        if click.get_current_context().get_parameter_source("outdir") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("give either -o/--outdir or --store, not both")
        try:
            summary = build_at(articles, store, options, stdin=Utf8Stdin(), resume=resume)
        except KeyboardInterrupt:
            raise Interrupted(f"interrupted (Ctrl-C); the store {store} keeps the articles committed so far: "
                              "continue with --resume") from None
        finally:
            run.close()
        click.echo(f"articles: {summary.articles}  sentences: {summary.sentences}  events: {summary.events} "
                   f"({summary.diplomatic_events} diplomatic)  actors in the store: {summary.actors}")
        if resume:
            click.echo(f"already in the store (left out): {run.already_done}")
        click.echo(f"store: {store}")
        _report_skips(run.skips, summary.articles + run.already_done)  # a resumed build holds both
        return

    try:  # kg.pipeline.run.build stages its files and moves them into OUTDIR only when all are written
        summary = build_job(articles, out, name=name, options=options, stdin=Utf8Stdin(), phase=run.phase)
    except NothingToBuild:
        raise _nothing_read(run.skips) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted (Ctrl-C); nothing was written to {out}") from None
    finally:
        run.close()
    graph_path, trig_path, html_path = summary.graph_path, summary.trig_path, summary.html_path
    click.echo(f"articles: {summary.articles}  sentences: {summary.sentences}  events: {summary.events} "
               f"({summary.diplomatic_events} diplomatic)  actors: {summary.actors}")
    click.echo(f"graph: {graph_path} (merged; with one named graph per article: {trig_path})\nview:  {html_path}")
    if summary.example is not None:
        click.echo("\nWho did what to whom (kg query --name who-did-what):")
        click.echo(format_result(summary.example, "table"), nl=False)
        if summary.example.more:
            click.echo(f"all rows: kg query {graph_path} --name who-did-what")
    _report_skips(run.skips, summary.articles)


def _build_name(articles: tuple[str, ...], name: str | None) -> str:
    """The base name of a file build's outputs (as `kg.pipeline.run.build` chooses it)."""
    if name is not None:
        return name
    return Path(articles[0]).stem if len(articles) == 1 and articles[0] != "-" else "graph"


def _report_skips(skips: SkipLog, built: int) -> None:
    """List what a build skipped on stderr and exit with SKIPPED_EXIT; nothing when none was."""
    if skips and not built:
        raise _nothing_read(skips)
    if skips:
        _echo_lines(skips.lines())
        fail(skips.summary(built), SKIPPED_EXIT)


def _nothing_read(skips: SkipLog) -> KgError:
    """The error when every article was skipped (the skips listed first when there are several)."""
    if len(skips.skipped) > 1:
        _echo_lines(skips.lines())
    return skips.nothing_read()


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
