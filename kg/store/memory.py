"""The in-memory store: an rdflib Dataset (an RDF file opens as one)."""
from __future__ import annotations

from rdflib import Dataset, URIRef

from kg.errors import QueryError
from kg.graph.build import event_index, new_graph
from kg.graph.mentions import EventIndex
from kg.graph.sparql import QueryResult, one_line, query_graph
from kg.store.base import Store, Triple
from kg.vocab import article_iri


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
        return query_graph(self.dataset, sparql, max_rows=max_rows, limit=limit)

    def update(self, sparql: str) -> None:
        try:
            self.dataset.update(sparql)
        except Exception as exc:  # rdflib 7 cannot INSERT DATA into a Dataset's default graph
            raise QueryError(f"update failed: {one_line(exc) or type(exc).__name__} "
                             "(on an rdflib graph, write into a named graph: INSERT DATA { GRAPH <...> { ... } })") from None

    def to_dataset(self) -> Dataset:
        return self.dataset
