"""Paging a shipped query on an embedded store: the `# page by ?VAR` line of a query.

A shipped query (ontology/queries/*.rq) may declare, in a comment line of its own, how an
embedded store can read its first rows without answering it for the whole corpus:
`# page by ?VAR` (by article) or `# page by ?VAR in { PATTERN }` (by the values of a key
pattern). The line is a documented part of the shipped-query format (docs/QUERIES.md); any
other SPARQL engine reads it as the comment it is, and answers the query whole.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from kg.errors import QueryError
from kg.graph.sparql import NOT_CODE, strip_prologue

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
    prologue = sparql[:len(sparql) - len(strip_prologue(sparql))]
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
    if not re.match(r"SELECT\b", strip_prologue(sparql), re.I) or "{" not in code:
        raise QueryError(f"only a SELECT query can be paged by ?{name}")
    start = code.index("{") + 1
    return f"{sparql[:start]} VALUES ?{name} {{ {' '.join(terms)} }}{sparql[start:]}"


def _without_comments(sparql: str) -> str:
    """The query with comments, strings and IRIs blanked out (keywords and variables kept)."""
    return NOT_CODE.sub(lambda m: " " if m.group().startswith("#") else '""', sparql)


def _blank_non_code(sparql: str) -> str:
    """The query with comments, strings and IRIs replaced by as many spaces (offsets kept)."""
    return NOT_CODE.sub(lambda m: " " * len(m.group()), sparql)
