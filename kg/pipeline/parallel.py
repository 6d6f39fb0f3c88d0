"""Extraction over many processes: chunks of articles on a local process pool or a Dask cluster.

A worker process loads the spaCy model and the gazetteer once (both are cached per process)
and sends back small picklable `ArticleResult`s (events and sentence texts, never Docs), or,
when a single worker only parses for the main process (`parse_in_parallel`), the Docs of the
lines it parsed, packed in a spaCy DocBin, for the main process to run the pipeline's last
component (the named entities) over them. Results come back in input order, and only a few
chunks are in flight at a time, so memory stays flat however long the corpus is.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from kg.errors import KgError
from kg.extract.events import extract_events
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.ingest.articles import Skipped
from kg.model import Article, ArticleResult
from kg.nlp import parse as nlp_parse
from kg.nlp.parse import (PackedLines, ParsedArticle, ParsedLines, combine_lines, finish_lines, load_model,
                          memory_zone, pack_lines, parse_articles, parse_lines, separable_tail, unpack_lines, zones)

CHUNK_SIZE = 16  # articles per task: big enough to keep nlp.pipe batching, small enough to balance
_IN_FLIGHT_PER_SLOT = 2  # chunks queued per worker slot, so no worker waits for the next one
# chunks in flight per worker that parses for this process, so that the worker can run ahead
# while this process finishes a chunk (alternating builds of 1,000 articles: with 2 in flight,
# one side often waiting for the other, they took 13-50% longer)
_PARSE_WINDOW = 4

# Dask runs several tasks of a worker in threads; one spaCy pipeline is parsed by one thread at a time.
_EXTRACT_LOCK = threading.Lock()


def extract_articles(articles: Iterable[Article], model: str,
                     gazetteer: Gazetteer | None = None) -> Iterator[ArticleResult | Skipped]:
    """Parse and extract articles in this process, one result per article, in order.
    `gazetteer` defaults to the built-in one (a user's comes from `load_gazetteer(FILE)`).

    An article that cannot be parsed or whose extraction fails comes out as a Skipped, in its
    place, and the others go on.

    Every ZONE_ARTICLES articles are parsed and extracted in a spaCy memory zone
    (`kg.nlp.parse.memory_zone`), so the words they add to the model's vocabulary are freed
    with their Docs and a long run's memory stays flat; a result holds no Doc. The zone is
    open while a result is handed out: a Doc the caller parses meanwhile with the same
    pipeline (`load_model(model)`) must not be kept past the next result.
    """
    nlp = load_model(model)
    for chunk in zones(articles):
        with memory_zone(nlp):
            yield from extract_parsed(_parsed(chunk, model), gazetteer)


def extract_parsed(parsed: Iterable[ParsedArticle | Skipped],
                   gazetteer: Gazetteer | None = None) -> Iterator[ArticleResult | Skipped]:
    """The events of articles already parsed, one result per article (Skipped ones pass through)."""
    if gazetteer is None:
        gazetteer = load_gazetteer()
    for item in parsed:
        if isinstance(item, Skipped):
            yield item
            continue
        article = item.article
        try:
            events = extract_events(item, gazetteer)
        except Exception as exc:  # a bug hit by one article must not lose the rest of a corpus
            yield Skipped(f"article {article.id!r}",
                          f"article {article.id!r}: extraction failed ({type(exc).__name__}: {exc}); "
                          "this is a bug in kg, please report it with the article", article.id)
            continue
        yield ArticleResult(article, events, [s.text for s in item.sentences])


def _parsed(articles: Iterable[Article], model: str,
            parse: Callable = parse_articles) -> Iterator[ParsedArticle | ParsedLines | Skipped]:
    """`parse` (`parse_articles` or `parse_lines`) with each article spaCy cannot take as a
    Skipped in its place."""
    failed: list[Skipped] = []

    def parse_failed(article: Article, reason: str) -> None:
        failed.append(Skipped(f"article {article.id!r}", reason, article.id))

    for parsed in parse(articles, load_model(model), on_error=parse_failed):
        yield from failed
        failed.clear()
        yield parsed
    yield from failed


def extract_chunk(articles: list[Article], model: str,
                  gazetteer: Gazetteer | None = None) -> list[ArticleResult | Skipped]:
    """The task a worker runs: `extract_articles` over one chunk, as a list to send back."""
    with _EXTRACT_LOCK:
        return list(extract_articles(articles, model, gazetteer))


def parse_chunk(articles: list[Article], model: str,
                leave_out: tuple[str, ...] = ()) -> tuple[list[Skipped | None], PackedLines]:
    """The task of a worker that only parses: one chunk's parsed lines (without the pipeline
    components in `leave_out`), packed to send back, and the chunk's order (None where the
    next packed article comes, a Skipped where one failed)."""
    with _EXTRACT_LOCK, memory_zone(load_model(model)):  # the Docs go as bytes: the words they added are freed
        items = list(_parsed(articles, model, functools.partial(parse_lines, disable=leave_out)))
        order = [item if isinstance(item, Skipped) else None for item in items]
        return order, pack_lines((item for item in items if not isinstance(item, Skipped)), leave_out)


@dataclass(frozen=True)
class Workers:
    """Somewhere to run chunk tasks (`extract_chunk`, `parse_chunk`): an executor and how many
    tasks it runs at once."""

    executor: Executor
    slots: int
    where: str  # for error messages: "the local worker processes", "the Dask cluster at ..."


def extract_in_parallel(articles: Iterable[Article], model: str, workers: Workers,
                        chunk_size: int = CHUNK_SIZE,
                        gazetteer: Gazetteer | None = None) -> Iterator[ArticleResult | Skipped]:
    """`extract_articles` spread over `workers`, yielding results in input order."""
    for results in _chunks_in_parallel(articles, workers, chunk_size, extract_chunk, model, gazetteer,
                                       failed=lambda skipped: [skipped]):
        yield from results


def parse_in_parallel(articles: Iterable[Article], model: str, workers: Workers,
                      chunk_size: int = CHUNK_SIZE) -> Iterator[ParsedArticle | Skipped]:
    """The articles parsed by `workers` and unpacked here, in input order: what this process
    then does with each (extracting its events) overlaps the parsing of the next ones.

    The pipeline's last component (`separable_tail`: en_core_web_sm's ner, ~45% of the
    parse) is left to this process whenever it keeps up: a chunk goes out without it while
    the workers still have chunks to parse, and whole when every chunk sent is back (this
    process is then the slower one). The workers and this process then share the parse, and
    every core stays busy.

    The Docs of every ZONE_ARTICLES articles or so (whole chunks) are made in a spaCy memory
    zone (`kg.nlp.parse.memory_zone`), closed when the next article after them is asked for:
    a ParsedArticle must not be used after the next one is asked for (`extract_parsed` keeps
    only its events).
    """
    nlp = load_model(model)
    tail = separable_tail(nlp)

    def leave_out(pending: deque) -> tuple:
        return ((),) if pending and all(future.done() for future, _, _ in pending) else (tail,)

    def failed(skipped: Skipped) -> tuple[list[Skipped | None], PackedLines]:
        return [skipped], pack_lines(())

    chunks = _chunks_in_parallel(articles, workers, chunk_size, parse_chunk, model, more_args=leave_out,
                                 window=_PARSE_WINDOW * workers.slots, failed=failed)
    for zone in zones(chunks, max(1, nlp_parse.ZONE_ARTICLES // chunk_size)):
        with memory_zone(nlp):
            for order, packed in zone:
                parsed = iter(finish_lines(unpack_lines(packed, nlp), nlp, packed.left_out))
                for item in order:
                    yield combine_lines(next(parsed), nlp) if item is None else item


def _chunks_in_parallel(articles: Iterable[Article], workers: Workers, chunk_size: int, task: Callable, *args,
                        more_args: Callable[[deque], tuple] | None = None, window: int | None = None,
                        failed: Callable[[Skipped], object] | None = None) -> Iterator:
    """`task(chunk, *args)` for each chunk of `chunk_size` articles on `workers`, results in
    order, with only a few chunks in flight at a time (`window`). `more_args(pending)` (each entry:
    future, chunk, arguments) gives arguments to add for the next chunk, from how far the tasks
    in flight have got.

    A chunk whose task fails is run again one article at a time, so that an article at fault
    is skipped (`failed(skipped)` stands for its result) and the others are kept; only when
    every article of the chunk fails alone is the task itself at fault (an installation error)."""
    pending: deque = deque()
    window = window or max(2, _IN_FLIGHT_PER_SLOT * workers.slots)
    remaining = iter(articles)
    for chunk in iter(lambda: list(islice(remaining, chunk_size)), []):
        extra = more_args(pending) if more_args is not None else ()
        pending.append((workers.executor.submit(task, chunk, *args, *extra), chunk, extra))
        if len(pending) >= window:
            yield from _results(pending.popleft(), workers, task, args, failed)
    while pending:
        yield from _results(pending.popleft(), workers, task, args, failed)


def _results(submitted: tuple, workers: Workers, task: Callable, args: tuple,
             failed: Callable[[Skipped], object] | None) -> Iterator:
    """The result of one submitted chunk, or, when its task failed, of each of its articles alone."""
    future, chunk, extra = submitted
    try:
        yield _result(future, workers)
        return
    except _TaskFailed as exc:
        if failed is None:
            raise KgError(exc.message) from None
        first = exc
    retried, failures = [], 0
    for article in chunk:
        try:
            retried.append(_result(workers.executor.submit(task, [article], *args, *extra), workers))
        except _TaskFailed as exc:
            failures += 1
            retried.append(failed(Skipped(f"article {article.id!r}",
                                          f"article {article.id!r}: cannot be processed ({exc.detail})",
                                          article.id)))
    if len(chunk) > 1 and failures == len(chunk):
        raise KgError(first.message)  # every article fails alone: the task itself, not a record
    yield from retried


class _TaskFailed(Exception):
    """A chunk task raised (not a KgError): the message that blames the workers, and the detail."""

    def __init__(self, message: str, detail: str):
        super().__init__(message)
        self.message, self.detail = message, detail


def _result(future, workers: Workers):
    try:
        return future.result()
    except BrokenProcessPool:
        raise KgError(f"a worker process died unexpectedly ({workers.where}); "
                      "it may have run out of memory: try fewer --workers") from None
    except KgError:
        raise  # e.g. the model is not installed on a Dask worker
    except Exception as exc:  # articles fail one by one inside the task, so this is the task itself
        detail = f"{type(exc).__name__}: {' '.join(str(exc).split()) or 'no details'}"
        raise _TaskFailed(f"a task failed on {workers.where} ({detail}); "
                          "check that kg and its model are installed on every worker", detail) from None


def _start_worker(model: str, parent: int) -> None:
    """A worker process's start: the model loaded, and a watch that ends the worker when the
    build that started it is gone (killed builds must not leave workers behind)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle (it stops the pool)
    load_model(model)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int, every_s: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(every_s)
    os._exit(1)


@contextmanager
def process_pool(count: int, model: str) -> Iterator[Workers]:
    """`count` local worker processes, each with the model loaded."""
    load_model(model)  # fail fast on a missing model; forked workers start with it already loaded
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker, initargs=(model, os.getpid()))
    try:
        yield Workers(pool, count, f"{count} local worker process{'es' if count > 1 else ''}")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def dask_cluster(address: str) -> Iterator[Workers]:
    """The Dask distributed cluster whose scheduler is at `address` (kg must be installed on its workers)."""
    try:
        from distributed import Client
    except ImportError:
        raise KgError("--dask needs Dask distributed; install it with: pip install 'kg[dask]'") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise KgError(f"cannot connect to the Dask scheduler at {address}: {detail}") from None
    try:
        slots = sum(client.nthreads().values())
        if not slots:
            raise KgError(f"the Dask cluster at {address} has no workers; start some with: dask worker {address}")
        with client.get_executor(pure=False) as executor:
            yield Workers(executor, slots, f"the Dask cluster at {address}")
    finally:
        client.close()
