"""The one small interface of kg's graph stores (`Store`) and what the backends share: the
statements of an article, terms between rdflib and Oxigraph, the prefixes a query may use.

A store holds a graph of articles, one named graph per article. Its five operations:
`add_result` (add an article, replacing an earlier version of it), `has_article`, `query`
(read-only SPARQL, answered as a `kg.graph.sparql.QueryResult`), `update` (SPARQL Update) and
`to_dataset` (export: every article graph as an rdflib Dataset); `sync` and `close` end a
session. The backends: `kg.store.memory`, `kg.store.embedded`, `kg.store.remote`.
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

import pyoxigraph as ox

from kg.errors import StoreError
from kg.gazetteer import Gazetteer
from kg.graph.build import article_statements, new_graph
from kg.graph.mentions import EventIndex, description_query, description_statements
from kg.graph.sparql import QueryResult
from kg.model import ArticleResult

Triple = tuple[Node, Node, Node]


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
            self._events = EventIndex.of(self.query, self._describe_event)
        return self._events

    def _describe_event(self, event: str, graph: str) -> list:
        """The statements of `graph` that describe `event` (kg.graph.mentions), as N-Triples."""
        rows = self.query(description_query(event, graph)).rows
        return description_statements(rows, event, ntriples)

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
        """Run a read-only SPARQL query (as kg.graph.sparql.query_graph runs one on a Dataset)."""
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (the endpoint checks it first: kg.serve.endpoint.check_update)."""
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


def replace_graph_update(name: str, triples: list[tuple]) -> str:
    """One SPARQL Update (one transaction) that replaces the named graph `name` by `triples`
    (rdflib terms or N-Triples text) and keeps the default graph the union of all named graphs."""
    g = f"<{name}>"
    data = " .\n".join(" ".join(ntriples(term) for term in triple) for triple in triples)
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }} ;\n"
            f"DROP SILENT GRAPH {g} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{\n{data} }}\n{data} }}")


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


def ntriples(term: object) -> str:
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


class TermConverter:
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


# ---------------------------------------------------------------- helpers

def query_namespaces() -> dict[str, str]:
    """The prefixes a query may use without declaring them: the same as on an rdflib graph."""
    return {prefix: str(ns) for prefix, ns in new_graph().namespaces() if prefix}


def bound_graph() -> Graph:
    graph = Graph()
    for prefix, ns in new_graph().namespaces():
        graph.bind(prefix, ns)
    return graph
