"""SPARQL over an rdflib graph: a query parsed and checked, run, and its answer as a QueryResult.

`query_graph` runs a read-only query on an rdflib Graph or Dataset (the stores run theirs on
their own engines, `kg.store`; `kg.query.run_query` takes either). Queries run with kg's join
(`hash_join`) in place of rdflib's nested loops for the joins it handles: the join is
registered with rdflib once, when kg first parses a query, and is active only inside kg's own
query calls (`query_graph`): any other query on rdflib in the same process runs as rdflib
runs it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import BNode, Dataset, Graph, Literal, Variable
from rdflib.term import Node

from kg._lazy import require_pandas
from kg.errors import QueryError, ResultTooLarge

if TYPE_CHECKING:
    # rdflib's SPARQL engine takes ~0.1 s to import (a third of a `kg query` on a store, which
    # does not need it): it is loaded when a query is first parsed
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import FrozenDict, Query, QueryContext

T = TypeVar("T")

_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
_SELECT_STAR = re.compile(r"^\s*SELECT\s+((DISTINCT|REDUCED)\s+)?\*", re.I)
_PROLOGUE = re.compile(r"^\s*(#[^\n]*\n|PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s*<[^>]*>|\s+)", re.I)


@dataclass
class QueryResult:
    """The outcome of a query: rows (select), a boolean (ask) or a graph (construct/describe)."""

    kind: str  # 'select' | 'ask' | 'graph'
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    graph: Graph | None = None
    boolean: bool | None = None
    prefixes: dict[str, str] = field(default_factory=dict)  # for compact IRIs in tables
    more: bool = False  # a `limit` left rows out: the query has more than `rows`

    def __iter__(self) -> Iterator[Any]:
        """As rdflib's results iterate: a SELECT's rows (tuples whose cells are also read by
        name, `row.source` or `row["source"]`, None where unbound), an ASK's one boolean, or a
        graph result's triples."""
        from rdflib.query import ResultRow

        if self.kind == "ask":
            return iter([bool(self.boolean)])
        if self.kind == "graph":
            return iter(self.graph if self.graph is not None else ())
        labels = [Variable(c) for c in self.columns]
        return (ResultRow(dict(zip(labels, row)), labels) for row in self.rows)

    def to_dataframe(self) -> Any:
        """The result as a pandas DataFrame (pandas is kg's optional 'analysis' extra).

        A SELECT gives a column per variable: integers as Int64, decimals and doubles as
        float64, booleans as boolean, xsd:date/dateTime as datetime64, anything else (codes,
        labels, IRIs) as strings, with <NA> where unbound. An ASK gives one row with the
        column `boolean`; a graph result a row per triple (subject, predicate, object as text).
        """
        pd = require_pandas()
        if self.kind == "ask":
            return pd.DataFrame({"boolean": pd.array([bool(self.boolean)], dtype="boolean")})
        if self.kind == "graph":
            triples = sorted(self.graph if self.graph is not None else ())
            return pd.DataFrame({name: pd.array([_frame_text(t[i]) for t in triples], dtype="string")
                                 for i, name in enumerate(("subject", "predicate", "object"))})
        return pd.DataFrame({name: _frame_column([row[i] for row in self.rows], pd)
                             for i, name in enumerate(self.columns)}, columns=self.columns)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = frozenset(_XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_FLOAT_TYPES = frozenset(_XSD + t for t in ("decimal", "double", "float"))
_DATE_TYPES = frozenset(_XSD + t for t in ("date", "dateTime", "dateTimeStamp"))


def _frame_column(terms: list[Node | None], pd: Any) -> Any:
    """A pandas array of one SELECT column, typed by the datatypes of its literals."""
    kinds = {_frame_kind(t) for t in terms if t is not None}
    texts = [None if t is None else _frame_text(t) for t in terms]
    try:
        if kinds == {"integer"}:
            return pd.array([None if x is None else int(x) for x in texts], dtype="Int64")
        if kinds and kinds <= {"integer", "float"}:
            return pd.array([None if x is None else float(x) for x in texts], dtype="float64")
        if kinds == {"boolean"}:
            return pd.array([None if x is None else x.strip() in ("true", "1") for x in texts], dtype="boolean")
        if kinds == {"date"}:
            return pd.to_datetime(pd.Series(texts, dtype="object"), format="ISO8601").array
    except (ValueError, TypeError, OverflowError):  # an ill-typed literal: the column stays text
        pass
    return pd.array(texts, dtype="string")


def _frame_kind(term: Node) -> str:
    datatype = str(term.datatype) if isinstance(term, Literal) and term.datatype else ""
    if datatype in _INTEGER_TYPES:
        return "integer"
    if datatype in _FLOAT_TYPES:
        return "float"
    if datatype == _XSD + "boolean":
        return "boolean"
    if datatype in _DATE_TYPES:
        return "date"
    return "text"


def _frame_text(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def query_graph(ds: Graph, sparql: str, max_rows: int | None = None,
              limit: int | None = None) -> QueryResult:
    """Run a read-only SPARQL 1.1 query on an rdflib Graph or Dataset; QueryError for syntax
    errors and unsupported features.

    `max_rows` caps the rows (or triples) of the result: ResultTooLarge when exceeded. `limit`
    keeps only the first `limit` rows of a SELECT (the result's `more` says whether there were
    others), as a console shows a first page. (`kg.query.run_query` runs a query on a graph or
    on a store.)
    """
    namespaces = {prefix: str(ns) for prefix, ns in ds.namespaces() if prefix}
    known = {g.identifier for g in ds.graphs()} if isinstance(ds, Dataset) else set()
    query = parse_query(sparql, namespaces, known.__contains__)
    active = _KG_QUERY.set(True)  # kg's join, for this query's evaluation alone (see hash_join)
    try:
        try:
            result = ds.query(query)
        except Exception as exc:
            raise QueryError(f"query failed: {one_line(exc)}") from None
        prefixes = dict(sorted(namespaces.items()))
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer), prefixes=prefixes)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for prefix, ns in ds.namespaces():
                graph.bind(prefix, ns)
            for triple in limited(result.graph or (), max_rows):
                graph.add(triple)
            return QueryResult("graph", graph=graph, prefixes=prefixes)
        variables = list(result.vars or [])
        columns = select_columns(sparql, [str(v) for v in variables])
        rows, more = first_rows(result, limit)
        rows = [tuple(row.get(Variable(c)) for c in columns)  # type: ignore[union-attr]
                for row in limited(rows, max_rows)]
        return QueryResult("select", columns=columns, rows=rows, prefixes=prefixes, more=more)
    finally:
        _KG_QUERY.reset(active)


