"""The `kg` command line: thin click commands over the library.

Every failure a user can fix ends the same way: ONE line `kg: error: ...` on stderr and a
non-zero exit code, with no traceback and no partial output file (`-o` files are written
atomically; `kg build` stages its files and moves them into place only on success).
Set KG_DEBUG=1 to see the traceback of an unexpected (internal) error.

Commands import the heavy stages (spaCy, networkx, pyvis) themselves, so `kg query` or
`kg --help` starts without them.
"""
from __future__ import annotations

import gc
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from kg.views import export as export_mod
from kg.errors import InputError, Interrupted, KgError, QueryError
from kg.extract.gazetteer import Gazetteer, load_gazetteer
from kg.files import write_atomic
from kg.nlp.parse import DEFAULT_MODEL
from kg.ingest.corpus import SKIPPED_EXIT, CorpusRun, SkipLog
from kg.ingest.articles import ARTICLE_SUFFIXES, MAX_ARTICLE_BYTES, MAX_LINE_BYTES, Limits
from kg.query.parameters import bind_parameters, parse_assignments
from kg.query import RESULT_FORMATS, canned_query, format_result, list_queries, run_query
from kg.store import REMOTE_SCHEMES, load_dataset, open_store

INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE: a bug, not a problem with the input

_DATE = click.option("--date", help="Article date (YYYY-MM-DD) for resolving relative dates; JSON Lines 'date' fields win.")
_MODEL = click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Name of an installed spaCy pipeline.")
_ACTORS = click.option("--actors", metavar="FILE", type=click.Path(dir_okay=False),
                       help="Your own actors, in either of two formats: a TSV with the columns of "
                            "ontology/actors.tsv (name, type, country, aliases, demonyms, metonyms, wikidata), or "
                            "an actor dictionary in the CAMEO/PETRARCH text format (NAME_ [CODE >YYMMDD], +ALIAS "
                            "lines, date-bounded codes); a file named .tsv or .tab is a TSV, any other is told by "
                            "its first line (see docs/ACTOR-DICTIONARY.md). Its entries add to or replace the "
                            "built-in ones.")
_WORKERS = click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1), metavar="N",
                        help="Parse on N local processes; the results are the same as with 1.")
_DASK = click.option("--dask", metavar="ADDRESS",
                     help="Run extraction on the Dask distributed cluster whose scheduler is at ADDRESS, "
                          "e.g. tcp://scheduler:8786 (kg must be installed on its workers).")
_MAX_ARTICLE = click.option("--max-article-size", "max_article", default=MAX_ARTICLE_BYTES, show_default=True,
                            type=click.IntRange(min=1), metavar="BYTES",
                            help="Largest article (a file, standard input's text, a record's 'text'); "
                                 "a larger one is refused.")
_MAX_LINE = click.option("--max-line-size", "max_line", default=MAX_LINE_BYTES, show_default=True,
                         type=click.IntRange(min=1), metavar="BYTES",
                         help="Largest JSON Lines line (one record); a longer one is refused.")
# the suffix an output file's name says -> the export format it holds
_SUFFIX_FORMATS = {".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".nq": "nq", ".jsonld": "jsonld",
                   ".json-ld": "jsonld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".trig": "trig",
                   ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"}
_BY = click.option("--by", type=click.Choice(["actor", "state"]), default="actor", show_default=True,
                   help="Level of the nodes: each actor, or each state with the actors that act for it "
                        "folded in (GDELT-style country dyads).")
_LINE_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")  # str.splitlines breaks there too


def _fail(message: str, exit_code: int = 1) -> NoReturn:
    """Print one `kg: error:` line on stderr and exit."""
    click.echo(f"kg: error: {' '.join(str(message).split())}", err=True)
    sys.exit(exit_code or 1)


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under CliRunner)
        pass


