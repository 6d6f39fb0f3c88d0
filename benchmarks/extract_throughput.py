#!/usr/bin/env python3
"""Throughput of kg extraction compared with bare spaCy parsing of the same text.

    .venv/bin/python benchmarks/extract_throughput.py [N_ARTICLES] [--repeat R] [--model NAME]

The corpus is real news sentences: the example article, plus the 161 PLOVER dev sentences
of ../shared/gold/plover-dev.articles.jsonl (8 to an article) when that file is present,
cycled to N_ARTICLES articles (default 200). Measured, best of R runs each:
  (a) spaCy alone: `nlp.pipe` over the lines kg parses, as one stream, the model as
      `spacy.load` gives it (kg.load_model gives the same annotations sooner);
  (b) kg's parse stage: `kg.nlp.parse.parse_articles` (one stream, then one Doc per article);
  (c) kg end to end: `kg.pipeline.run.process_articles` (parse + extract events);
  (d) event extraction alone: `kg.extract.extract_events` over the articles parsed once
      (each run starts from the Docs as the parser left them);
  (e) the whole `kg extract CORPUS.jsonl --format jsonl` command, start-up, model loading and
      JSON output included, against (f) a bare spaCy script that loads the same model and
      parses the same lines (also start-up included).
The figures to watch are (c)/(a), the cost of kg over parsing, and (e)/(f), the whole
command's (targets: at most 1.20); (d)/(a) is the part that event extraction adds.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

import spacy

from kg.extract import extract_events
from kg.gazetteer import load_gazetteer
from kg.ingest.articles import read_articles
from kg.model import Article
from kg.nlp.parse import DEFAULT_MODEL, _lines, load_model, parse_articles
from kg.pipeline.run import process_articles

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_scaling import BARE_SPACY  # noqa: E402  (the same bare spaCy run as the build benchmark)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "russia-hamas-hostages.txt"
PLOVER = ROOT.parent / "shared" / "gold" / "plover-dev.articles.jsonl"
SENTENCES_PER_ARTICLE = 8


def base_articles() -> tuple[list[Article], str]:
    """The distinct articles of the corpus and a description of where they come from."""
    articles = list(read_articles([EXAMPLE]))
    if not PLOVER.is_file():
        return articles, "the example article"
    texts = [a.text.strip() for a in read_articles([PLOVER])]
    for start in range(0, len(texts), SENTENCES_PER_ARTICLE):
        chunk = texts[start:start + SENTENCES_PER_ARTICLE]
        articles.append(Article(id=f"plover-{start // SENTENCES_PER_ARTICLE}", text="\n".join(chunk)))
    return articles, f"the example article + {len(texts)} PLOVER dev sentences"


def build_corpus(n: int) -> tuple[list[Article], str]:
    """N articles cycling through the base articles, each with its own id."""
    base, origin = base_articles()
    corpus = [Article(id=f"{a.id}-{i}", text=a.text, title=a.title, date=a.date)
              for i, a in enumerate(islice(cycle(base), n))]
    return corpus, f"{n} articles cycled from {len(base)} distinct ones ({origin})"


def processor() -> str:
    """The CPU model (from /proc/cpuinfo on Linux), else what `platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def best_of(repeat: int, run: Callable[[], tuple[int, int]]) -> tuple[float, int, int]:
    """The shortest wall time of `repeat` runs, with the run's (sentences, events)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        counts = run()
        times.append(time.perf_counter() - start)
    return min(times), *counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("articles", nargs="?", type=int, default=200, help="number of articles (default 200)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    args = ap.parse_args()

    corpus, description = build_corpus(args.articles)
    spacy_nlp = spacy.load(args.model)  # as spaCy loads it, for (a)
    nlp = load_model(args.model)  # as kg loads it (the same annotations, sooner), for (b)
    lines = [text for article in corpus for text, _ in _lines(article)]  # exactly what kg hands to spaCy
    list(process_articles(corpus[:20], args.model))  # warm-up: model, gazetteer, lexicon, caches

    def spacy_only() -> tuple[int, int]:
        return sum(1 for doc in spacy_nlp.pipe(lines, batch_size=64) for s in doc.sents if s.text.strip()), 0

    def kg_parse() -> tuple[int, int]:
        return sum(len(p.sentences) for p in parse_articles(corpus, nlp)), 0

    def kg_extract() -> tuple[int, int]:
        results = list(process_articles(corpus, args.model))
        return sum(len(r.sentences) for r in results), sum(len(r.events) for r in results)

    rows = [("(a) spaCy nlp.pipe", *best_of(args.repeat, spacy_only)),
            ("(b) kg parse stage", *best_of(args.repeat, kg_parse)),
            ("(c) kg extraction", *best_of(args.repeat, kg_extract))]

    parsed = list(parse_articles(corpus, nlp))  # only now, so that (a) to (c) run without these Docs in memory
    as_parsed = [dict(p.doc.user_data) for p in parsed]
    gazetteer = load_gazetteer()

    def kg_events() -> tuple[int, int]:
        for p, user_data in zip(parsed, as_parsed):  # no run reads what an earlier one left in a Doc
            p.doc.user_data.clear()
            p.doc.user_data.update(user_data)
        events = sum(len(extract_events(p, gazetteer)) for p in parsed)
        return sum(len(p.sentences) for p in parsed), events

    rows.append(("(d) events alone", *best_of(args.repeat, kg_events)))

    print(f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs "
          f"({processor()}); Python {platform.python_version()}, "
          f"spaCy {spacy.__version__}, model {args.model}, 1 process")
    print(f"corpus: {description}; {len(lines)} lines, {rows[2][2]} sentences, {rows[2][3]} events")
    for label, seconds, sentences, _ in rows:
        print(f"{label:<20} {seconds:7.2f} s  {sentences / seconds:8.1f} sentences/s")
    ratio = rows[2][1] / rows[0][1]
    print(f"ratio (c)/(a): {ratio:.2f} (kg adds {100 * (ratio - 1):.0f}% over parsing; target <= 20%); "
          f"(b)/(a): {rows[1][1] / rows[0][1]:.2f}; (d)/(a): {rows[3][1] / rows[0][1]:.2f} "
          f"(event extraction alone); best of {args.repeat} runs each")
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "corpus.jsonl"
        path.write_text("".join(json.dumps({"id": a.id, "title": a.title, "date": a.date, "text": a.text}) + "\n"
                                for a in corpus), encoding="utf-8")
        command = best_of(args.repeat, lambda: _run([sys.executable, "-m", "kg", "extract", str(path),
                                                       "--format", "jsonl", "--model", args.model]))[0]
        bare = best_of(args.repeat, lambda: _run([sys.executable, "-c", BARE_SPACY, str(path), "1", args.model]))[0]
    print(f"(e) kg extract command {command:7.2f} s  {rows[2][2] / command:8.1f} sentences/s")
    print(f"(f) bare spaCy script  {bare:7.2f} s")
    print(f"ratio (e)/(f): {command / bare:.2f} (the whole command over a bare spaCy run, start-up included)")
    return 0


def _run(command: list[str]) -> tuple[int, int]:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return 0, 0


if __name__ == "__main__":
    sys.exit(main())
