#!/usr/bin/env python3
"""How `kg build` scales with the corpus: time and peak memory by size, and its cost over bare spaCy.

    .venv/bin/python benchmarks/corpus_scaling.py [--sizes 100 1000 10000] [--workers 1 2]
                                                  [--ratio-size 1000] [--repeat 1] [--output store|files]

The corpus is made of real news sentences: the body lines of the example article
(examples/russia-hamas-hostages.txt) and every text of ../shared/gold/*.articles.jsonl
(the 161 PLOVER dev sentences), when that directory is there. Article i draws 4 to 10 of these
sentences at random (seeded with i, so every run builds the same corpus), in a random order,
and gets its own id and date, so no two articles are the same text. The corpus is written as
one JSON Lines file per size.

1. Scaling: `kg build CORPUS --store DIR` (default; `--output files` writes Turtle + HTML
   instead, which keeps the whole graph in memory) for each size: wall time, time per 1,000
   articles (flat = linear growth), and the peak resident memory of the whole process tree,
   sampled every 0.1 s.
2. Throughput: on the --ratio-size corpus, for each --workers N: the wall time of the whole
   `kg build` command over the wall time of a bare spaCy run (`nlp.pipe(..., n_process=N)`) that
   loads the same model, as spaCy loads it (`spacy.load`, without kg.load_model's faster parse:
   numpy's BLAS and the attribute_ruler's matching, with the same annotations), and parses
   exactly the lines kg parses. Both include start-up and model loading. Goal: within 1.15.
   With --repeat K, the two commands run K times in turn and the fastest run of each counts
   (the machine's speed varies from run to run). Beside it, the CPU time (user + system) of
   each command and of all its processes: on a machine with as many cores as processes, the
   wall-time ratio follows the longest process; when the processes outnumber the cores, it
   follows the CPU-time ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "russia-hamas-hostages.txt"
GOLD = ROOT.parent / "shared" / "gold"
KG = [sys.executable, "-m", "kg"]

BARE_SPACY = """
import json, sys
import spacy
from kg.model import Article
from kg.nlp.parse import DEFAULT_MODEL, _lines
corpus, workers = sys.argv[1], int(sys.argv[2])
nlp = spacy.load(sys.argv[3] if len(sys.argv) > 3 else DEFAULT_MODEL)  # as spaCy loads it (not kg.load_model)
with open(corpus, encoding="utf-8") as handle:
    lines = [text for line in handle for text, _ in _lines(Article(**json.loads(line)))]