class KgGroup(click.Group):
    """Turns every error into one line on stderr and a non-zero exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.NoArgsIsHelpError):
            raise  # --help / --version, and `kg CMD` without arguments (shows help)
        except (KeyboardInterrupt, click.Abort):  # Ctrl-C: one line, not click's "Aborted!"
            _fail("interrupted (Ctrl-C)", Interrupted.exit_code)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            _fail(f"{exc.format_message()} (see '{command} --help')", exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except KgError as exc:
            _fail(str(exc), exc.exit_code)
        except BrokenPipeError:  # `kg extract ... | head`: the reader is gone, nothing to report
            _silence_stdout()
            sys.exit(0)
        except OSError as exc:
            _fail(_os_message(exc))
        except Exception as exc:
            if os.environ.get("KG_DEBUG"):
                raise
            _fail(f"internal error ({type(exc).__name__}: {exc}); this is a bug in kg, please report it "
                  "(set KG_DEBUG=1 to see the traceback)", INTERNAL_ERROR_EXIT)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of diplomatic events from news articles."""


def run() -> None:
    """The `kg` program: `main`, then the process ends without the interpreter's last garbage
    collections, which walk every object still alive (after a build, the spaCy model: ~0.3 s).
    Every output is written and closed by then, and the system frees the memory at once."""
    try:
        main(prog_name="kg")
    finally:
        gc.freeze()


class _Utf8Stdin:
    """Standard input decoded strictly as UTF-8, so bad bytes raise UnicodeDecodeError
    (reported by the reader as an input error) instead of turning into surrogates."""

    @property
    def buffer(self):
        """The binary stream under standard input (None: there is none); InputError when it is closed."""
        if sys.stdin is None or sys.stdin.closed:  # `kg extract - <&-`: Python starts without it
            raise InputError("<stdin> is closed; pipe in article text or JSON Lines")
        return getattr(sys.stdin, "buffer", None)

    def read(self, size: int = -1) -> str:
        stream = self.buffer
        data = stream.read(size) if stream is not None else sys.stdin.read(size).encode("utf-8", "surrogateescape")
        return data.decode("utf-8")


# --------------------------------------------------------------------------- extract

@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "explain", "csv", "tsv"]), default="jsonl",
              show_default=True)
@click.option("--all", "include_all", is_flag=True,
              help="csv/tsv: keep the events without a CAMEO code too (left out by default).")
