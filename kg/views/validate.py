"""SHACL validation of a graph against ontology/shapes.ttl (pySHACL), and its readable report.

The graph is checked together with the ontology (kg.ttl + cameo-events.ttl), so class targets
and `sh:class` follow rdfs:subClassOf (a kgo:CriticizeOrDenounce is a kgo:Event).
"""
from __future__ import annotations

import functools
import os
from collections import defaultdict
from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg import cameo
from kg.errors import GraphLoadError, KgError, UnreadableGraphError
from kg.graph.build import PREFIXES, load_ontology, merged
from kg.query.formats import compact_term
from kg.store import load_dataset

SHAPES_FILE = "shapes.ttl"
EXAMPLES_PER_PROBLEM = 5  # focus nodes listed under each problem in the text report


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node at fault, the property path, what is wrong."""

    focus: Node
    path: Node | None
    message: str
    severity: str  # 'Violation', 'Warning' or 'Info'
    value: Node | None = None
    label: str | None = None  # rdfs:label of the focus node, for readers


@dataclass
class ValidationReport:
    """The outcome of validating a graph: conforms, and every violation found."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    def problems(self) -> list[tuple[str, Node | None, list[Violation]]]:
        """Violations grouped by (message, path), most frequent first."""
        groups: dict[tuple[str, Node | None], list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[(v.message, v.path)].append(v)
        ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0][0]))
        return [(message, path, items) for (message, path), items in ordered]


@functools.cache
def _shapes() -> Graph:
    graph = Graph()
    graph.parse(data=cameo.ontology_file(SHAPES_FILE).read_text(encoding="utf-8"), format="turtle")
    return graph


def load_shapes() -> Graph:
    """The SHACL shapes of a well-formed kg graph (ontology/shapes.ttl), as a fresh Graph."""
    graph = Graph()
    for triple in _shapes():
        graph.add(triple)
    return graph


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate a Graph or Dataset (named graphs merged) against the shapes."""
    data = merged(graph) if isinstance(graph, Dataset) else graph
    # The ontology is added to a copy of the data, not passed as pySHACL's ont_graph:
    # SPARQL-based constraints (code vs class) only see triples of the data graph itself.
    checked = load_ontology()
    for triple in data:
        checked.add(triple)
    conforms, results, _text = shacl_validate(
        checked, shacl_graph=_shapes(), inference="none", abort_on_first=False,
        allow_warnings=True)
    violations = [_violation(results, node, data)
                  for node in results.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (v.message, str(v.path), str(v.focus)))
    return ValidationReport(bool(conforms), violations, len(data))


def validate_file(location: str | os.PathLike[str]) -> ValidationReport:
    """Load a graph (RDF file, store directory or store URL) and validate it;
    UnreadableGraphError (exit 2) when it cannot be read."""
    try:
        graph = load_dataset(location)
    except KgError as exc:
        raise UnreadableGraphError(str(exc)) from None
    return validate_graph(graph)


def format_report(report: ValidationReport, name: str = "graph") -> str:
    """A readable report: a verdict line, then each problem with its count, path and nodes."""
    prefixes = {prefix: str(ns) for prefix, ns in {**PREFIXES, "xsd": XSD, "owl": OWL, "rdfs": RDFS}.items()}
    if report.conforms:
        return f"{name}: conforms to the kg shapes ({report.triples} triples checked)\n"
    problems = report.problems()
    lines = [f"{name}: does NOT conform to the kg shapes: {len(report.violations)} "
             f"violation{'s' if len(report.violations) != 1 else ''} of "
             f"{len(problems)} kind{'s' if len(problems) != 1 else ''}"]
    for message, path, items in problems:
        where = f" [path {compact_term(path, prefixes)}]" if path is not None else ""
        lines.append("")
        lines.append(f"{len(items)} x {message}{where}")
        for v in items[:EXAMPLES_PER_PROBLEM]:
            node = compact_term(v.focus, prefixes)
            label = f' "{v.label}"' if v.label else ""
            value = f"  value: {_term(v.value, prefixes)}" if v.value is not None else ""
            lines.append(f"    {node}{label}{value}")
        if len(items) > EXAMPLES_PER_PROBLEM:
            lines.append(f"    ... and {len(items) - EXAMPLES_PER_PROBLEM} more")
    return "\n".join(lines) + "\n"


def report_record(report: ValidationReport) -> dict:
    """The report as plain JSON-ready data."""
    return {
        "conforms": report.conforms,
        "triples": report.triples,
        "violations": [
            {"focus": str(v.focus), "path": None if v.path is None else str(v.path),
             "message": v.message, "severity": v.severity,
             "value": None if v.value is None else str(v.value), "label": v.label}
            for v in report.violations
        ],
    }


def _violation(results: Graph, node: Node, data: Graph) -> Violation:
    focus = results.value(node, SH.focusNode)
    path = results.value(node, SH.resultPath)
    message = results.value(node, SH.resultMessage)
    severity = results.value(node, SH.resultSeverity)
    label = data.value(focus, RDFS.label) if focus is not None else None
    return Violation(
        focus=focus,
        path=path if isinstance(path, URIRef) else None,  # complex paths are blank nodes
        message=" ".join(str(message or "constraint not met").split()),
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        value=results.value(node, SH.value),
        label=str(label) if label is not None else None,
    )


def _term(term: Node, prefixes: dict[str, str]) -> str:
    if isinstance(term, Literal):
        datatype = f"^^{compact_term(term.datatype, prefixes)}" if term.datatype else ""
        return f'"{compact_term(term, prefixes)}"{datatype}'
    return compact_term(term, prefixes)
