"""Graph stores: where a graph lives between sessions, one named graph per article.

One small interface (`Store`), three implementations:
- `MemoryStore`: an rdflib Dataset in memory (an RDF file opens as one);
- `OxigraphStore`: an embedded persistent store in a directory (pyoxigraph on RocksDB);
- `RemoteStore`: any SPARQL 1.1 store over HTTP (SPARQL Protocol for queries; Graph Store
  Protocol or SPARQL Update for writes).

Writing an article replaces its named graph in one transaction (the embedded store commits new
articles in batches, each batch whole or not at all), so a store never holds half an article
and re-adding an article never duplicates it. The embedded store (and a remote store written
through SPARQL Update) also keeps its default graph equal to the set union of the article
graphs, so queries see each statement once, as on an rdflib Dataset.
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
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import GraphLoadError, KgError, QueryError, StoreError
from kg.extract.gazetteer import Gazetteer
from kg.graph.build import NTRIPLES_TERMS, article_statements, event_index, load_graph, new_graph
from kg.graph.mentions import EventIndex, description_query, description_statements
from kg.model import ArticleResult
from kg.query import (QueryResult, first_rows, limited, mentions_service, one_line, page_keys, page_order,
                      page_variable, parse_query, run_query, select_columns, with_values)
from kg.vocab import article_iri

Triple = tuple[Node, Node, Node]
REMOTE_SCHEMES = ("http://", "https://")
HTTP_TIMEOUT_S = 60.0


class Store:
    """A graph of articles that can be added to, queried, and read back as a Dataset."""

    location: str = ""
    _events: EventIndex | None = None

    def add_result(self, result: ArticleResult, gazetteer: Gazetteer | None = None) -> None:
        """Put one article's statements in its named graph, replacing any earlier version.
        `gazetteer` (default: the built-in one) gives known actors their Wikidata links. A
        report of an event already in the store becomes a mention of it (kg.graph.mentions)."""
        name, triples = article_triples(result, gazetteer, self.event_index())
        self.replace_graph(name, triples)

    def event_index(self) -> EventIndex:
        """The store's mergeable events: read once (before this session's first write), then
        kept up to date by the articles this session adds."""
        if self._events is None:
            self._events = EventIndex.of(self, self._describe_event)
        return self._events

    def _describe_event(self, event: str, graph: str) -> list:
        """The statements of `graph` that describe `event` (kg.graph.mentions), as N-Triples."""
        rows = self.query(description_query(event, graph)).rows
        return description_statements(rows, event, _ntriples)

    def add_results(self, results: Iterable[ArticleResult], gazetteer: Gazetteer | None = None) -> int:
        """Add each result in turn (each whole or not at all); the number added."""
        count = 0
        for result in results:
            self.add_result(result, gazetteer)
            count += 1
        return count

    def replace_graph(self, name: URIRef, triples: list[Triple]) -> None:
        raise NotImplementedError

    def has_article(self, article_id: str) -> bool:
        """Whether the article's named graph is in the store."""
        raise NotImplementedError

    def query(self, sparql: str, max_rows: int | None = None, limit: int | None = None) -> QueryResult:
        """Run a read-only SPARQL query (kg.query.run_query semantics)."""
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (after kg.store.check_update)."""
        raise NotImplementedError

    def to_dataset(self) -> Dataset:
        """Every article graph, read into an rdflib Dataset."""
        raise NotImplementedError

    def sync(self) -> None:
        """Make every write so far visible to views of the store opened from now on, e.g. in
        other processes (the embedded store commits its batch and flushes)."""

    def close(self) -> None:
        """Release the store (flush and unlock an embedded store)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def article_triples(result: ArticleResult, gazetteer: Gazetteer | None = None,
                    index: EventIndex | None = None) -> tuple[URIRef, list[Triple]]:
    """The named graph IRI of an article and the statements that go in it (rdflib terms);
    `index`: the events of the graph it goes into (see kg.graph.build.article_statements)."""
    return article_statements(result.article, result.events, result.sentences, gazetteer, index=index)


