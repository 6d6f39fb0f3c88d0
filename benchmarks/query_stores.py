#!/usr/bin/env python3
"""Load time and canned-query latency on a graph of about 1 million triples:
rdflib in memory vs the embedded Oxigraph store (kg build --store DIR).

    .venv/bin/python benchmarks/query_stores.py [--triples 1000000] [--runs 5] [--rdflib-runs 3]

The corpus: the example article (examples/russia-hamas-hostages.txt) is extracted once with
the real pipeline; its result is then replicated as articles `<id>-00001`, `<id>-00002`, ...
with every actor renamed per copy into one of --actor-variants variants ("Russia 17"), so the
graph has many distinct actors, events and sentences rather than one article repeated. Copies
are added until the graph holds about --triples statements.
Measured:
  load  rdflib: kg.graph.add_article per copy into one in-memory Dataset;
        rdflib from file: parsing the same graph written as N-Quads (what `kg query FILE` does);
        embedded: OxigraphStore.add_result per copy (one transaction per article, as kg build --store);
  query median (of --runs) wall time of kg.run_query for each query in ontology/queries/,
        results converted to rdflib terms; goal: under 100 ms on the embedded store.
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

from rdflib import Dataset

import kg
from kg.graph import add_article, new_graph, save_graph
from kg.model import Actor, ArticleResult, Event
from kg.store import OxigraphStore

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


def median_ms(source, sparql: str, runs: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(runs):
        seconds, result = timed(lambda: kg.run_query(source, sparql))
        times.append(seconds)
        rows = len(result.rows)
    return statistics.median(times) * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per query on the embedded store")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="runs per query on rdflib")
    parser.add_argument("--actor-variants", type=int, default=200)
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    (example,) = kg.extract_paths([EXAMPLE])
    per_copy = len(list(_one_graph(copy_of(example, 0, args.actor_variants))))
    copies = max(1, args.triples // per_copy)
    results = [copy_of(example, i, args.actor_variants) for i in range(copies)]
    print(f"corpus: {copies} copies of the example article x ~{per_copy} statements, "
          f"{args.actor_variants} actor variants")

    seconds, graph = timed(lambda: _rdflib_graph(results))
    print(f"load  rdflib in memory (add_article):   {seconds:8.1f} s   {len(graph):,} statements")
    with tempfile.TemporaryDirectory() as tmp:
        nquads = Path(tmp) / "graph.nq"
        save_graph(graph, nquads)
        seconds, _ = timed(lambda: kg.load_graph(nquads))
        print(f"load  rdflib from N-Quads file:        {seconds:8.1f} s   ({nquads.stat().st_size / 1e6:.0f} MB file)")
        store = OxigraphStore(Path(tmp) / "store", create=True)
        seconds, _ = timed(lambda: store.add_results(results))
        store.close()
        size = sum(f.stat().st_size for f in (Path(tmp) / "store").rglob("*") if f.is_file())
        print(f"load  embedded store (add_result each): {seconds:8.1f} s   "
              f"({copies / seconds:.0f} articles/s, {size / 1e6:.0f} MB on disk)")
        store = OxigraphStore(Path(tmp) / "store", read_only=True)
        print(f"\n{'query':<16} {'rows':>7} {'rdflib ms':>11} {'embedded ms':>12}")
        for name in kg.list_queries():
            sparql = kg.canned_query(name)
            ox_ms, ox_rows = median_ms(store, sparql, args.runs)
            rdf_ms, rdf_rows = median_ms(graph, sparql, args.rdflib_runs)
            flag = "" if ox_rows == rdf_rows else f"  (row counts differ: {rdf_rows} vs {ox_rows})"
            print(f"{name:<16} {ox_rows:>7} {rdf_ms:>11.0f} {ox_ms:>12.0f}{flag}", flush=True)
        store.close()


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
