"""Query results as text: `format_result` for `kg query` (table, csv, json) and
`serialize_result` for it and the endpoint (the SPARQL 1.1 results formats, or RDF for a graph)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from kg.errors import KgError
from kg.graph.sparql import QueryResult

RESULT_FORMATS = ("table", "csv", "json")


def format_result(result: QueryResult, fmt: str) -> str:
    """Render a result as 'table' (aligned text), 'csv' or 'json' (SPARQL 1.1 results formats).

    Graph results render as Turtle (table), N-Triples (csv) or JSON-LD (json).
    """
    if fmt not in RESULT_FORMATS:
        raise KgError(f"unknown result format {fmt!r}; use one of: {', '.join(RESULT_FORMATS)}")
    if result.kind == "graph":
        graph = result.graph if result.graph is not None else Graph()
        rdf = {"table": "turtle", "csv": "nt", "json": "json-ld"}[fmt]
        return graph.serialize(format=rdf)
    if fmt == "json":
        return json.dumps(_json_results(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return serialize_result(result, "csv").decode("utf-8")
    return _table(result)


def _json_results(result: QueryResult) -> dict[str, Any]:
    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    bindings = []
    for row in result.rows:
        binding = {col: _json_term(term) for col, term in zip(result.columns, row)
                   if term is not None}
        bindings.append(binding)
    return {"head": {"vars": result.columns}, "results": {"bindings": bindings}}


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """A result in a SPARQL 1.1 results format (json, xml, csv, tsv), or a graph result in an RDF
    format: the one serialiser of `kg query` (through `format_result`) and of `kg serve`. An ASK
    result as CSV or TSV is one column named `boolean`."""
    if result.kind == "graph":
        graph = result.graph if result.graph is not None else Graph()
        return graph.serialize(format=fmt, encoding="utf-8")
    if fmt == "csv":
        return _csv(result).encode("utf-8")
    if fmt == "json":
        return json.dumps(_json_results(result), ensure_ascii=False).encode("utf-8")
    if fmt == "tsv":
        return _tsv(result).encode("utf-8")
    from rdflib.query import Result

    if result.kind == "ask":
        answer = Result("ASK")
        answer.askAnswer = bool(result.boolean)
    else:
        answer = Result("SELECT")
        answer.vars = [Variable(c) for c in result.columns]
        answer.bindings = [{Variable(c): t for c, t in zip(result.columns, row) if t is not None}
                           for row in result.rows]
    return answer.serialize(format=fmt, encoding="utf-8")


def _tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join("" if t is None else t.n3() for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([_csv_term(term) for term in row])
    return buffer.getvalue()


def _csv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    cells = [[_shorten(compact_term(term, result.prefixes)) for term in row] for row in result.rows]
    widths = [len(col) for col in result.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    lines = [_line(result.columns, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in cells]
    count = f"{len(cells)} row{'s' if len(cells) != 1 else ''}"
    lines.append(f"(the first {count}; there are more)" if result.more else f"({count})")
    return "\n".join(lines) + "\n"


TABLE_CELL_MAX = 60  # wider values are cut in tables (csv and json keep them whole)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_MAX else text[: TABLE_CELL_MAX - 1] + "\u2026"


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()


def compact_term(term: Node | None, prefixes: dict[str, str]) -> str:
    """IRIs as prefix:local with the longest matching bound namespace; literals as plain text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        best = max((ns for ns in prefixes.values() if iri.startswith(ns) and len(iri) > len(ns)),
                   key=len, default=None)
        if best is not None:
            prefix = next(p for p, ns in prefixes.items() if ns == best)
            return f"{prefix}:{iri[len(best):]}"
        return f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())
