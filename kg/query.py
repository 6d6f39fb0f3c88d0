"""SPARQL over the graph: run a query, get a QueryResult, format it as table / csv / json."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from collections import defaultdict
from importlib.resources import files
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from kg.errors import KgError, QueryError, ResultTooLarge

if TYPE_CHECKING:
    # rdflib's SPARQL engine takes ~0.1 s to import (a third of a `kg query` on a store, which
    # does not need it): it is loaded when a query is first parsed
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import FrozenDict, Query, QueryContext

RESULT_FORMATS = ("table", "csv", "json")
T = TypeVar("T")

_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
_SELECT_STAR = re.compile(r"^\s*SELECT\s+((DISTINCT|REDUCED)\s+)?\*", re.I)
_PROLOGUE = re.compile(r"^\s*(#[^\n]*\n|PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s*<[^>]*>|\s+)", re.I)


def canned_query(name: str) -> str:
    """The text of a query shipped in ontology/queries/NAME.rq: only a shipped name is accepted
    (never a path, so `../x` reads nothing outside the queries)."""
    names = list_queries()
    if name not in names:
        raise KgError(f"no canned query named '{name}'; available: {', '.join(names)}")
    return (files("kg.ontology") / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def list_queries() -> list[str]:
    return sorted(p.name[:-3] for p in (files("kg.ontology") / "queries").iterdir() if p.name.endswith(".rq"))


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
        from kg.views.event_table import require_pandas

        pd = require_pandas()
        if self.kind == "ask":
            return pd.DataFrame({"boolean": pd.array([bool(self.boolean)], dtype="boolean")})
        if self.kind == "graph":
            triples = sorted(self.graph if self.graph is not None else ())
            return pd.DataFrame({name: pd.array([_frame_text(t[i]) for t in triples], dtype="string")
                                 for i, name in enumerate(("subject", "predicate", "object"))})
        return pd.DataFrame({name: _frame_column([row[i] for row in self.rows], pd)
                             for i, name in enumerate(self.columns)}, columns=self.columns)


def run_query(ds: Graph | Any, sparql: str, max_rows: int | None = None,
              limit: int | None = None) -> QueryResult:
    """Run a read-only SPARQL 1.1 query; QueryError for syntax errors and unsupported features.

    `ds` is an rdflib Graph/Dataset or a store (kg.store.Store); `max_rows` caps the rows
    (or triples) of the result: ResultTooLarge when exceeded. `limit` keeps only the first
    `limit` rows of a SELECT (the result's `more` says whether there were others), as a
    console shows a first page; a query declaring `# page by ?VAR` is then read a few articles
    or key values at a time on an embedded store (see `page_variable`).
    """
    if not isinstance(ds, Graph):  # a store runs the query on its own engine
        return ds.query(sparql, max_rows=max_rows, limit=limit)
    namespaces = {prefix: str(ns) for prefix, ns in ds.namespaces() if prefix}
    known = {g.identifier for g in ds.graphs()} if isinstance(ds, Dataset) else set()
    query = parse_query(sparql, namespaces, known.__contains__)
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
_NOT_CODE = re.compile(_STRINGS_IRIS_COMMENTS)
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
    if _SELECT_STAR.search(_strip_prologue(sparql)):
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


_PAGE_BY = re.compile(r"^[ \t]*#[ \t]*page by[ \t]+[?$](\w+)(?:[ \t]+in[ \t]+(\{.*\}))?", re.I | re.M)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)
_ASCENDING = re.compile(r"\s*(?:[?$](\w+)|ASC\s*\(\s*[?$](\w+)\s*\))", re.I)
_VARIABLE = re.compile(r"[?$](\w+)")


def page_variable(sparql: str) -> str | None:
    """The variable a query pages by: its `# page by ?VAR` comment line, or None.

    `# page by ?VAR` promises that VAR is the article (its IRI, the name of its graph) and that
    each row comes from the statements of that one article's graph: an embedded store then reads
    a first page article by article, in IRI order; the query must be ordered by VAR first.
    `# page by ?VAR in { PATTERN }` promises instead that every row binds VAR, through the
    query's required patterns (not OPTIONAL or BIND), to one of the values VAR takes in PATTERN:
    the store then lists those values in the query's order and reads the rows of a few values at
    a time (see `with_values`). Such a query is ordered by VAR first, or by variables that
    PATTERN binds and then VAR (`# page by ?article in { ?article a kgo:Article OPTIONAL {
    ?article dcterms:date ?published } }` with `ORDER BY ?published ?article ?n`), which
    further promises that those leading variables are functions of VAR (one value, or none,
    per value of VAR), as an article's date is: the values of VAR are then listed in the order
    of those variables (see `page_order`). The leading conditions must be plain variables,
    ascending: QueryError otherwise.
    """
    order = page_order(sparql)
    return order[-1] if order else None


def page_order(sparql: str) -> list[str]:
    """The variables that order the pages of a query (see `page_variable`): the leading ORDER BY
    variables, its paging variable last; [] for a query without a `# page by` line."""
    match = _PAGE_BY.search(sparql)
    if match is None:
        return []
    return _leading_order(sparql, match.group(1), match.group(2))


def page_keys(sparql: str) -> str | None:
    """The key query of a `# page by ?VAR in { PATTERN }` line: the distinct values of VAR in
    PATTERN, in its first column, with the other `page_order` variables after it (append
    ORDER BY with those variables for the query's order); None for paging by article (or no
    paging)."""
    order = page_order(sparql)
    pattern = _PAGE_BY.search(sparql).group(2) if order else None  # type: ignore[union-attr]
    if pattern is None:
        return None
    name, others = order[-1], order[:-1]
    prologue = sparql[:len(sparql) - len(_strip_prologue(sparql))]
    columns = " ".join(f"?{v}" for v in [name, *others])
    return f"{prologue}SELECT DISTINCT {columns} WHERE {pattern}"


def _leading_order(sparql: str, name: str, pattern: str | None) -> list[str]:
    """The leading variables of the query's ORDER BY up to `name`, checked (see page_variable)."""
    code = _without_comments(sparql)
    clause = _outer_order_by(code)
    leading: list[str] = []
    at = 0
    while clause is not None and (step := _ASCENDING.match(clause, at)):
        leading.append(step.group(1) or step.group(2))
        at = step.end()
        if leading[-1] == name:
            break
    declared = f"# page by ?{name}" + (" in { ... }" if pattern is not None else "")
    if name not in leading:
        how = (f"ORDER BY ?{name} ..., or by variables of its pattern then ?{name}" if pattern is not None
               else f"ORDER BY ?{name} ...")
        raise QueryError(f"the query pages by ?{name} ('{declared}') but is not ordered by it first: "
                         f"end it with {how}, each ascending")
    bound = set(_VARIABLE.findall(_without_comments(pattern))) if pattern is not None else set()
    strays = [v for v in leading[:-1] if v not in bound]
    if strays:
        raise QueryError(f"the query pages by ?{name} ('{declared}') but is not ordered by it first: "
                         f"its ORDER BY begins with {', '.join('?' + v for v in strays)}, which "
                         + ("the key pattern does not bind" if pattern is not None else
                            "paging by article cannot order by")
                         + f"; begin it with ?{name}" + (", or with variables of the key pattern then"
                                                          f" ?{name}" if pattern is not None else ""))
    return leading


def _outer_order_by(code: str) -> str | None:
    """The text after the ORDER BY of the outermost query (not of a sub-query), or None."""
    for match in reversed(list(_ORDER_BY.finditer(code))):
        if code.count("{", 0, match.start()) == code.count("}", 0, match.start()):
            return code[match.end():]
    return None


def with_values(sparql: str, name: str, terms: Iterable[str]) -> str:
    """A SELECT query with `VALUES ?name { terms }` at the start of its WHERE clause, so that only
    the rows binding `name` to one of `terms` (SPARQL syntax) remain, and they are the first
    thing the engine looks up."""
    code = _blank_non_code(sparql)
    if not re.match(r"SELECT\b", _strip_prologue(sparql), re.I) or "{" not in code:
        raise QueryError(f"only a SELECT query can be paged by ?{name}")
    start = code.index("{") + 1
    return f"{sparql[:start]} VALUES ?{name} {{ {' '.join(terms)} }}{sparql[start:]}"


def _without_comments(sparql: str) -> str:
    """The query with comments, strings and IRIs blanked out (keywords and variables kept)."""
    return _NOT_CODE.sub(lambda m: " " if m.group().startswith("#") else '""', sparql)


def _blank_non_code(sparql: str) -> str:
    """The query with comments, strings and IRIs replaced by as many spaces (offsets kept)."""
    return _NOT_CODE.sub(lambda m: " " * len(m.group()), sparql)


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


# ---------------------------------------------------------------- rdflib joins

def hash_join(ctx: QueryContext, part: CompValue) -> Iterator[FrozenDict]:
    """rdflib's joins and MINUS of two parts that it does not evaluate row by row (one holds a
    join of its own, e.g. sub-queries), without comparing every row of one side with every row
    of the other, which takes minutes on a few thousand events (and a basic graph pattern on
    the right of a join, such as labels joined to a sub-query's rows, is first read whole: every
    pair of labels). A join's right side that is a basic graph pattern is matched with each left row's
    bindings; any other right side is indexed by the variables both sides bind in every row.
    The same rows as rdflib's own. Registered in rdflib's CUSTOM_EVALS when kg first parses a query."""
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.evalutils import _join, _minus
    from rdflib.plugins.sparql.sparql import FrozenDict

    name = getattr(part, "name", None)
    if name not in ("Join", "Minus") or (name == "Join" and part.lazy) or ctx.initBindings:
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


def _use_hash_join() -> None:
    """Register `hash_join` with rdflib, once (kg parses every query it runs on rdflib first)."""
    global _hash_join_used
    if not _hash_join_used:
        from rdflib.plugins.sparql import CUSTOM_EVALS

        CUSTOM_EVALS.setdefault("kg_hash_join", hash_join)
        _hash_join_used = True


# ---------------------------------------------------------------- errors

def _syntax_message(sparql: str, exc: ParseBaseException) -> str:
    if _UPDATE.match(_strip_prologue(sparql)):
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


def _strip_prologue(sparql: str) -> str:
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


# ---------------------------------------------------------------- formats

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
