"""The embedded store: a persistent store in a directory (pyoxigraph on RocksDB), no server needed.

Writing an article replaces its named graph; new articles are committed in batches, each batch
whole or not at all, so the store never holds half an article and re-adding an article never
duplicates it. The default graph is kept equal to the set union of the article graphs, so
queries see each statement once, as on an rdflib Dataset. A shipped query that declares
`# page by ?VAR` is read a few articles or key values at a time when only its first rows are
asked for (`kg.store.paging`).
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError, StoreError
from kg.gazetteer import Gazetteer
from kg.graph.build import NTRIPLES_TERMS, article_statements, new_graph
from kg.graph.mentions import description_query, description_statements
from kg.graph.sparql import QueryResult, first_rows, limited, mentions_service, one_line, parse_query, select_columns
from kg.model import ArticleResult
from kg.store.base import (Store, TermConverter, Triple, bound_graph, ntriples, query_namespaces, replace_graph_update,
                           to_rdflib)
from kg.store.paging import page_keys, page_order, page_variable, with_values
from kg.vocab import article_iri

STORE_MARKER = "CURRENT"  # a file every RocksDB (and so Oxigraph) directory has


# New articles are written in batches: one bulk load of N-Quads per batch takes about half the
# CPU time of a transaction per article, and writing is most of what kg adds to parsing. A
# batch is written to a file of the store as its articles come (not held in memory), committed
# when that file is whole (renamed to the journal), then loaded; a batch whose load was cut
# short is loaded from the journal when the store is next opened. Each bulk load adds sorted
# files that RocksDB merges in the background, at a cost that grows with the store: the fewer
# batches, the less merging (1M statements: 25-26 s of CPU with batches of 50,000 statements,
# 22.5-23 s with 100,000 to 250,000). The cap bounds the bulk loader's memory, about 1.2 KB a
# statement, which is the peak of a store build's main process: writing 2,000 articles again
# (1.33M statements, nothing parsed) peaked at 253 MB with batches of 50,000 statements (about
# 75 articles; 31 loads, 32.6 s of CPU) and at 364 MB with 150,000 (10 loads, 27.4 s). The time
# limit bounds what a killed build loses.
BATCH_QUADS = 50_000  # statements in a batch at most (an article's and its union copy)
BATCH_SECONDS = 15.0  # and at most this long since its first article came
JOURNAL = "kg-batch.nq"
FLUSH_EVERY = 100  # articles replaced (in place) between flushes of the embedded store
# Compact the store on close when a session wrote at least this many articles and at least
# this share of the store: queries then read a few sorted files instead of one per batch
# (about twice as fast on 1M quads); the cost follows the store's size, hence the share.
COMPACT_AFTER, COMPACT_SHARE = 100, 0.1
# The sorted key values of paged queries (`# page by ?VAR in { ... }`), kept for the next
# query on the same state of the store: listing them reads the whole corpus (dyad-balance's
# sources: every event), the pages read only a few keys' rows.
KEY_CACHE = "kg-keys.json"
KEY_CACHE_ENTRIES = 32
_XSD_STRING = ox.NamedNode(str(XSD.string))


class OxigraphStore(Store):
    """An embedded persistent store in a directory (Oxigraph on RocksDB), no server needed.

    Articles added are committed in batches (`commit`, also on close): an interrupted build
    keeps every batch committed, and never part of an article."""

    def __init__(self, path: str | os.PathLike[str], create: bool = False, read_only: bool = False) -> None:
        path = Path(path)
        self.location = str(path)
        self.read_only = read_only
        if path.exists() and not path.is_dir():
            raise StoreError(f"cannot use {path} as a store: it is not a directory")
        if path.is_dir() and not (path / STORE_MARKER).is_file() and (not create or any(path.iterdir())):
            raise StoreError(f"{path} is not a kg store (an Oxigraph directory); "
                             "make one with kg build ARTICLES --store DIR")
        if not path.exists() and not create:
            raise StoreError(f"store not found: {path}")
        self._journal = path / JOURNAL
        self._pending = path / f"{JOURNAL}.tmp"  # the batch being written
        if read_only and self._journal.exists():  # a batch left by an interrupted build: load it first
            OxigraphStore(path).close()
        before = store_state(path) if read_only else None
        self._store = self._open(path, read_only)
        # keys kept for what this read-only view holds, unless a write came while it was being opened
        self._key_cache = KeyCache(path, before) if before is not None and store_state(path) == before else None
        self._namespaces = query_namespaces()
        self._writes = self._replaced = 0
        self._batch_started = 0.0
        self._empty_batch()
        if not read_only:
            self._pending.unlink(missing_ok=True)  # a batch never committed
            for cached in path.glob(f"{KEY_CACHE}*"):  # of a state this session will change
                with contextlib.suppress(OSError):
                    cached.unlink()
            if self._journal.exists():
                self._load_journal()

    @staticmethod
    def _open(path: Path, read_only: bool) -> ox.Store:
        try:
            return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports a store being written as corrupt
            raise StoreError(f"cannot open the store {path}: {one_line(exc)}"
                             + (" (is another kg process using it?)" if "lock" in str(exc).lower() else "")) from None

    def add_result(self, result: ArticleResult, gazetteer: Gazetteer | None = None) -> None:
        # statements made as N-Triples text straight away: converting rdflib terms cost more than
        # the rest of writing an article
        _, triples = article_statements(result.article, result.events, result.sentences, gazetteer,
                                        NTRIPLES_TERMS, self.event_index())
        self._write(article_iri(result.article.id), triples)

    def replace_graph(self, name: URIRef, triples: list[Triple]) -> None:
        blank = any(isinstance(term, BNode) for triple in triples for term in triple)
        self._write(str(name), [tuple(ntriples(t) for t in triple) for triple in triples], blank)

    def _describe_event(self, event: str, graph: str) -> list:
        if graph in self._batch_graphs:  # written in this session's batch: readable once committed
            self.commit()
        # read without committing the batch (as `query` would): a graph of an earlier batch is in the store
        convert = TermConverter()
        rows = [tuple(convert(term) for term in solution) for solution in
                self._evaluate(description_query(event, graph))]  # type: ignore[union-attr]
        return description_statements(rows, event, ntriples)

    def _write(self, graph: str, triples: list[tuple[str, str, str]], blank_nodes: bool = False) -> None:
        """Replace the named graph `graph` by `triples` (N-Triples terms): in the next batch if
        the graph is new, else at once in one transaction (after the batch)."""
        if blank_nodes or graph in self._batch_graphs or self._store.contains_named_graph(ox.NamedNode(graph)):
            # a bulk load cannot take statements out, and gives blank nodes new names
            self.commit()
            try:
                self._store.update(replace_graph_update(graph, triples))
            except OSError as exc:
                raise StoreError(f"cannot write to the store {self.location}: {one_line(exc)}") from None
            self._replaced += 1
            if self._replaced % FLUSH_EVERY == 0:
                # RocksDB keeps written data in memory buffers until a flush: without one, a
                # build's memory grows with the corpus
                self._store.flush()
        else:
            self._add_to_batch(graph, triples)
        self._writes += 1

    def _add_to_batch(self, graph: str, triples: list[tuple[str, str, str]]) -> None:
        try:
            if self._batch is None:
                self._batch = self._pending.open("w", encoding="utf-8", buffering=1 << 20)
                self._batch_started = time.monotonic()
            name = f"<{graph}>"
            self._batch.writelines([f"{s} {p} {o} {name} .\n" for s, p, o in triples])
            # each statement of the union once a batch: articles share their actors' labels and types
            union = [line for line in (f"{s} {p} {o} .\n" for s, p, o in triples) if line not in self._batch_union]
            self._batch_union.update(union)
            self._batch.writelines(union)
        except OSError as exc:
            self._drop_batch()
            raise StoreError(f"cannot write to the store {self.location}: {exc.strerror or exc}") from None
        self._batch_graphs.add(graph)
        self._batch_quads += 2 * len(triples)
        if self._batch_quads >= BATCH_QUADS or time.monotonic() - self._batch_started >= BATCH_SECONDS:
            self.commit()

    def _drop_batch(self) -> None:
        """Forget the batch (its file and its articles), as when a commit fails."""
        if self._batch is not None:
            with contextlib.suppress(OSError):
                self._batch.close()
        self._pending.unlink(missing_ok=True)
        self._empty_batch()

    def _empty_batch(self) -> None:
        """No batch being written: none yet, or the last one committed or dropped."""
        self._batch: TextIO | None = None  # the batch's N-Quads: each new article's graph and its union copy
        self._batch_graphs: set[str] = set()
        self._batch_union: set[str] = set()  # the union copy's lines in the batch
        self._batch_quads = 0

    def commit(self) -> None:
        """Write the articles added since the last commit: all of them, even if interrupted
        once the journal is whole (they are then loaded when the store next opens)."""
        if self._batch is None:
            return
        try:
            self._batch.flush()
            os.fsync(self._batch.fileno())
            self._batch.close()
            os.replace(self._pending, self._journal)  # the commit: the journal is whole or absent
        except OSError as exc:
            self._drop_batch()
            raise StoreError(f"cannot write to the store {self.location}: {exc.strerror or exc}") from None
        self._empty_batch()
        self._load_journal()

    def _load_journal(self) -> None:
        try:
            # lenient: no second check of IRIs that Oxigraph checked when it printed them
            self._store.bulk_load(path=str(self._journal), format=ox.RdfFormat.N_QUADS, lenient=True)
            self._journal.unlink()
        except OSError as exc:
            raise StoreError(f"cannot write to the store {self.location}: {one_line(exc)} "
                             f"(the articles are kept in {self._journal} and loaded when the store is "
                             "next opened)") from None
        except SyntaxError as exc:  # kg writes it whole or not at all: only damage can cause this
            raise StoreError(f"the store's last batch of articles, {self._journal}, is damaged "
                             f"({one_line(exc)}); move it away to open the store without it") from None

    def has_article(self, article_id: str) -> bool:
        name = article_iri(article_id)
        return name in self._batch_graphs or self._store.contains_named_graph(ox.NamedNode(name))

    def query(self, sparql: str, max_rows: int | None = None, limit: int | None = None) -> QueryResult:
        self.commit()
        prefixes = dict(sorted(self._namespaces.items()))
        paged = limit is not None and page_variable(sparql) is not None
        answers = self._pages(sparql, (limit or 0) + 1) if paged else iter([self._evaluate(sparql)])
        answer = next(answers, None)
        if paged and not isinstance(answer, (ox.QuerySolutions, _Counted)):  # no articles or keys, or not a SELECT
            answer, answers = self._evaluate(sparql), iter([])
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer), prefixes=prefixes)
        if isinstance(answer, ox.QueryTriples):
            graph = bound_graph()
            for triple in limited(answer, max_rows):
                graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            return QueryResult("graph", graph=graph, prefixes=prefixes)
        variables = [v.value for v in answer.variables]
        columns = select_columns(sparql, variables)
        solutions, more = first_rows(itertools.chain(answer, itertools.chain.from_iterable(answers)), limit)
        convert = TermConverter()
        order = [variables.index(name) for name in columns]
        rows = [tuple(convert(values[i]) for i in order)
                for values in limited((tuple(solution) for solution in solutions), max_rows)]
        return QueryResult("select", columns=columns, rows=rows, prefixes=prefixes, more=more)

    def _evaluate(self, sparql: str, **options) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        if mentions_service(sparql):  # Oxigraph would fetch the URL: rdflib's algebra decides, as on rdflib
            parse_query(sparql, self._namespaces, lambda _: True)
        try:
            return self._store.query(sparql, prefixes=self._namespaces, **options)
        except SyntaxError as exc:
            parse_query(sparql, self._namespaces, lambda _: True)  # rdflib's message when it has one
            raise QueryError(f"SPARQL syntax error: {one_line(exc)}") from None
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {one_line(exc)}") from None

    def _pages(self, sparql: str, need: int) -> Iterator[ox.QuerySolutions | _Counted]:
        """A query declaring `# page by ?VAR` read a part at a time, its parts in the query's
        order (kg.store.paging.page_variable), until `need` rows are read: the first rows cost a few
        parts' work, not the corpus's.

        By article: on each article's graph alone, in IRI order. By the values of a key pattern
        (`in { ... }`): restricted to 1, 2, 4, ... of those values at a time, in order (of the
        values, or of the query's leading ORDER BY variables that the pattern binds), so a
        query narrowed to a few of them (by its parameters) still takes few evaluations; fewer
        values than that once the rows per value so far say fewer will do (`next_batch`)."""
        keys = page_keys(sparql)
        if keys is None:
            for graph in sorted(self._store.named_graphs(), key=lambda g: str(g.value)):
                yield self._evaluate(sparql, default_graph=graph)
            return
        order = page_order(sparql)
        name = order[-1]
        values = self._key_values(keys, order)
        if values is None:  # VALUES cannot name a blank node
            yield self._evaluate(sparql)
            return
        start, size, got = 0, 1, 0
        while start < len(values) and got < need:
            page = _Counted(self._evaluate(with_values(sparql, name, values[start:start + size])))  # type: ignore[arg-type]
            yield page  # read whole before the next page is asked for
            start, got = start + size, got + page.count
            size = next_batch(size, start, got, need)

    def _key_values(self, keys: str, order: list[str]) -> list[str] | None:
        """The values of a paged query's key (`keys`, see kg.store.paging.page_keys) in the order of
        `order`, as SPARQL terms; None when one is a blank node. Kept in the store's key cache
        for the next query on this state of a read-only store."""
        cache = self._key_cache
        entry = f"{keys}\n{' '.join(order)}"
        values = cache.get(entry) if cache is not None else None
        if values is not None:
            return values
        # the key query's columns are VAR then the other leading variables; sorted by Python when
        # it can (Oxigraph decodes both terms at every comparison: 90 ms for 2,000 IRIs)
        rows = [tuple(solution) for solution in self._evaluate(keys)]  # type: ignore[union-attr]
        columns = [1 + i for i in range(len(order) - 1)] + [0]  # in the order of `order`
        if all(_sorts_by_text(row[c] for row in rows) for c in columns):
            rows.sort(key=lambda row: tuple(_text_order(row[c]) for c in columns))
        else:
            rows = [tuple(s) for s in self._evaluate(f"{keys} ORDER BY {' '.join('?' + v for v in order)}")]  # type: ignore[union-attr]
        # each value once, where it first comes (the leading variables are functions of it)
        terms = list(dict.fromkeys(row[0] for row in rows if row[0] is not None))
        if any(isinstance(term, ox.BlankNode) for term in terms):
            return None
        values = [str(term) for term in terms]
        if cache is not None:
            cache.put(entry, values)
        return values

    def update(self, sparql: str) -> None:
        self.commit()
        try:
            self._store.update(sparql, prefixes=self._namespaces)
        except (SyntaxError, OSError, ValueError) as exc:
            raise QueryError(f"update failed: {one_line(exc)}") from None

    def sync(self) -> None:
        if not self.read_only and self._store is not None:
            self.commit()
            self._store.flush()

    def to_dataset(self) -> Dataset:
        self.commit()
        ds = new_graph()
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                continue  # the union copy
            ds.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
                    to_rdflib(quad.graph_name)))
        return ds

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is None:
            return
        try:
            if not self.read_only:
                self.commit()
                store.flush()
                if self._writes >= COMPACT_AFTER and \
                        self._writes >= COMPACT_SHARE * sum(1 for _ in store.named_graphs()):
                    store.optimize()
        finally:
            self._store = None
            del store
            if not self.read_only:
                # query iterators left in reference cycles keep the database (and its lock) open;
                # a read-only store holds no lock, and a full collection costs kg query ~0.1 s
                gc.collect()


def store_state(path: Path) -> str | None:
    """A digest of the names, sizes and modification times of an embedded store's database files
    (every write appends to one or adds one), or None if they cannot be listed."""
    try:
        files = sorted((entry.name, stat.st_size, stat.st_mtime_ns) for entry in os.scandir(path)
                       if entry.name.endswith((".sst", ".log")) or entry.name.startswith(("MANIFEST-", "CURRENT"))
                       for stat in [entry.stat()])
    except OSError:
        return None
    return hashlib.sha1(repr(files).encode("utf-8")).hexdigest()


class KeyCache:
    """The key values of paged queries for one state of a store (`store_state`), in a file of
    the store (KEY_CACHE). A file left by another state is ignored, then replaced; values are
    kept only while the store is still in that state; a file that cannot be read or written is
    no cache at all."""

    def __init__(self, path: Path, state: str) -> None:
        self.path = path
        self.file = path / KEY_CACHE
        self.state = state

    def _entries(self) -> dict[str, list[str]]:
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(saved, dict) or saved.get("state") != self.state or not isinstance(saved.get("keys"), dict):
            return {}
        return saved["keys"]

    def get(self, entry: str) -> list[str] | None:
        values = self._entries().get(entry)
        return values if isinstance(values, list) and all(isinstance(v, str) for v in values) else None

    def put(self, entry: str, values: list[str]) -> None:
        if store_state(self.path) != self.state:  # written since: these values may be another state's
            return
        entries = self._entries()
        entries.pop(entry, None)
        entries[entry] = values
        kept = dict(list(entries.items())[-KEY_CACHE_ENTRIES:])
        pending = self.file.with_name(f"{KEY_CACHE}.{os.getpid()}.tmp")
        try:
            pending.write_text(json.dumps({"state": self.state, "keys": kept}), encoding="utf-8")
            os.replace(pending, self.file)
        except OSError:  # a store on read-only media: no cache
            pending.unlink(missing_ok=True)


def next_batch(size: int, keys: int, rows: int, need: int) -> int:
    """How many key values to read next, the last batch having been `size` values and the `keys`
    values read so far having given `rows` rows: twice as many, or fewer when the rows per value
    so far say that fewer will give the `need` rows (a first page of dyad-balance at 1M
    statements reads 101 sources' events instead of 127)."""
    if rows == 0:
        return 2 * size
    return max(1, min(2 * size, -(-(need - rows) * keys // rows)))


class _Counted:
    """The solutions of one page, counted as they are read."""

    def __init__(self, solutions: ox.QuerySolutions) -> None:
        self.variables = solutions.variables
        self.count = 0
        self._solutions = solutions

    def __iter__(self) -> Iterator[ox.QuerySolution]:
        for solution in self._solutions:
            self.count += 1
            yield solution


_XSD_DATE = ox.NamedNode(str(XSD.date))
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _sorts_by_text(terms: Iterable[object]) -> bool:
    """Whether `_text_order` orders these terms (one column of a result, None for unbound) as
    SPARQL's ORDER BY does: unbound first, then IRIs, plain strings or xsd:dates (YYYY-MM-DD, no
    time zone), whichever the column holds, each by its text (IRIs and strings by code point, as
    SPARQL and Python both do; such a date's text sorts as its value). Not for a column mixing
    two kinds, or holding anything else."""
    kinds = {_order_kind(term) for term in terms if term is not None}
    return len(kinds) <= 1 and None not in kinds


def _text_order(term: object) -> tuple:
    return (0, "") if term is None else (1, term.value)  # type: ignore[attr-defined]


def _order_kind(term: object) -> str | None:
    if isinstance(term, ox.NamedNode):
        return "iri"
    if isinstance(term, ox.Literal) and not term.language:
        if term.datatype == _XSD_STRING:
            return "string"
        if term.datatype == _XSD_DATE and _DAY.fullmatch(term.value):
            return "date"
    return None
