#!/usr/bin/env python3
"""Load and soak of `kg serve` on loopback: requests/s, p50/p99 latency, errors, server memory.

    .venv/bin/python benchmarks/serve_load.py [GRAPH] [--triples 440000] [--seconds 20]
        [--clients 8] [--runaway 2] [--workers 4] [--timeout 2]

GRAPH is a store directory or an RDF file; without it a store of about --triples statements is
built in a temporary directory from copies of the example article (as benchmarks/query_stores.py
builds its corpus). The endpoint is started in its own process on a free port of 127.0.0.1
(kg.serve.endpoint.serve with --workers query workers and a --timeout limit); --clients threads then send
cheap queries (an ASK, a few first pages) in a loop for --seconds, while --runaway threads send
a query that never ends (an ORDER BY over a cartesian product), each stopped at the limit (503).
Reported: cheap requests, requests/s, p50/p99 latency and errors (any answer but 200); the
runaway answers by status; the server's memory (its process and its workers, resident) at start,
at most and at the end. Bounded: the loop stops after --seconds (or --max-requests), traffic
goes only to 127.0.0.1, and the server is stopped at the end.

Measured (2 cores shared with other work, load average 3.5-5 at the start; a store of 439,666
statements built in ~30 s; 4 workers, a 2 s limit, 8 cheap clients, 20 s):
  no runaway:  459 requests/s, p50 13.7 ms, p99 60.7 ms, 0 errors; memory 318 -> 329 MB (peak 329)
  2 runaway:   182 requests/s, p50 30.5 ms, p99 183 ms, 0 errors; 18 runaway answers, all 503;
               memory 315 MB at the start, 1,105 MB at most (the runaways' sorts), 323 MB at the end
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHEAP = [
    "ASK { ?p a kgo:Person }",
    "SELECT ?p WHERE { ?p a kgo:Person } LIMIT 20",
    "SELECT ?s ?o WHERE { ?s kgo:appealsTo ?o } LIMIT 10",
    "SELECT ?e ?c WHERE { ?e a ?c } LIMIT 50",
]
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?e ?i"
SERVER = """
import sys
from kg.serve.endpoint import ServeOptions, serve
from kg.store import open_store
location, port, workers, timeout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
with open_store(location, read_only=True) as store:
    serve(store, "127.0.0.1", port, ServeOptions(timeout_s=timeout, workers=workers),
          log=lambda line: print(line, file=sys.stderr, flush=True))
"""


def build_store(triples: int, location: Path) -> int:
    """A store of about `triples` statements: copies of the example article, actors renamed."""
    import kg
    from kg.store import OxigraphStore
    from query_stores import EXAMPLE, _one_graph, copy_of

    (example,) = kg.extract_paths([EXAMPLE])
    per_copy = len(list(_one_graph(copy_of(example, 0, 200))))
    copies = max(1, triples // per_copy)
    with OxigraphStore(location, create=True) as store:
        store.add_results(copy_of(example, i, 200) for i in range(copies))
    return copies * per_copy


def tree_rss(root: int) -> int:
    """Resident bytes of process `root` and all its descendants (the query workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total


def request(url: str, query: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    target = f"{url}/sparql?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(target, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = 0  # no answer at all
    return status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("graph", nargs="?", help="store directory or RDF file (default: build one)")
    parser.add_argument("--triples", type=int, default=440_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runaway", type=int, default=2, help="threads sending never-ending queries")
    parser.add_argument("--workers", type=int, default=4, help="the server's query workers")
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's time limit per query")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average at start {os.getloadavg()[0]:.2f}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        location = args.graph
        if location is None:
            location = str(Path(tmp) / "store")
            started = time.perf_counter()
            quads = build_store(args.triples, Path(location))
            print(f"store: ~{quads:,} statements built in {time.perf_counter() - started:.0f} s", flush=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-c", SERVER, location, str(port), str(args.workers),
                                   str(args.timeout)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        try:
            print(server.stderr.readline().strip(), flush=True)
            for _ in range(200):  # the first answer: the workers are up
                if request(url, CHEAP[0], 30)[0] == 200:
                    break
                time.sleep(0.1)
            run_load(url, server.pid, args)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run_load(url: str, server_pid: int, args: argparse.Namespace) -> None:
    memory_start = tree_rss(server_pid)
    memory_peak = [memory_start]
    stop_at = time.monotonic() + args.seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    runaway: dict[int, int] = {}
    lock = threading.Lock()

    def cheap_client(seed: int) -> None:
        pick = random.Random(seed)
        while time.monotonic() < stop_at:
            status, seconds = request(url, pick.choice(CHEAP), 30)
            with lock:
                if len(latencies) >= args.max_requests:
                    return
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

    def runaway_client() -> None:
        while time.monotonic() < stop_at:
            status, _ = request(url, RUNAWAY, 60)
            with lock:
                runaway[status] = runaway.get(status, 0) + 1

    def sample_memory() -> None:
        while time.monotonic() < stop_at:
            memory_peak[0] = max(memory_peak[0], tree_rss(server_pid))
            time.sleep(0.25)

    threads = [threading.Thread(target=cheap_client, args=(i,)) for i in range(args.clients)]
    threads += [threading.Thread(target=runaway_client) for _ in range(args.runaway)]
    threads.append(threading.Thread(target=sample_memory))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    time.sleep(1.0)  # the last runaway's worker replaced
    memory_end = tree_rss(server_pid)

    errors = sum(n for status, n in statuses.items() if status != 200)
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000 if ordered else float("nan")
    print(f"cheap: {len(latencies)} requests from {args.clients} clients in {elapsed:.1f} s: "
          f"{len(latencies) / elapsed:.0f} requests/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, errors {errors}"
          + (f" (statuses {dict(sorted(statuses.items()))})" if errors else ""))
    print(f"runaway: {sum(runaway.values())} answers from {args.runaway} clients, by status "
          f"{dict(sorted(runaway.items()))} (503: stopped at the {args.timeout:g} s limit)")
    print(f"server memory (process and workers, resident): start {memory_start / 2**20:.0f} MB, "
          f"peak {memory_peak[0] / 2**20:.0f} MB, end {memory_end / 2**20:.0f} MB", flush=True)


if __name__ == "__main__":
    sys.exit(main())
