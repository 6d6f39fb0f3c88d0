"""The end-to-end job: articles -> events -> RDF graph -> files (Turtle, HTML view) or a store.

How a build reads and processes its articles travels as one `BuildOptions` (a frozen
dataclass): `build(paths, outdir, options=BuildOptions(workers=4))`. The keyword arguments the
jobs also take (`build(paths, outdir, workers=4)`) are the fields of `BuildOptions`, checked
against it.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from rdflib import Dataset

from kg.errors import InputError, KgError, NothingToBuild
from kg.files import existing_ancestor
from kg.gazetteer import Gazetteer
from kg.extract.registry import ActorRegistry
from kg.graph.build import ACTOR_CLASSES, add_article, new_graph, save_graph
from kg.ingest.articles import Limits, OnError, Skipped, read_articles
from kg.model import Article, ArticleResult
from kg.nlp.parse import DEFAULT_MODEL
from kg.pipeline.parallel import (dask_cluster, extract_articles, extract_in_parallel, extract_parsed, parse_in_parallel,
                       process_pool)
from kg.query import QueryResult, canned_query, run_query
from kg.store import REMOTE_SCHEMES, Store, open_store
from kg.vocab import sparql_prefixes

EXAMPLE_QUERY = "who-did-what"


def process_articles(articles: Iterable[Article], model: str = DEFAULT_MODEL, workers: int = 1,
                     dask: str | None = None, on_error: OnError | None = None,
                     gazetteer: Gazetteer | None = None, background: bool = False,
                     locations: dict[str, str] | None = None) -> Iterator[ArticleResult]:
    """Parse and extract each article, streaming one result per article, in input order.

    `workers` > 1 parses on that many local processes; `dask` (a scheduler address such as
    tcp://host:8786) on a Dask distributed cluster. Results are identical either way. An article
    that cannot be processed raises KgError, or, with `on_error`, is passed to it and left out.
    `gazetteer` (default: the built-in one) is e.g. `load_gazetteer(FILE)` for `--actors FILE`.
    `background` parses even with one worker in a process of its own, while this process
    extracts the events and the caller does what it does with each result (writing it to a
    graph): parsing, the bulk of the work, then overlaps everything else. `locations` (article id
    -> where it was read, as `read_articles` fills it) names a failing article by its file and line.
    """
    if workers < 1:
        raise KgError(f"--workers must be at least 1, got {workers}")
    if dask is None and workers == 1:
        if not background:
            yield from _reported(extract_articles(articles, model, gazetteer), on_error, locations)
            return
        with process_pool(1, model) as pool:
            parsed = parse_in_parallel(articles, model, pool)
            yield from _reported(extract_parsed(parsed, gazetteer), on_error, locations)
        return
    with dask_cluster(dask) if dask is not None else process_pool(workers, model) as pool:
        yield from _reported(extract_in_parallel(articles, model, pool, gazetteer=gazetteer), on_error, locations)


def _reported(results: Iterable[ArticleResult | Skipped], on_error: OnError | None,
              locations: dict[str, str] | None = None) -> Iterator[ArticleResult]:
    """The results, with each Skipped raised (no `on_error`) or passed to `on_error`, named by
    where its article was read when `locations` (article id -> "feed.jsonl line 3") knows it."""
    for result in results:
        if not isinstance(result, Skipped):
            yield result
            continue
        result = located(result, locations)
        if on_error is None:  # an article at fault, as a bad record is when reading: exit code 2
            raise InputError(result.reason)
        on_error(result)


def located(skipped: Skipped, locations: dict[str, str] | None) -> Skipped:
    """A Skipped of a later stage ("article 'x': ...") named by the file and line it was read from."""
    where = locations.get(skipped.article) if locations and skipped.article is not None else None
    if where is None or where == skipped.where:
        return skipped
    prefix = f"article {skipped.article!r}"
    reason = skipped.reason
    reason = f"{where} ({prefix}){reason[len(prefix):]}" if reason.startswith(prefix) else f"{where}: {reason}"
    return Skipped(where, reason, skipped.article)


def extract_paths(paths: Iterable[str | Path], date: str | None = None, model: str = DEFAULT_MODEL,
                  stdin: TextIO | None = None, workers: int = 1, dask: str | None = None,
                  on_error: OnError | None = None, done: Callable[[str], bool] | None = None,
                  gazetteer: Gazetteer | None = None, background: bool = False,
                  limits: Limits | None = None, locations: dict[str, str] | None = None,
                  registry: ActorRegistry | None = None) -> Iterator[ArticleResult]:
    """Read articles from files, directories or '-' and extract their events.

    Persons are one actor across the articles (`kg.extract.registry`): a surname in a later
    article is the person an earlier one introduced. `registry` carries what is known from
    before (a store's persons); by default the run starts with an empty one.

    With `on_error`, unreadable files, bad records and failing articles are passed to it and
    skipped; `done(article_id)` true leaves an article out before it is parsed (resuming).
    `background`: see `process_articles`. `limits`: the most bytes of an article and of a JSON
    Lines line (`kg.ingest.articles.Limits`; default 10 MB and 20 MB). An article that fails after it was
    read is named by its file and line; `locations` is the dict (id -> where) that keeps them.
    """
    locations = {} if locations is None else locations
    articles = read_articles(paths, default_date=date, stdin=stdin, on_error=on_error, limits=limits,
                             locations=locations)
    if done is not None:
        articles = (article for article in articles if not done(article.id))
    results = process_articles(articles, model, workers, dask, on_error, gazetteer, background, locations)
    return (registry if registry is not None else ActorRegistry()).resolve_all(results)


@dataclass(frozen=True)
class BuildOptions:
    """How a build reads and processes its articles.

    `date`: the date of articles that give none (for relative dates); `model`: the spaCy
    pipeline; `workers` > 1 parses on that many local processes, `dask` (a scheduler address)
    on a Dask cluster; `gazetteer`: the actors (default: the built-in ones); `limits`: the most
    bytes of an article and of a JSON Lines line (`kg.ingest.Limits`); `on_error`: told of each
    article skipped (without it, the first one ends the build); `done(article_id)` true leaves
    an article out before it is parsed (resuming), and `left_out(article_id)` is told of each
    one it left out; `progress`: told of each article built; `background`: parse in a process
    of its own even with one worker, while this one writes (see `process_articles`).
    """

    date: str | None = None
    model: str = DEFAULT_MODEL
    workers: int = 1
    dask: str | None = None
    gazetteer: Gazetteer | None = None
    limits: Limits | None = None
    on_error: OnError | None = None
    done: Callable[[str], bool] | None = None
    left_out: Callable[[str], None] | None = None
    progress: Callable[[ArticleResult], None] | None = None
    background: bool = True

    def leave_out(self) -> Callable[[str], bool] | None:
        """`done`, telling `left_out` of each article it leaves out."""
        done, told = self.done, self.left_out
        if done is None or told is None:
            return done

        def left_out(article_id: str) -> bool:
            if not done(article_id):
                return False
            told(article_id)
            return True
        return left_out


def _options(options: BuildOptions | None, fields: dict) -> BuildOptions:
    """`options` (default: the defaults) with the keyword arguments of a job's call, which must
    be fields of BuildOptions (TypeError otherwise)."""
    return replace(options or BuildOptions(), **fields)


@dataclass
class RunCounts:
    """What went through a build: articles, sentences and events."""

    articles: int = 0
    sentences: int = 0
    events: int = 0
    diplomatic_events: int = 0

    def add(self, result: ArticleResult) -> None:
        self.articles += 1
        self.sentences += len(result.sentences)
        self.events += len(result.events)
        self.diplomatic_events += sum(1 for e in result.events if e.cameo)


def build_into(sink: Callable[[ArticleResult], None], paths: Iterable[str | Path],
               options: BuildOptions | None = None, stdin: TextIO | None = None,
               registry: ActorRegistry | None = None, **fields) -> RunCounts:
    """Extract events from articles and hand each article's result to `sink` as soon as it is ready.

    Nothing but the counts is kept, so a store sink builds a corpus of any size in flat memory.
    `options` (or its fields as keyword arguments): see `BuildOptions`. Parsing runs in worker
    processes (one by default) while this process hands results to the sink. `registry`: the
    persons known from before (see `extract_paths`).
    """
    options = _options(options, fields)
    counts = RunCounts()
    on_error = options.on_error
    locations: dict[str, str] = {}
    results = extract_paths(paths, options.date, options.model, stdin, workers=options.workers, dask=options.dask,
                            on_error=on_error, done=options.leave_out(), gazetteer=options.gazetteer,
                            background=options.background, limits=options.limits, locations=locations,
                            registry=registry)
    for result in results:
        try:
            sink(result)
        except (KgError, ValueError, TypeError, UnicodeError, RecursionError) as exc:
            # one article the graph or store cannot take: it is left out, whole, like a bad record
            # (each sink computes an article's statements before it adds any)
            if on_error is None or isinstance(exc, KgError) and not isinstance(exc, InputError):
                raise
            article = result.article.id
            detail = " ".join(str(exc).split()) or "no details"
            on_error(located(Skipped(f"article {article!r}", f"article {article!r}: cannot be written "
                                                             f"({type(exc).__name__}: {detail})", article),
                             locations))
            continue
        counts.add(result)
        if options.progress:
            options.progress(result)
    return counts


@dataclass
class BuildSummary:
    """What `kg build` made."""

    articles: int
    sentences: int
    events: int
    diplomatic_events: int
    actors: int
    graph_path: Path | None
    html_path: Path | None
    trig_path: Path | None = None  # NAME.trig: the graph keeping one named graph per article
    example: QueryResult | None = None
    files: list[Path] = field(default_factory=list)
    store: str | None = None  # where the graph went with build(store=...)


# rows of the summary query a build returns (`BuildSummary.example`; its `more` says if there are others)
EXAMPLE_ROWS = 10


def build(paths: Iterable[str | Path], outdir: str | Path, name: str | None = None,
          options: BuildOptions | None = None, stdin: TextIO | None = None,
          phase: Callable[[str], None] | None = None, **fields) -> BuildSummary:
    """Extract events from articles and write OUTDIR/NAME.ttl (the merged graph), OUTDIR/NAME.trig
    (the same graph keeping one named graph per article) and OUTDIR/NAME.html.

    Only the RDF graph is accumulated, one article at a time (no Docs, no results list).
    `options` (or its fields as keyword arguments): see `BuildOptions`. `phase(name)` is
    told when a step after the reading starts ("writing the graph", "drawing the view").
    """
    from kg.views.viz import render_html  # pyvis and networkx: only builds that write files need them

    options = _options(options, fields)
    paths = [str(p) for p in paths]
    graph = new_graph()

    def add(result: ArticleResult) -> None:
        add_article(graph, result.article, result.events, result.sentences, options.gazetteer)

    counts = build_into(add, paths, options, stdin)
    if not counts.articles:
        raise NothingToBuild("no article could be read; nothing was built")
    if name is None:
        name = Path(paths[0]).stem if len(paths) == 1 and paths[0] != "-" else "graph"
    outdir = Path(outdir)
    # staged next to OUTDIR and moved in only when all three files are written: an error or
    # Ctrl-C leaves OUTDIR as it was
    stage = Path(tempfile.mkdtemp(prefix=f".{outdir.name or 'kg'}.build-", dir=existing_ancestor(outdir)))
    try:
        staged = [stage / f"{name}{suffix}" for suffix in (".ttl", ".trig", ".html")]
        if phase:
            phase("writing the graph")
        save_graph(graph, staged[0], "turtle")
        save_graph(graph, staged[1], "trig")  # the same graph with its named graphs, one per article
        if phase:
            phase("drawing the view")
        render_html(graph, staged[2], title=f"kg: {name}")
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            for path in staged:
                os.replace(path, outdir / path.name)
        except OSError as exc:
            raise KgError(f"cannot write to {outdir}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    graph_path, trig_path, html_path = (outdir / path.name for path in staged)
    return BuildSummary(
        articles=counts.articles,
        sentences=counts.sentences,
        events=counts.events,
        diplomatic_events=counts.diplomatic_events,
        actors=_count_actors(graph),
        graph_path=graph_path,
        html_path=html_path,
        trig_path=trig_path,
        example=run_query(graph, canned_query(EXAMPLE_QUERY), limit=EXAMPLE_ROWS),
    )


def build_store(paths: Iterable[str | Path], store: Store, options: BuildOptions | None = None,
                stdin: TextIO | None = None, **fields) -> BuildSummary:
    """Extract events from articles into `store`, each article handed to it as soon as it is
    ready (replacing an earlier version of it; the embedded store commits them in batches).
    `options` (or its fields as keyword arguments): see `BuildOptions`."""
    options = _options(options, fields)
    gazetteer = options.gazetteer
    counts = build_into(lambda result: store.add_result(result, gazetteer), paths, options, stdin,
                        registry=registry_of(store))  # persons of earlier builds into this store
    return BuildSummary(counts.articles, counts.sentences, counts.events, counts.diplomatic_events,
                        actors=_count_actors(store), graph_path=None, html_path=None, store=store.location)


def check_store_location(location: str) -> None:
    """InputError when `location` is a file: a store is a directory (created if missing) or a
    SPARQL store URL."""
    if not location.startswith(REMOTE_SCHEMES) and os.path.lexists(location) and not os.path.isdir(location):
        raise InputError(f"--store {location} is a file; a store is a directory (created if missing) or a SPARQL "
                         "endpoint URL: build into one, or write files with -o DIR")


def build_at(paths: Iterable[str | Path], location: str, options: BuildOptions | None = None,
             stdin: TextIO | None = None, resume: bool = False, **fields) -> BuildSummary:
    """`build_store` into the store at `location`: a directory (created when missing) or a SPARQL
    store URL; InputError when it is a file. With `resume`, the articles the store already has
    are left out (as `done` does), so an interrupted build continues where it stopped."""
    options = _options(options, fields)
    check_store_location(location)
    with open_store(location, create=True) as store:
        if resume:
            options = replace(options, done=store.has_article)
        return build_store(paths, store, options, stdin)


_PERSONS = sparql_prefixes("kgo", "rdfs") + """SELECT ?name ?country ?role ?affiliation ?sector ?code WHERE {
  ?p a kgo:Person ; rdfs:label ?name .
  OPTIONAL { ?p kgo:country ?country } OPTIONAL { ?p kgo:role ?role } OPTIONAL { ?p kgo:sector ?sector }
  OPTIONAL { ?p kgo:cameoActorCode ?code } OPTIONAL { ?p kgo:affiliation/rdfs:label ?affiliation }
} ORDER BY ?name"""


def registry_of(graph: Dataset | Store) -> ActorRegistry:
    """The persons of a graph or store, as a registry later articles resolve against."""
    rows = run_query(graph, _PERSONS).rows
    return ActorRegistry.from_rows((str(n), *(str(v) if v is not None else None for v in rest)) for n, *rest in rows)


def _count_actors(graph: Dataset | Store) -> int:
    classes = " ".join(f"kgo:{c}" for c in ACTOR_CLASSES)
    result = run_query(graph, sparql_prefixes("kgo") +
                              f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?a a ?c }}")
    return int(result.rows[0][0])
