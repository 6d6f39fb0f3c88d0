"""Stage 6, query: SPARQL on a graph or a store, the shipped queries and their parameters, and
the formats of a result.

The entry point is `run_query(graph_or_store, sparql)`: an rdflib Graph or Dataset is queried
by rdflib (`kg.graph.sparql.query_graph`), a store (`kg.store.Store`) by its own engine; either
way the answer is a `QueryResult`. `canned` holds the shipped queries (ontology/queries/*.rq),
`parameters` their `?_name` parameters, `formats` the text of a result (`format_result` for
`kg query`, `serialize_result` for it and the endpoint).
"""
from __future__ import annotations

from typing import Any

from kg.graph.sparql import QueryResult, query_graph
from kg.query.canned import canned_query, list_queries
from kg.query.formats import RESULT_FORMATS, format_result, serialize_result
from kg.query.parameters import bind_parameters, query_parameters
from kg.store import Store

__all__ = ["RESULT_FORMATS", "QueryResult", "bind_parameters", "canned_query", "format_result", "list_queries",
           "query_parameters", "run_query", "serialize_result"]


def run_query(source: Any, sparql: str, max_rows: int | None = None, limit: int | None = None) -> QueryResult:
    """Run a read-only SPARQL 1.1 query on `source`, an rdflib Graph/Dataset or a store
    (`kg.store.Store`); QueryError for syntax errors and unsupported features.

    `max_rows` caps the rows (or triples) of the result: ResultTooLarge when exceeded. `limit`
    keeps only the first `limit` rows of a SELECT (the result's `more` says whether there were
    others), as a console shows a first page; a query declaring `# page by ?VAR` is then read a
    few articles or key values at a time on an embedded store (`kg.store.paging`).
    """
    if isinstance(source, Store):
        return source.query(sparql, max_rows=max_rows, limit=limit)
    return query_graph(source, sparql, max_rows=max_rows, limit=limit)