def open_store(location: str | os.PathLike[str], create: bool = False, read_only: bool = False) -> Store:
    """The store at `location`: an http(s) URL, an RDF file (read into memory), or an embedded
    store directory (`create` makes it when missing; `read_only` lets it be open elsewhere)."""
    text = str(location)
    if text.startswith(REMOTE_SCHEMES):
        return RemoteStore(text)
    path = Path(text)
    if path.is_file():
        return MemoryStore(load_graph(path), location=text)
    if path.is_dir() or create:
        return OxigraphStore(path, create=create, read_only=read_only)
    raise GraphLoadError(f"graph file or store not found: {path}")


def load_dataset(location: str | os.PathLike[str]) -> Dataset:
    """The graph at `location` (RDF file, store directory or store URL) as an rdflib Dataset."""
    with open_store(location, read_only=True) as store:
        return store.to_dataset()


# ---------------------------------------------------------------- rdflib in memory

class MemoryStore(Store):
    """An rdflib Dataset in memory; its default graph is the union of the article graphs."""

    def __init__(self, dataset: Dataset | None = None, location: str = ":memory:") -> None:
        self.dataset = dataset if dataset is not None else new_graph()
        self.location = location

    def event_index(self) -> EventIndex:
        return event_index(self.dataset)

    def replace_graph(self, name: URIRef, triples: list[Triple]) -> None:
        self.dataset.remove_graph(name)
        graph = self.dataset.graph(name)
        for triple in triples:
            graph.add(triple)

    def has_article(self, article_id: str) -> bool:
        name = URIRef(article_iri(article_id))
        return any(g.identifier == name for g in self.dataset.graphs())

    def query(self, sparql: str, max_rows: int | None = None, limit: int | None = None) -> QueryResult:
        return run_query(self.dataset, sparql, max_rows=max_rows, limit=limit)

    def update(self, sparql: str) -> None:
        try:
            self.dataset.update(sparql)
        except Exception as exc:  # rdflib 7 cannot INSERT DATA into a Dataset's default graph
            raise QueryError(f"update failed: {one_line(exc) or type(exc).__name__} "
                             "(on an rdflib graph, write into a named graph: INSERT DATA { GRAPH <...> { ... } })") from None

    def to_dataset(self) -> Dataset:
        return self.dataset


# ---------------------------------------------------------------- embedded Oxigraph

STORE_MARKER = "CURRENT"  # a file every RocksDB (and so Oxigraph) directory has


