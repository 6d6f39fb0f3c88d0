#!/usr/bin/env python3
"""Load time and canned-query latency on a graph of about 1 million triples:
rdflib in memory vs the embedded Oxigraph store (kg build --store DIR).

    .venv/bin/python benchmarks/query_stores.py [--triples 1000000] [--runs 5] [--rdflib-runs 1]

The corpus: the example article (examples/russia-hamas-hostages.txt) is extracted once with
the real pipeline; its result is then replicated as articles `<id>-00001`, `<id>-00002`, ...
with every actor renamed per copy into one of --actor-variants variants ("Russia 17"), so the
graph has many distinct actors, events and sentences rather than one article repeated. Copies
are added until the graph holds about --triples statements.
Measured:
  load  embedded: OxigraphStore.add_result per copy (committed in batches, as kg build --store);
        rdflib: kg.graph.build.add_article per copy into one in-memory Dataset;
        rdflib from file: parsing the same graph written as N-Quads (what `kg query FILE` does);
  query median wall time (of --runs on the store, --rdflib-runs on rdflib) of what `kg query`
        does once started, for each query in ontology/queries/:
        first page  `kg query STORE --name Q`: open the store read-only, run the query for the
                    first 100 rows (kg.cli.query.TABLE_PAGE), format them as a table, close; a paged
                    query's key values (e.g. dyad-balance's sources) are listed by the first
                    run and kept for the next ones (kg.store.embedded.KEY_CACHE); beside it, in
                    brackets, the same with the keys listed at every run, as the first query
                    after a write does;
        all rows    `kg query STORE --name Q --format csv`: the same for every row, as CSV;
        on rdflib the same two on the graph in memory (no file to open).
        Goal: under 100 ms on the embedded store.
The store is measured before the rdflib graph is built, so that the garbage collection kg does
on closing a store does not walk rdflib's million triples.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib import Dataset

import kg
from kg.cli.query import TABLE_PAGE
from kg.graph.build import add_article, new_graph, save_graph
from kg.model import Actor, ArticleResult
from kg.query import format_result
from kg.store.embedded import KEY_CACHE
from kg.store import OxigraphStore, open_store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "russia-hamas-hostages.txt"


def renamed(actor: Actor | None, variant: int) -> Actor | None:
    if actor is None or actor.type is None:  # themes stay shared concepts
        return actor
    affiliation = f"{actor.affiliation} {variant}" if actor.affiliation else None
    return replace(actor, name=f"{actor.name} {variant}", iri=None, affiliation=affiliation)


def copy_of(result: ArticleResult, index: int, variants: int) -> ArticleResult:
    """Copy `index` of an article: its own id, actors renamed into variant index % variants."""
    variant = index % variants
    article_id = f"{result.article.id}-{index:05d}"
    events = [replace(e, article_id=article_id, iri=None, subject=renamed(e.subject, variant),
                      object=renamed(e.object, variant), target=renamed(e.target, variant),
                      attributed_to=renamed(e.attributed_to, variant)) for e in result.events]
    return ArticleResult(replace(result.article, id=article_id), events, result.sentences)


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def median_ms(work, runs: int, before=None) -> tuple[float, int]:
    """The median time of `work` (which returns a QueryResult) and the rows it gave; `before`,
    if given, runs untimed before each run."""
    times, rows = [], 0
    for _ in range(runs):
        if before is not None:
            before()
        seconds, result = timed(work)
        times.append(seconds)
        rows = len(result.rows)
    return statistics.median(times) * 1000, rows


def cli_query(location: Path, sparql: str, limit: int | None, fmt: str) -> kg.QueryResult:
    """What `kg query STORE --name Q` does once started: open, query, format, close."""
    with open_store(location, read_only=True) as store:
        result = kg.run_query(store, sparql, limit=limit)
    format_result(result, fmt)
    return result


def in_memory_query(graph: Dataset, sparql: str, limit: int | None, fmt: str) -> kg.QueryResult:
    result = kg.run_query(graph, sparql, limit=limit)
    format_result(result, fmt)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per query on the embedded store")
    parser.add_argument("--rdflib-runs", type=int, default=1, help="runs per query on rdflib")
    parser.add_argument("--actor-variants", type=int, default=200)
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}; "
          f"load average at start {os.getloadavg()[0]:.2f}")
    (example,) = kg.extract_paths([EXAMPLE])
    per_copy = len(list(_one_graph(copy_of(example, 0, args.actor_variants))))
    copies = max(1, args.triples // per_copy)
    results = [copy_of(example, i, args.actor_variants) for i in range(copies)]
    print(f"corpus: {copies} copies of the example article x ~{per_copy} statements, "
          f"{args.actor_variants} actor variants")
    names = kg.list_queries()
    with tempfile.TemporaryDirectory() as tmp:
        location = Path(tmp) / "store"
        store = OxigraphStore(location, create=True)
        seconds, _ = timed(lambda: store.add_results(results))
        store.close()
        size = sum(f.stat().st_size for f in location.rglob("*") if f.is_file())
        print(f"load  embedded store (add_result each): {seconds:8.1f} s   "
              f"({copies / seconds:.0f} articles/s, {size / 1e6:.0f} MB on disk)", flush=True)
        seconds, _ = timed(lambda: open_store(location, read_only=True).close())
        print(f"open  embedded store read-only:         {seconds * 1000:8.0f} ms", flush=True)
        embedded = {}
        forget_keys = lambda: (location / KEY_CACHE).unlink(missing_ok=True)
        for name in names:
            sparql = kg.canned_query(name)
            embedded[name] = (median_ms(lambda: cli_query(location, sparql, TABLE_PAGE, "table"), args.runs),
                              median_ms(lambda: cli_query(location, sparql, TABLE_PAGE, "table"), args.runs,
                                        forget_keys),
                              median_ms(lambda: cli_query(location, sparql, None, "csv"), args.runs))
            (page_ms, page_rows), (cold_ms, _), (all_ms, rows) = embedded[name]
            print(f"  embedded {name:<16} first {page_rows} rows {page_ms:7.0f} ms ({cold_ms:.0f} ms listing "
                  f"the keys)   all {rows} rows {all_ms:7.0f} ms", flush=True)

        seconds, graph = timed(lambda: _rdflib_graph(results))
        print(f"load  rdflib in memory (add_article):   {seconds:8.1f} s   {len(graph):,} statements", flush=True)
        nquads = Path(tmp) / "graph.nq"
        save_graph(graph, nquads)
        seconds, _ = timed(lambda: kg.load_graph(nquads))
        print(f"load  rdflib from N-Quads file:        {seconds:8.1f} s   ({nquads.stat().st_size / 1e6:.0f} MB file)",
              flush=True)

    print(f"\nmedian ms: embedded store of {args.runs} runs, rdflib of {args.rdflib_runs}")
    print(f"{'query':<16} {'rows':>7} {'embedded first page':>20} {'(keys listed)':>14} {'embedded all rows':>18} "
          f"{'rdflib first page':>18} {'rdflib all rows':>16}")
    for name in names:
        sparql = kg.canned_query(name)
        (page_ms, _), (cold_ms, _), (all_ms, rows) = embedded[name]
        rdf_page_ms, _ = median_ms(lambda: in_memory_query(graph, sparql, TABLE_PAGE, "table"), args.rdflib_runs)
        rdf_all_ms, rdf_rows = median_ms(lambda: in_memory_query(graph, sparql, None, "csv"), args.rdflib_runs)
        flag = "" if rdf_rows == rows else f"  (row counts differ: rdflib {rdf_rows})"
        print(f"{name:<16} {rows:>7} {page_ms:>20.0f} {cold_ms:>14.0f} {all_ms:>18.0f} {rdf_page_ms:>18.0f} {rdf_all_ms:>16.0f}{flag}",
              flush=True)


def _one_graph(result: ArticleResult) -> Dataset:
    ds = new_graph()
    add_article(ds, result.article, result.events, result.sentences)
    return ds


def _rdflib_graph(results: list[ArticleResult]) -> Dataset:
    ds = new_graph()
    for result in results:
        add_article(ds, result.article, result.events, result.sentences)
    return ds


if __name__ == "__main__":
    sys.exit(main())