def parse_query(sparql: str, namespaces: dict[str, str],
                has_graph: Callable[[Node], bool] = lambda _: False) -> Query:
    """Parse and check a query (QueryError when malformed, an Update, SERVICE, or FROM an
    unknown graph); `namespaces` are prefixes usable without PREFIX declarations."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    _use_hash_join()
    try:
        query = prepareQuery(sparql, initNs=namespaces)
    except ParseBaseException as exc:
        raise QueryError(_syntax_message(sparql, exc)) from None
    except Exception as exc:  # rdflib raises bare Exception for unknown prefixes and the like
        raise QueryError(_semantic_message(sparql, exc)) from None
    _check_supported(query.algebra, has_graph)
    _construct_where_template(query.algebra)
    return query


def _construct_where_template(algebra: Any) -> None:
    """Give a `CONSTRUCT WHERE { ... }` its template, the pattern's triples: rdflib looks for them
    right under the projection, where a LIMIT, OFFSET or ORDER BY puts another step (and then
    fails with "'NoneType' object is not iterable")."""
    if algebra.name != "ConstructQuery" or algebra.get("template"):
        return
    part = algebra.get("p")
    while part is not None and getattr(part, "name", None) != "BGP":
        part = part.get("p") if hasattr(part, "get") else None
    if part is not None:
        algebra["template"] = part.get("triples") or []


_STRINGS_IRIS_COMMENTS = (r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                          r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*''')
NOT_CODE = re.compile(_STRINGS_IRIS_COMMENTS)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def mentions_service(sparql: str) -> bool:
    """Whether the query may hold the SERVICE keyword: a conservative pre-test, never the
    decision. True when the letters 'service', in any case, appear anywhere in the text once its
    \\u and \\U escapes are decoded (as SPARQL decodes them before parsing), strings, IRIs and
    comments included: no spacing, punctuation or escape can hide the keyword from it. A query
    it finds is then parsed (`parse_query`), whose algebra decides; the others cannot hold it."""
    decoded, before = sparql, None
    while decoded != before:  # decoded again until none is left: more than SPARQL does, never less
        decoded, before = _CODEPOINT.sub(lambda m: _codepoint(m.group(1) or m.group(2)), decoded), decoded
    return "service" in decoded.casefold()


def _codepoint(hex_digits: str) -> str:
    value = int(hex_digits, 16)
    return chr(value) if value <= 0x10FFFF else ""


def select_columns(sparql: str, variables: list[str]) -> list[str]:
    """The column order of a SELECT: as projected, or for '*' in order of first appearance."""
    if _SELECT_STAR.search(strip_prologue(sparql)):
        return sorted(variables, key=lambda v: _first_use(sparql, v))
    return variables


def limited(items: Iterable[T], max_rows: int | None) -> Iterator[T]:
    """The items, raising ResultTooLarge once more than `max_rows` have been read."""
    for count, item in enumerate(items, 1):
        if max_rows is not None and count > max_rows:
            raise ResultTooLarge(f"the result has more than {max_rows} rows, the limit; "
                                 "narrow the query (e.g. add LIMIT)")
        yield item


def first_rows(items: Iterable[T], limit: int | None) -> tuple[list[T], bool]:
    """The first `limit` items (all when None) and whether there were more."""
    if limit is None:
        return list(items), False
    head = list(islice(items, limit + 1))
    return head[:limit], len(head) > limit


# ---------------------------------------------------------------- rdflib joins

def hash_join(ctx: QueryContext, part: CompValue) -> Iterator[FrozenDict]:
    """rdflib's joins and MINUS of two parts that it does not evaluate row by row (one holds a
    join of its own, e.g. sub-queries), without comparing every row of one side with every row
    of the other, which takes minutes on a few thousand events (and a basic graph pattern on
    the right of a join, such as labels joined to a sub-query's rows, is first read whole: every
    pair of labels). A join's right side that is a basic graph pattern is matched with each left row's
    bindings; any other right side is indexed by the variables both sides bind in every row.
    The same rows as rdflib's own.

    Scoped to kg's own queries: registered in rdflib's CUSTOM_EVALS once, when kg first parses
    a query (`_use_hash_join`), it handles a part only while `query_graph` evaluates a query
    (a context variable says so, per thread and task); any other rdflib query in the process,
    a notebook's `graph.query(...)` for one, is evaluated by rdflib alone."""
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.evalutils import _join, _minus
    from rdflib.plugins.sparql.sparql import FrozenDict

    name = getattr(part, "name", None)
    if not _KG_QUERY.get() or name not in ("Join", "Minus") or (name == "Join" and part.lazy) or ctx.initBindings:
        raise NotImplementedError  # rdflib evaluates it as usual
    if name == "Join" and part.p2.name == "BGP":  # each distinct match for the left row's bindings
        return (y.merge(x) for x in evalPart(ctx, part.p1) for y in set(evalPart(ctx.thaw(x), part.p2)))
    left = list(evalPart(ctx, part.p1))
    right = set(evalPart(ctx, part.p2))  # as rdflib's evalJoin and evalMinus do
    keys = sorted(_bound_in_every(left) & _bound_in_every(right))
    if not keys or not all(isinstance(row, FrozenDict) for row in chain(left, right)):
        return _join(left, right) if name == "Join" else _minus(left, right)
    index: dict[tuple, list[FrozenDict]] = defaultdict(list)
    for row in right:
        index[tuple(row[k] for k in keys)].append(row)
    matches = ((x, [y for y in index.get(tuple(x[k] for k in keys), ()) if x.compatible(y)]) for x in left)
    if name == "Minus":  # rows sharing the keys are never disjoint: a compatible one removes x
        return (x for x, found in matches if not found)
    return (x.merge(y) for x, found in matches for y in found)