sentences = sum(1 for doc in nlp.pipe(lines, batch_size=256, n_process=workers) for s in doc.sents if s.text.strip())
print(sentences)
"""


def sentence_pool() -> tuple[list[str], str]:
    """The real sentences the corpus is made of, and where they come from."""
    body = [line.strip() for line in EXAMPLE.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    pool, sources = list(body), [f"{len(body)} lines of the example article"]
    for path in sorted(GOLD.glob("*.articles.jsonl")):
        texts = [json.loads(line)["text"].strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
        pool += texts
        sources.append(f"{len(texts)} texts of {path.name}")
    return pool, " + ".join(sources)


def write_corpus(path: Path, size: int, pool: list[str]) -> None:
    """`size` articles of 4 to 10 pool sentences each, drawn with a generator seeded by the article number."""
    start = date(2024, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for i in range(size):
            rng = random.Random(i)
            text = "\n".join(rng.sample(pool, rng.randint(4, 10)))
            record = {"id": f"bench-{i:05d}", "date": (start + timedelta(days=i % 366)).isoformat(), "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """Run a command: (wall seconds, peak RSS in bytes of it and all its child processes, stdout).
    `cpu_seconds()` then tells the CPU time it and its children used."""
    with tempfile.TemporaryFile("w+") as stdout:
        _CPU_AROUND_LAST_RUN[0] = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        parent = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        errors = proc.stderr.read()
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {errors.strip()[-2000:]}")
        stdout.seek(0)
        _CPU_AROUND_LAST_RUN[1] = _children_cpu()
        return seconds, peak, stdout.read()


_CPU_AROUND_LAST_RUN = [0.0, 0.0]


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process (and the children they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds() -> float:
    """The CPU time of the last command run_measured ran, its worker processes included."""
    return _CPU_AROUND_LAST_RUN[1] - _CPU_AROUND_LAST_RUN[0]


def build_command(corpus: Path, work: Path, output: str, workers: int) -> list[str]:
    target = ["--store", str(work / f"store-{corpus.stem}-{workers}")] if output == "store" else \
        ["-o", str(work / f"out-{corpus.stem}-{workers}")]
    return [*KG, "build", str(corpus), *target, "--workers", str(workers), "--no-progress"]


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return f"{platform.platform()}, {os.cpu_count()} CPUs ({cpu}), {memory:.0f} GiB; Python {platform.python_version()}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000], help="corpus sizes to build")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="worker counts for the throughput ratio")
    ap.add_argument("--ratio-size", type=int, default=1000, help="corpus size of the throughput ratio (0: skip)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command for the ratio; the fastest counts")
    ap.add_argument("--output", choices=["store", "files"], default="store",
                    help="what kg build writes: an embedded store (default) or Turtle + HTML files")
    args = ap.parse_args()

    pool, origin = sentence_pool()
    print(f"machine: {machine()}")
    print(f"corpus: articles of 4-10 sentences drawn from {len(pool)} real sentences ({origin})")
    work = Path(tempfile.mkdtemp(prefix="kg-corpus-bench-"))
    try:
        if args.sizes:
            print(f"\n1. scaling: kg build --{'store' if args.output == 'store' else 'outdir'}, 1 worker")
            print(f"{'articles':>9} {'sentences':>10} {'time':>9} {'per 1,000':>10} {'peak RSS':>9}")
        for size in args.sizes:
            corpus = work / f"corpus-{size}.jsonl"
            write_corpus(corpus, size, pool)
            seconds, peak, out = run_measured(build_command(corpus, work, args.output, 1))
            sentences = out.split("sentences: ")[1].split()[0]
            print(f"{size:>9,} {int(sentences):>10,} {seconds:>8.1f}s {1000 * seconds / size:>9.1f}s "
                  f"{peak / 2**20:>7.0f} MB", flush=True)
            shutil.rmtree(work / f"store-{corpus.stem}-1", ignore_errors=True)
            shutil.rmtree(work / f"out-{corpus.stem}-1", ignore_errors=True)
        if args.ratio_size:
            corpus = work / f"corpus-{args.ratio_size}.jsonl"
            if not corpus.exists():
                write_corpus(corpus, args.ratio_size, pool)
            print(f"\n2. throughput on {args.ratio_size:,} articles: whole kg build vs bare spaCy nlp.pipe, "
                  "start-up included")
            print(f"{'workers':>7} {'spaCy':>8} {'kg build':>9} {'ratio':>6} {'kg sentences/s':>15} "
                  f"{'CPU spaCy':>10} {'CPU kg':>8} {'CPU ratio':>10}")
            for workers in args.workers:
                bare = built = bare_cpu = built_cpu = float("inf")
                for _ in range(max(1, args.repeat)):
                    seconds, _, sentences = run_measured([sys.executable, "-c", BARE_SPACY, str(corpus), str(workers)])
                    bare, bare_cpu = min(bare, seconds), min(bare_cpu, cpu_seconds())
                    shutil.rmtree(work / f"store-{corpus.stem}-{workers}", ignore_errors=True)
                    shutil.rmtree(work / f"out-{corpus.stem}-{workers}", ignore_errors=True)
                    seconds, _, _ = run_measured(build_command(corpus, work, args.output, workers))
                    built, built_cpu = min(built, seconds), min(built_cpu, cpu_seconds())
                print(f"{workers:>7} {bare:>7.1f}s {built:>8.1f}s {built / bare:>6.2f} "
                      f"{int(sentences) / built:>15.0f} {bare_cpu:>9.1f}s {built_cpu:>7.1f}s "
                      f"{built_cpu / bare_cpu:>10.2f}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
