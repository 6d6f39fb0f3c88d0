"""How fast a large graph's HTML view loads and settles in headless Chromium.

    .venv/bin/python benchmarks/viz_large.py [N_ACTORS] [--runs 3]

The synthetic graph: N actors (default 2,000; every fifth a state, every seventh an
international organisation, the rest persons) linked like a real news network, with a few
hubs and a long tail: the actor pairs are the edges of a seeded Barabási–Albert graph
(networkx, m=2, so about 2N pairs), and each pair gets 1–3 events whose action, CAMEO code,
date and sentence cycle through a table of real event kinds (consult, appeal, criticise,
threaten, aid, …). The events go through `kg.build_graph`, as extracted events would, and
the view is rendered with `kg.render_html` twice: with every actor (--max-nodes N) and with
the default cap (the 300 most connected).

Each page is opened from file:// in Debian's chromium (Playwright, scripts/view_screenshot.py)
and timed from navigation start: `load` (the page and its inlined script parsed and run),
`layout` (the physics stabilisation finished and was switched off) and `settled` (then the view
fitted to what is visible and its labels sized: the page is ready to read). The best of --runs
is printed, with the file size.
"""
from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from view_screenshot import chromium  # noqa: E402

import kg  # noqa: E402
from kg.model import Actor, Article, ArticleResult, Event  # noqa: E402
from kg.views.viz import DEFAULT_MAX_NODES, render_html  # noqa: E402

EVENT_KINDS = [  # action, event class, CAMEO, Goldstein, quad class
    ("meet with", "ConsultGeneral", "040", 1.0, 1),
    ("call on", "AppealGeneral", "020", 3.0, 1),
    ("criticize", "CriticizeOrDenounce", "111", -2.0, 3),
    ("threaten", "ThreatenGeneral", "130", -4.4, 3),
    ("provide aid to", "ProvideAidGeneral", "070", 7.0, 2),
    ("sign agreement with", "SignFormalAgreement", "057", 8.0, 1),
    ("impose sanctions on", "ImposeEmbargoBoycottOrSanctions", "163", -8.0, 4),
]


def synthetic_results(n_actors: int, seed: int = 7) -> list[ArticleResult]:
    """One article per 50 actor pairs, events as described in the module docstring."""
    pairs = nx.barabasi_albert_graph(n_actors, 2, seed=seed).edges()
    actors = [Actor(f"Actor {i:04d}", f"Actor {i:04d}",
                    "State" if i % 5 == 0 else "InternationalOrganization" if i % 7 == 0 else "Person")
              for i in range(n_actors)]
    results, events, sentences = [], [], []
    for k, (a, b) in enumerate(pairs):
        for j in range(1 + (a * 31 + b) % 3):
            action, class_, cameo, goldstein, quad = EVENT_KINDS[(k + j) % len(EVENT_KINDS)]
            article_id = f"synthetic-{k // 50:04d}"
            sentence = f"{actors[a].name} said it would {action} {actors[b].name} (report {k}.{j})."
            events.append(Event(article_id, len(sentences), sentence, actors[a], action, object=actors[b],
                                event_type=class_, cameo=cameo, goldstein=goldstein, quad_class=quad,
                                date=f"2023-{1 + k % 12:02d}-{1 + j * 9:02d}"))
            sentences.append(sentence)
        if k % 50 == 49 or k == len(pairs) - 1:
            article = Article(article_id, " ".join(sentences), title=f"Synthetic report {k // 50}")
            results.append(ArticleResult(article, events, sentences))
            events, sentences = [], []
    return results


def time_page(context, path: Path) -> tuple[float, float, float]:
    """(load, layout, settled) in seconds from navigation start."""
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=300_000)
        page.wait_for_function("window.kgView && window.kgView.stabilized", timeout=300_000, polling=50)
        load_ms, layout_ms, settled_ms = page.evaluate(
            "[performance.getEntriesByType('navigation')[0].loadEventEnd,"
            " (kgView.marks || {}).layout || kgView.stabilizedAt, kgView.stabilizedAt]")
        return load_ms / 1000, layout_ms / 1000, settled_ms / 1000
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("actors", nargs="?", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    graph = kg.build_graph(synthetic_results(args.actors))
    net = kg.to_networkx(graph)
    print(f"synthetic graph: {net.number_of_nodes():,} actors, {net.number_of_edges():,} events, "
          f"{len(graph):,} triples (built in {time.perf_counter() - started:.1f} s)")
    print(f"machine: {platform.system()} {platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="kg-viz-bench-") as tmp, chromium() as context:
        print(f"\n{'view':<28} {'nodes':>6} {'edges':>6} {'events':>7} {'MB':>6} {'render s':>9} "
              f"{'load s':>7} {'layout s':>9} {'settled s':>10}")
        for cap in (args.actors, DEFAULT_MAX_NODES):
            path = Path(tmp) / f"view-{cap}.html"
            started = time.perf_counter()
            summary = render_html(net, path, title=f"synthetic {args.actors}", max_nodes=cap)
            render_s = time.perf_counter() - started
            timings = [time_page(context, path) for _ in range(args.runs)]
            load, layout, settled = (min(t[i] for t in timings) for i in range(3))
            name = f"--max-nodes {cap}" + (" (default)" if cap == DEFAULT_MAX_NODES else "")
            print(f"{name:<28} {summary.nodes:>6,} {summary.edges:>6,} {summary.events:>7,} "
                  f"{path.stat().st_size / 1e6:>6.1f} {render_s:>9.2f} {load:>7.2f} {layout:>9.2f} {settled:>10.2f}")


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


if __name__ == "__main__":
    main()