# New articles are written in batches: one bulk load of N-Quads per batch takes about half the
# CPU time of a transaction per article, and writing is most of what kg adds to parsing. A
# batch is written to a file of the store as its articles come (not held in memory), committed
# when that file is whole (renamed to the journal), then loaded; a batch whose load was cut
# short is loaded from the journal when the store is next opened. Each bulk load adds sorted
# files that RocksDB merges in the background, at a cost that grows with the store: the fewer
# batches, the less merging (1M statements: 25-26 s of CPU with batches of 50,000 statements,
# about 100 articles, 22.5-23 s with 100,000 to 250,000; the main process of a 10,000-article
# build: 351 s of CPU with batches of 100 articles, 307 s with 250,000 statements).
# The cap bounds the bulk loader's memory (about 1.2 KB a statement: +180 MB at 150,000) and
# the load left to do as a build ends; the time limit bounds what a killed build loses.
BATCH_QUADS = 150_000  # statements in a batch at most (an article's and its union copy)
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
        self._write(str(name), [tuple(_ntriples(t) for t in triple) for triple in triples], blank)

    def _describe_event(self, event: str, graph: str) -> list:
        if graph in self._batch_graphs:  # written in this session's batch: readable once committed
            self.commit()
        return super()._describe_event(event, graph)

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
            graph = _bound_graph()
            for triple in limited(answer, max_rows):
                graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            return QueryResult("graph", graph=graph, prefixes=prefixes)
        variables = [v.value for v in answer.variables]
        columns = select_columns(sparql, variables)
        solutions, more = first_rows(itertools.chain(answer, itertools.chain.from_iterable(answers)), limit)
        convert = _TermConverter()
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
        order (kg.query.page_variable), until `need` rows are read: the first rows cost a few
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
        """The values of a paged query's key (`keys`, see kg.query.page_keys) in the order of
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


def replace_graph_update(name: str, triples: list[tuple]) -> str:
    """One SPARQL Update (one transaction) that replaces the named graph `name` by `triples`
    (rdflib terms or N-Triples text) and keeps the default graph the union of all named graphs."""
    g = f"<{name}>"
    data = " .\n".join(" ".join(_ntriples(term) for term in triple) for triple in triples)
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }} ;\n"
            f"DROP SILENT GRAPH {g} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{\n{data} }}\n{data} }}")


# ---------------------------------------------------------------- remote SPARQL 1.1 store

class RemoteStore(Store):
    """A SPARQL 1.1 store over HTTP.

    From the URL given: a path ending in /query or /sparql is the query endpoint; /update is
    the update endpoint (writes then use SPARQL Update); /store or /data is the Graph Store
    Protocol endpoint (writes use PUT, one named graph per article); anything else is the
    service base, with BASE/query and BASE/store. The endpoints not named are the siblings
    BASE/query, BASE/update, BASE/store (Oxigraph's and Fuseki's layout).
    """

    def __init__(self, url: str) -> None:
        self.location = url
        base, _, last = url.rstrip("/").rpartition("/")
        if last not in ("query", "sparql", "update", "store", "data"):
            base, last = url.rstrip("/"), ""
        self.query_url = url if last in ("query", "sparql") else f"{base}/query"
        self.update_url = url if last == "update" else f"{base}/update"
        self.graph_store_url = url if last in ("store", "data") else f"{base}/store"
        self.writes_with_update = last == "update"
        self._namespaces = query_namespaces()
        self._writes = 0

    def add_result(self, result: ArticleResult, gazetteer: Gazetteer | None = None) -> None:
        _, triples = article_statements(result.article, result.events, result.sentences, gazetteer,
                                        NTRIPLES_TERMS, self.event_index())  # written as N-Triples
        self.replace_graph(article_iri(result.article.id), triples)

    def replace_graph(self, name: URIRef | str, triples: list[tuple]) -> None:
        if self.writes_with_update:
            self._post(self.update_url, replace_graph_update(str(name), triples), "application/sparql-update")
            return
        body = "".join(" ".join(_ntriples(t) for t in triple) + " .\n" for triple in triples)
        url = f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': str(name)})}"
        self._request(urllib.request.Request(url, data=body.encode("utf-8"), method="PUT",
                                             headers={"Content-Type": "application/n-triples"}))

    def has_article(self, article_id: str) -> bool:
        answer = self._select(f"ASK {{ GRAPH <{article_iri(article_id)}> {{ ?s ?p ?o }} }}")
        return bool(answer.get("boolean"))

    def query(self, sparql: str, max_rows: int | None = None, limit: int | None = None) -> QueryResult:
        parsed = parse_query(sparql, self._namespaces, lambda _: True)
        sparql = _declare_prefixes(sparql, self._namespaces)
        prefixes = dict(sorted(self._namespaces.items()))
        if parsed.algebra.name in ("ConstructQuery", "DescribeQuery"):
            data = self._post(self.query_url, sparql, "application/sparql-query", accept="application/n-triples")
            graph = _bound_graph()
            for triple in limited(Graph().parse(data=data, format="nt"), max_rows):
                graph.add(triple)
            return QueryResult("graph", graph=graph, prefixes=prefixes)
        answer = self._select(sparql)
        if "boolean" in answer:
            return QueryResult("ask", boolean=bool(answer["boolean"]), prefixes=prefixes)
        columns = select_columns(sparql, list(answer.get("head", {}).get("vars", [])))
        bindings, more = first_rows(answer["results"]["bindings"], limit)
        rows = [tuple(_json_term(binding.get(c)) for c in columns) for binding in limited(bindings, max_rows)]
        return QueryResult("select", columns=columns, rows=rows, prefixes=prefixes, more=more)

    def update(self, sparql: str) -> None:
        self._post(self.update_url, _declare_prefixes(sparql, self._namespaces), "application/sparql-update")

    def to_dataset(self) -> Dataset:
        ds = new_graph()
        answer = self._select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        for b in answer["results"]["bindings"]:
            ds.add((_json_term(b["s"]), _json_term(b["p"]), _json_term(b["o"]), _json_term(b["g"])))
        return ds

    def _select(self, sparql: str) -> dict:
        data = self._post(self.query_url, sparql, "application/sparql-query",
                          accept="application/sparql-results+json")
        try:
            return json.loads(data)
        except ValueError:
            raise StoreError(f"{self.query_url} did not answer with SPARQL JSON results") from None

    def _post(self, url: str, body: str, content_type: str, accept: str = "*/*") -> str:
        request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                         headers={"Content-Type": content_type, "Accept": accept})
        return self._request(request)

    def _request(self, request: urllib.request.Request) -> str:
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            detail = one_line(exc.read().decode("utf-8", "replace"))[:300]
            error = QueryError if exc.code == 400 else StoreError
            raise error(f"{request.get_method()} {request.full_url}: HTTP {exc.code} {exc.reason}"
                        + (f": {detail}" if detail else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the store at {request.full_url}: {one_line(reason)}") from None


# ---------------------------------------------------------------- terms

def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store the term {term!r}")


def _ntriples(term: object) -> str:
    """A term (rdflib's, or already N-Triples text) as N-Triples."""
    return str(to_oxigraph(term)) if isinstance(term, Node) else term  # type: ignore[return-value]


def to_rdflib(term: object) -> Node | None:
    """A pyoxigraph term (or None) as an rdflib term; xsd:string literals become plain literals."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term in the store: {term!r}")


class _TermConverter:
    """to_rdflib with a memory: a result repeats its labels, classes and codes many times."""

    def __init__(self) -> None:
        self._seen: dict[object, Node | None] = {}

    def __call__(self, term: object) -> Node | None:
        if term is None:
            return None
        try:
            return self._seen[term]
        except KeyError:
            converted = self._seen[term] = to_rdflib(term)
            return converted


def _json_term(value: dict | None) -> Node | None:
    """A term of the SPARQL 1.1 JSON results format as an rdflib term."""
    if value is None:
        return None
    kind, text = value.get("type"), value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if "xml:lang" in value:
        return Literal(text, lang=value["xml:lang"])
    datatype = value.get("datatype")
    return Literal(text, datatype=URIRef(datatype)) if datatype and datatype != str(XSD.string) else Literal(text)


# ---------------------------------------------------------------- helpers

def query_namespaces() -> dict[str, str]:
    """The prefixes a query may use without declaring them: the same as on an rdflib graph."""
    return {prefix: str(ns) for prefix, ns in new_graph().namespaces() if prefix}


def _bound_graph() -> Graph:
    graph = Graph()
    for prefix, ns in new_graph().namespaces():
        graph.bind(prefix, ns)
    return graph


def _declare_prefixes(sparql: str, namespaces: dict[str, str]) -> str:
    """Prepend PREFIX declarations for the known prefixes the query uses but does not declare."""
    used = [p for p in namespaces if f"{p}:" in sparql]  # a later declaration in the query wins
    return "".join(f"PREFIX {p}: <{namespaces[p]}>\n" for p in used) + sparql
