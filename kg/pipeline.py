"""The end-to-end job: articles -> events -> RDF graph -> files (Turtle, HTML view)."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from rdflib import Dataset

from .errors import KgError
from .extract import extract_events
from .extract.gazetteer import load_gazetteer
from .graph import build_graph, save_graph
from .ingest import read_articles
from .model import Article, ArticleResult
from .nlp import DEFAULT_MODEL, load_model, parse_articles
from .query import QueryResult, run_query
from .viz import render_html

EXAMPLE_QUERY = "who-did-what"


def canned_query(name: str) -> str:
    """The text of a query shipped in ontology/queries/NAME.rq."""
    path = files("kg.ontology") / "queries" / f"{name}.rq"
    if not path.is_file():
        raise KgError(f"no canned query named '{name}'; available: {', '.join(list_queries())}")
    return path.read_text(encoding="utf-8")


def list_queries() -> list[str]:
    return sorted(p.name[:-3] for p in (files("kg.ontology") / "queries").iterdir() if p.name.endswith(".rq"))


def process_articles(articles: Iterable[Article], model: str = DEFAULT_MODEL) -> Iterator[ArticleResult]:
    """Parse and extract each article, streaming one result per article."""
    nlp = load_model(model)
    gazetteer = load_gazetteer()
    for parsed in parse_articles(articles, nlp):
        events = extract_events(parsed, gazetteer)
        yield ArticleResult(parsed.article, events, [s.text for s in parsed.sentences])


def extract_paths(paths: Iterable[str | Path], date: str | None = None, model: str = DEFAULT_MODEL,
                  stdin: TextIO | None = None) -> Iterator[ArticleResult]:
    """Read articles from files, directories or '-' and extract their events."""
    return process_articles(read_articles(paths, default_date=date, stdin=stdin), model)


@dataclass
class BuildSummary:
    """What `kg build` made."""

    articles: int
    sentences: int
    events: int
    diplomatic_events: int
    actors: int
    graph_path: Path
    html_path: Path
    example: QueryResult | None = None
    files: list[Path] = field(default_factory=list)


def build(paths: Iterable[str | Path], outdir: str | Path, name: str | None = None, date: str | None = None,
          model: str = DEFAULT_MODEL, stdin: TextIO | None = None,
          progress: Callable[[ArticleResult], None] | None = None) -> BuildSummary:
    """Extract events from articles and write OUTDIR/NAME.ttl and OUTDIR/NAME.html."""
    paths = [str(p) for p in paths]
    results = []
    for result in extract_paths(paths, date, model, stdin):
        results.append(result)
        if progress:
            progress(result)
    if name is None:
        name = Path(paths[0]).stem if len(paths) == 1 and paths[0] != "-" else "graph"
    graph = build_graph(results)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    graph_path, html_path = outdir / f"{name}.ttl", outdir / f"{name}.html"
    existed = graph_path.exists()
    save_graph(graph, graph_path, "turtle")
    try:
        render_html(graph, html_path, title=f"kg: {name}")
    except BaseException:
        if not existed:  # never leave half of a build behind
            graph_path.unlink(missing_ok=True)
        raise
    return BuildSummary(
        articles=len(results),
        sentences=sum(len(r.sentences) for r in results),
        events=sum(len(r.events) for r in results),
        diplomatic_events=sum(1 for r in results for e in r.events if e.cameo),
        actors=_count_actors(graph),
        graph_path=graph_path,
        html_path=html_path,
        example=run_query(graph, canned_query(EXAMPLE_QUERY)),
    )


ACTOR_CLASSES = ("State", "InternationalOrganization", "PoliticalOrganization", "ArmedGroup",
                 "MediaOrganization", "Person", "Group")


def _count_actors(graph: Dataset) -> int:
    classes = " ".join(f"kgo:{c}" for c in ACTOR_CLASSES)
    result = run_query(graph, "PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#> "
                              f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?a a ?c }}")
    return int(result.rows[0][0])
