"""Parameters of SPARQL queries (`kg query --param NAME=VALUE`), bound as RDF terms.

A query declares its parameters with one line of the form

    VALUES (?class ?since ?until) { (UNDEF UNDEF UNDEF) }  # parameters

(the comment may go on after the word), which is valid SPARQL holding the defaults. Binding rewrites that line only: each value is
converted to an RDF term and written with rdflib's own N3 escaping, so user text can never
change the query around it. How a value is read depends on the parameter's name:

* `class`: an event class (`Disapprove`, `kgo:Disapprove`, its IRI) or a CAMEO code (`11`,
  `111`); it expands to the class and all its subclasses (from the ontology), one row each,
  so asking for Disapprove matches CriticizeOrDenounce events too;
* `since`, `until`: a date YYYY[-MM[-DD]]: since its first day, until its last day (xsd:date);
* anything else: a string literal (e.g. an actor's name, matched against rdfs:label).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import RDFS, XSD, Literal, URIRef
from rdflib.term import Node

from kg import cameo
from kg.errors import QueryError
from kg.graph.build import load_ontology
from kg.vocab import KGO

PARAMETER_LINE = re.compile(
    r"^(?P<indent>[ \t]*)VALUES[ \t]*\((?P<names>[^)]*)\)[ \t]*\{[ \t]*\((?P<defaults>[^)]*)\)[ \t]*\}"
    r"[ \t]*(?P<comment>#[ \t]*parameters\b[^\n]*)$", re.IGNORECASE | re.MULTILINE)
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its name (the variable) and its default (a SPARQL term or UNDEF)."""

    name: str
    default: str


def query_parameters(sparql: str) -> list[Parameter]:
    """The parameters a query declares (none without a `# parameters` VALUES line)."""
    match = _parameter_line(sparql)
    if match is None:
        return []
    names = [n.lstrip("?$") for n in match.group("names").split()]
    defaults = match.group("defaults").split()
    if len(names) != len(defaults) or not all(_NAME.fullmatch(n) for n in names):
        raise QueryError(f"malformed parameters line: {match.group(0).strip()!r}")
    return [Parameter(n, d) for n, d in zip(names, defaults)]


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """NAME=VALUE strings (from --param) as a dict; QueryError when one has no '='."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r}: write it as NAME=VALUE, e.g. --param class=Disapprove")
        values[name.strip()] = value.strip()
    return values


def bind_parameters(sparql: str, values: Mapping[str, str] | None = None) -> str:
    """The query with its parameters line holding `values` (defaults for the others).

    Queries without a parameters line are returned unchanged (QueryError if values are given).
    """
    values = dict(values or {})
    declared = query_parameters(sparql)
    if not declared:
        if values:
            raise QueryError(f"this query declares no parameters, so --param {next(iter(values))} "
                             "cannot be used")
        return sparql
    unknown = sorted(set(values) - {p.name for p in declared})
    if unknown:
        raise QueryError(f"unknown parameter {unknown[0]!r}; this query takes: "
                         f"{', '.join(p.name for p in declared)}")
    columns = []
    for param in declared:
        if param.name in values:
            columns.append([t.n3() for t in _terms(param.name, values[param.name])])
        else:
            columns.append([param.default])
    rows = " ".join(f"({' '.join(row)})" for row in itertools.product(*columns))
    match = _parameter_line(sparql)
    assert match is not None
    names = " ".join(f"?{p.name}" for p in declared)
    line = f"{match.group('indent')}VALUES ({names}) {{ {rows} }}  {match.group('comment').rstrip()}"
    return sparql[:match.start()] + line + sparql[match.end():]


# ---------------------------------------------------------------- values -> RDF terms

def _terms(name: str, value: str) -> list[Node]:
    if name == "class":
        return event_classes(value)
    if name in ("since", "until"):
        return [_date(name, value)]
    return [Literal(value)]


def event_classes(value: str) -> list[URIRef]:
    """An event class given by name, prefixed name, IRI or CAMEO code, with all its subclasses."""
    return _descendants(_event_class(value.strip()))


def _event_class(value: str) -> URIRef:
    if value.isdigit():
        try:
            return KGO[cameo.class_name(value)]
        except ValueError:
            raise QueryError(f"class {value!r}: no such CAMEO code (see kg ontology --codes)") from None
    local = value
    for prefix in (str(KGO), "kgo:"):
        if value.startswith(prefix):
            local = value[len(prefix):]
    cls = KGO[local] if _NAME.fullmatch(local) else None
    if cls is None or cls not in _event_class_set():
        raise QueryError(f"class {value!r} is not an event class; give a class name such as "
                         "Disapprove or a CAMEO code such as 11 (see kg ontology)")
    return cls


def _date(name: str, value: str) -> Literal:
    match = _DATE.fullmatch(value.strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = match.group(1), match.group(2), match.group(3)
        if day:
            date = dt.date(int(year), int(month), int(day))
        elif name == "since":
            date = dt.date(int(year), int(month or 1), 1)
        else:
            last_month = int(month or 12)
            date = dt.date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])
    except ValueError:
        raise QueryError(f"{name} {value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY") from None
    return Literal(date.isoformat(), datatype=XSD.date)


@functools.cache
def _subclasses() -> dict[URIRef, frozenset[URIRef]]:
    below: dict[URIRef, set[URIRef]] = {}
    for sub, sup in load_ontology().subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            below.setdefault(sup, set()).add(sub)
    return {sup: frozenset(subs) for sup, subs in below.items()}


def _descendants(cls: URIRef) -> list[URIRef]:
    """The class and every class below it, breadth first, each level sorted."""
    found, level = [cls], [cls]
    while level:
        level = sorted({sub for c in level for sub in _subclasses().get(c, ())} - set(found))
        found.extend(level)
    return found


@functools.cache
def _event_class_set() -> frozenset[URIRef]:
    return frozenset(_descendants(KGO.Event))


def _parameter_line(sparql: str) -> re.Match[str] | None:
    matches = list(PARAMETER_LINE.finditer(sparql))
    if len(matches) > 1:
        raise QueryError("a query may have only one '# parameters' VALUES line")
    return matches[0] if matches else None