def _bound_in_every(rows: Iterable[FrozenDict]) -> set:
    bound: set | None = None
    for row in rows:
        bound = set(row) if bound is None else bound.intersection(row)
        if not bound:
            return set()
    return bound or set()


_hash_join_used = False
_KG_QUERY: ContextVar[bool] = ContextVar("kg_query", default=False)  # inside query_graph's evaluation


def _use_hash_join() -> None:
    """Register `hash_join` with rdflib, once (kg parses every query it runs on rdflib first);
    it acts inside `query_graph` only."""
    global _hash_join_used
    if not _hash_join_used:
        from rdflib.plugins.sparql import CUSTOM_EVALS

        CUSTOM_EVALS.setdefault("kg_hash_join", hash_join)
        _hash_join_used = True


# ---------------------------------------------------------------- errors

def _syntax_message(sparql: str, exc: ParseBaseException) -> str:
    if _UPDATE.match(strip_prologue(sparql)):
        return ("SPARQL Update is not supported: the graph is read-only "
                "(use SELECT, ASK, CONSTRUCT or DESCRIBE)")
    text = exc.pstr or sparql
    end = len(text.rstrip())
    if exc.loc >= end:  # report the end of the last non-blank line, not a trailing newline
        line, col = _line_col(text, end)
        last = text[:end].splitlines()[-1].strip() if end else ""
        return (f"SPARQL syntax error at line {line}, column {col}: unexpected end of query "
                f"after {last[-40:]!r}")
    found = one_line(text[exc.loc:exc.loc + 30])
    message = f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: unexpected {found!r}"
    if exc.line[:exc.col - 1].strip():  # not at the start of the line: show the line too
        message += f" in {exc.line.strip()[:60]!r}"
    return message


