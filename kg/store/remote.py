"""A remote store: any SPARQL 1.1 store over HTTP (SPARQL Protocol for queries; Graph Store
Protocol or SPARQL Update for writes)."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.gazetteer import Gazetteer
from kg.graph.build import NTRIPLES_TERMS, article_statements, new_graph
from kg.graph.sparql import QueryResult, first_rows, limited, one_line, parse_query, select_columns
from kg.model import ArticleResult
from kg.store.base import Store, bound_graph, ntriples, query_namespaces, replace_graph_update
from kg.vocab import article_iri

HTTP_TIMEOUT_S = 60.0


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
        body = "".join(" ".join(ntriples(t) for t in triple) + " .\n" for triple in triples)
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
            graph = bound_graph()
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

def _declare_prefixes(sparql: str, namespaces: dict[str, str]) -> str:
    """Prepend PREFIX declarations for the known prefixes the query uses but does not declare."""
    used = [p for p in namespaces if f"{p}:" in sparql]  # a later declaration in the query wins
    return "".join(f"PREFIX {p}: <{namespaces[p]}>\n" for p in used) + sparql