@_DATE
@_MODEL
@_WORKERS
@_DASK
@_ACTORS
@_MAX_ARTICLE
@_MAX_LINE
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
    from kg.pipeline.run import extract_paths

    if include_all and fmt not in TABLE_FORMATS:
        raise click.UsageError(f"--all applies to --format csv or tsv ({fmt} prints every event)")
    _check_parallel(workers, dask)
    rows = []
    header = fmt not in TABLE_FORMATS  # a table's header is printed once the input is read
    gazetteer = _gazetteer(actors)
    for result in extract_paths(articles, date, model, stdin=_Utf8Stdin(), workers=workers, dask=dask,
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


def _gazetteer(actors: str | None) -> Gazetteer | None:
    """The built-in gazetteer extended by the --actors FILE, a TSV or a CAMEO/PETRARCH actor
    dictionary (None: the built-in one alone)."""
    if not actors:
        return None
    _check_line_breaks(Path(actors))
    return load_gazetteer(actors)


def _check_line_breaks(path: Path) -> None:
    """InputError naming the line (counted by newlines, as an editor does) of a TSV cell that
    holds another line break (U+2028, a form feed, ...), which would split the row in two."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return  # reported by the gazetteer's reader, which names the line
    for lineno, line in enumerate(text.split("\n"), start=1):
        found = _LINE_BREAKS.search(line)
        if found:
            cell = next(c for c in line.split("\t") if found.group() in c)
            raise InputError(f"{path}, line {lineno}: {cell.strip()!r} holds a line break "
                             f"(U+{ord(found.group()):04X}); write each row on one line")


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


# --------------------------------------------------------------------------- evaluate

@main.command()
@click.option("--gold", "gold", required=True, metavar="GOLD",
              help="Gold events (JSON Lines): alias gold, or coded gold with its own texts.")
@click.option("--articles", "listed", multiple=True, metavar="ARTICLES...",
              help="The articles the gold describes (files, directories, JSON Lines or -); "
                   "default for coded gold: its own texts.")
@click.argument("more_articles", nargs=-1, metavar="[ARTICLES]...")
@click.option("-v", "--verbose", is_flag=True, help="List every gold event with its match, and every extra.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_MODEL
@_ACTORS
def evaluate(gold: str, listed: tuple[str, ...], more_articles: tuple[str, ...], verbose: bool, fmt: str,
             model: str, actors: str | None = None) -> None:
    """Score the events extracted from ARTICLES against GOLD: typed and untyped precision, recall, F1.

    Typed counts only events with a CAMEO code, and a match needs the gold's CAMEO root.
    The missed gold events and the system events no gold event matched follow the scores.
    """
    from kg.pipeline.evaluate import evaluate_paths, format_report, result_record

    result = evaluate_paths(gold, [*listed, *more_articles] or None, model=model, stdin=_Utf8Stdin(),
                            gazetteer=_gazetteer(actors))
    if fmt == "json":
        click.echo(json.dumps(result_record(result), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(result, verbose))


# --------------------------------------------------------------------------- build

@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--outdir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Directory for NAME.ttl, NAME.trig (named graphs) and NAME.html.")
@click.option("--name", help="Base name of the output files (default: the input file's stem, or 'graph').")
@click.option("--store", "store", metavar="PATH_OR_URL",
              help="Instead of files, add each article to a persistent store: a directory (created if "
                   "missing) or a SPARQL 1.1 store URL. An article already there is replaced.")
@_DATE
@_MODEL
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr  [default: when stderr is a terminal]")
@_WORKERS
@_DASK
@click.option("--resume", is_flag=True,
              help="With --store: leave out the articles the store already has (continues an interrupted build).")
@_ACTORS
@_MAX_ARTICLE
@_MAX_LINE
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
    from kg.pipeline.run import BuildOptions, NothingToBuild, build as build_job, build_at, check_store_location

    if name is not None and (not name.strip() or Path(name).name != name or name in (".", "..")):
        raise click.BadParameter(f"{name!r} is not a plain file name", param_hint="'--name'")
    _check_parallel(workers, dask)
    gazetteer = _gazetteer(actors)
    if resume and store is None:
        raise click.UsageError("--resume continues a build into a store; give --store too")
    if progress is None:
        progress = sys.stderr.isatty()
    out = Path(outdir)
    _check_writable(out, directory=True)
    if store is not None:
        check_store_location(store)
    else:
        _check_not_inputs(articles, [out / f"{_build_name(articles, name)}{suffix}" for suffix in (".ttl", ".trig", ".html")],
                          "-o DIR or --name NAME")
    run = CorpusRun(list(articles), sys.stderr if progress else None)
    options = BuildOptions(date=date, model=model, workers=workers, dask=dask, gazetteer=gazetteer,
                           limits=Limits(max_article, max_line), on_error=run.skipped, left_out=run.left_out,
                           progress=run.progress)

    if store is not None:
        if click.get_current_context().get_parameter_source("outdir") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("give either -o/--outdir or --store, not both")
        try:
            summary = build_at(articles, store, options, stdin=_Utf8Stdin(), resume=resume)
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
        summary = build_job(articles, out, name=name, options=options, stdin=_Utf8Stdin(), phase=run.phase)
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


def _check_not_inputs(inputs: tuple[str, ...] | list[str], outputs: list[Path], hint: str = "-o FILE") -> None:
    """InputError when an output file would replace an input: the same file (any name, links
    included), or an article file inside an input directory (it would be read, then replaced)."""
    for output in outputs:
        if not output.exists():
            continue
        for given in inputs:
            if given == "-" or given.startswith(REMOTE_SCHEMES) or not os.path.exists(given):
                continue
            inside = False
            if os.path.isdir(given) and output.suffix.lower() in ARTICLE_SUFFIXES:
                try:
                    parts = output.resolve().relative_to(Path(given).resolve()).parts
                    inside = not any(part.startswith(".") for part in parts)
                except ValueError:
                    pass
            if inside or os.path.samefile(given, output):
                raise InputError(f"{output} is an input ({given}); writing it would destroy it: "
                                 f"give another {hint}")


def _check_parallel(workers: int, dask: str | None) -> None:
    if dask is not None and workers != 1:
        raise click.UsageError("give either --workers (local processes) or --dask (a cluster), not both")


def _report_skips(skips: SkipLog, built: int) -> None:
    """List what a build skipped on stderr and exit with SKIPPED_EXIT; nothing when none was."""
    if skips and not built:
        raise _nothing_read(skips)
    if skips:
        _echo_lines(skips.lines())
        _fail(skips.summary(built), SKIPPED_EXIT)


def _nothing_read(skips: SkipLog) -> KgError:
    """The error when every article was skipped (the skips listed first when there are several)."""
    if len(skips.skipped) > 1:
        _echo_lines(skips.lines())
    return skips.nothing_read()


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)


# --------------------------------------------------------------------------- query

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
            sparql = _Utf8Stdin().read()
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


# --------------------------------------------------------------------------- export

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
        _check_not_inputs([graph], [Path(output)])
        _check_writable(Path(output))
    text = export_mod.export_graph(load_dataset(graph), fmt)
    if output:
        write_atomic(Path(output), text, make_parents=True)
    else:
        click.echo(text, nl=False)


# --------------------------------------------------------------------------- viz

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
@_BY
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
    said = _SUFFIX_FORMATS.get(out.suffix.lower())
    if said is not None:
        raise InputError(f"-o {out}: kg viz writes an HTML page, but the suffix {out.suffix} says {said}; "
                         f"name it {out.stem}.html")
    _check_not_inputs([graph], [out])
    _check_writable(out)
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


# --------------------------------------------------------------------------- serve

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


# --------------------------------------------------------------------------- stats

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


# --------------------------------------------------------------------------- ontology

@main.command()
@click.option("--codes", "all_codes", is_flag=True, help="List every CAMEO event class, not only the 20 roots.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def ontology(all_codes: bool, fmt: str) -> None:
    """Print a reference of the ontology: classes, properties (domain, range) and CAMEO codes
    (Goldstein value, quad class, PLOVER category), read from the shipped Turtle."""
    from kg.views.reference import format_reference, ontology_reference

    click.echo(format_reference(ontology_reference(), fmt, all_codes=all_codes), nl=False)


# --------------------------------------------------------------------------- lexicon

@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--missing", is_flag=True, help="List only the CAMEO codes no lexicon row points at.")
def lexicon(fmt: str, missing: bool) -> None:
    """Report the event lexicon's coverage: rows per CAMEO code, the share of codes reachable."""
    from kg.cameo import cameo_code
    from kg.extract.lexicon import intent_codes, refusal_codes
    from kg.extract.lexicon import coverage, load_lexicon

    entries = load_lexicon().entries
    counts = coverage()
    covered = sum(1 for n in counts.values() if n)
    by_rules = {c for c in (*intent_codes().values(), *refusal_codes().values()) if c in counts and not counts[c]}
    roots = {code[:2] for code, n in counts.items() if n}
    summary = {"rows": len(entries), "coded_rows": sum(1 for e in entries if e.cameo),
               "codes": len(counts), "codes_with_rows": covered, "codes_by_coding_rules": len(by_rules),
               "roots_with_rows": len(roots)}
    shown = {code: n for code, n in counts.items() if not missing or n == 0}
    if fmt == "json":
        click.echo(json.dumps({"summary": summary, "rows_per_code": shown}, indent=2))
        return
    for code, n in shown.items():
        note = "  (reached by the coding rules)" if code in by_rules else ""
        click.echo(f"{code:<5} {n:>4}  {cameo_code(code).name}{note}")
    click.echo(f"{summary['rows']} rows ({summary['coded_rows']} with a code); {covered} of {len(counts)} "
               f"CAMEO event codes ({covered / len(counts):.0%}) have at least one row, {len(by_rules)} more are "
               f"reached by the intent, threat and refusal rules; {len(roots)} of 20 roots have rows")


# --------------------------------------------------------------------------- validate

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


def _check_writable(path: Path, directory: bool = False) -> None:
    """Fail early (before any work) when the nearest existing ancestor of the file `path`
    (or of the `directory` path, itself included) is not a directory."""
    for ancestor in ((path,) if directory else ()) + tuple(path.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                raise KgError(f"cannot write {'to ' if directory else ''}{path}: {ancestor} is not a directory")
            return