def _semantic_message(sparql: str, exc: Exception) -> str:
    text = one_line(exc)
    match = re.match(r"Unknown namespace prefix\s*:\s*(\S+)", text)
    if match:
        prefix = match.group(1)
        where = _locate(sparql, re.compile(rf"(?<![\w:?$]){re.escape(prefix)}:"))
        return (f"SPARQL error{where}: unknown prefix {prefix!r} "
                f"(declare it with PREFIX {prefix}: <...>)")
    return f"SPARQL error: {text}"


def _check_supported(algebra: Any, has_graph: Callable[[Node], bool]) -> None:
    """Reject features that would read outside the loaded graph (SERVICE, FROM of unknown graphs)."""
    if contains_node(algebra, "ServiceGraphPattern"):
        raise QueryError("SERVICE (federated query) is not supported: query the loaded graph only")
    for clause in algebra.get("datasetClause") or []:
        iri = clause.get("default") or clause.get("named")
        if not has_graph(iri):
            raise QueryError(f"FROM <{iri}>: no such named graph in this graph "
                             "(FROM / FROM NAMED may only name graphs already loaded)")


def contains_node(node: Any, name: str) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == name or any(contains_node(v, name) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(contains_node(v, name) for v in node)
    return False


def strip_prologue(sparql: str) -> str:
    while (match := _PROLOGUE.match(sparql)) and match.end() > 0:
        sparql = sparql[match.end():]
    return sparql


def _first_use(sparql: str, var: str) -> int:
    match = re.search(rf"[?$]{re.escape(var)}\b", sparql)
    return match.start() if match else len(sparql)


def _locate(text: str, pattern: re.Pattern[str]) -> str:
    match = pattern.search(text)
    if not match:
        return ""
    line, col = _line_col(text, match.start())
    return f" at line {line}, column {col}"


def _line_col(text: str, loc: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    return text.count("\n", 0, loc) + 1, loc - (text.rfind("\n", 0, loc) + 1) + 1


def one_line(value: object) -> str:
    return " ".join(str(value).split())
