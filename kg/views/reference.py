"""A short reference of the ontology (classes, properties, CAMEO codes), read from the Turtle
at run time so it can never drift from it: `kg ontology`."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import BNode, Node

from kg.cameo import QUAD_CLASS_NAMES
from kg.graph.build import load_ontology
from kg.vocab import KGO

REFERENCE_FORMATS = ("text", "markdown")
ONTOLOGY_IRI = URIRef(str(KGO).rstrip("#"))
QUAD_CLASSES = QUAD_CLASS_NAMES
_PROPERTY_KINDS = ((OWL.ObjectProperty, "object"), (OWL.DatatypeProperty, "datatype"),
                   (OWL.AnnotationProperty, "annotation"))
_PREFIXES = {"kgo": str(KGO), "prov": "http://www.w3.org/ns/prov#", "skos": str(SKOS),
             "xsd": "http://www.w3.org/2001/XMLSchema#", "rdf": str(RDF), "rdfs": str(RDFS),
             "owl": str(OWL), "dcterms": "http://purl.org/dc/terms/",
             "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/", "schema": "https://schema.org/"}


@dataclass(frozen=True)
class ClassInfo:
    """A core (non-CAMEO) class."""

    name: str  # prefixed name, e.g. kgo:State
    label: str
    definition: str
    parents: tuple[str, ...]


@dataclass(frozen=True)
class PropertyInfo:
    """A property with its kind (object, datatype, annotation), domain and range."""

    name: str
    kind: str
    label: str
    definition: str
    domain: str
    range: str
    parent: str


@dataclass(frozen=True)
class CodeInfo:
    """A CAMEO event class: its code, Goldstein value, quad class and PLOVER category."""

    code: str
    name: str
    label: str
    goldstein: Decimal
    quad_class: int
    plover: str
    parent: str


@dataclass(frozen=True)
class OntologyReference:
    """Everything `kg ontology` prints."""

    iri: str
    version: str
    title: str
    classes: list[ClassInfo]
    properties: list[PropertyInfo]
    codes: list[CodeInfo]


def ontology_reference(graph: Graph | None = None) -> OntologyReference:
    """Read the reference from the ontology graph (by default the shipped kg.ttl + cameo-events.ttl)."""
    g = graph if graph is not None else load_ontology()
    coded = set(g.subjects(SKOS.notation, None))
    classes = [
        ClassInfo(_name(c), _text(g, c, RDFS.label), _text(g, c, SKOS.definition),
                  tuple(sorted(_name(p) for p in g.objects(c, RDFS.subClassOf))))
        for c in g.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and c.startswith(str(KGO)) and c not in coded
    ]
    properties = [
        PropertyInfo(_name(p), kind, _text(g, p, RDFS.label), _text(g, p, SKOS.definition),
                     _describe(g, _inherited(g, p, RDFS.domain)), _describe(g, _inherited(g, p, RDFS.range)),
                     _describe(g, g.value(p, RDFS.subPropertyOf)))
        for rdf_kind, kind in _PROPERTY_KINDS
        for p in g.subjects(RDF.type, rdf_kind) if isinstance(p, URIRef) and p.startswith(str(KGO))
    ]
    kind_order = [kind for _, kind in _PROPERTY_KINDS]
    codes = [
        CodeInfo(str(g.value(c, SKOS.notation)), _name(c), _text(g, c, RDFS.label),
                 Decimal(str(g.value(c, KGO.goldstein))), int(g.value(c, KGO.quadClass)),
                 _text(g, c, KGO.ploverCategory), _describe(g, g.value(c, RDFS.subClassOf)))
        for c in coded
    ]
    return OntologyReference(
        iri=str(ONTOLOGY_IRI), version=_text(g, ONTOLOGY_IRI, OWL.versionInfo),
        title=_text(g, ONTOLOGY_IRI, RDFS.label),
        classes=sorted(classes, key=lambda c: c.name),
        properties=sorted(properties, key=lambda p: (kind_order.index(p.kind), p.name)),
        codes=sorted(codes, key=lambda c: c.code))


def format_reference(ref: OntologyReference, fmt: str = "text", all_codes: bool = False) -> str:
    """The reference as plain text or Markdown; CAMEO codes: the 20 roots, or all with `all_codes`."""
    codes = ref.codes if all_codes else [c for c in ref.codes if len(c.code) == 2]
    code_title = ("CAMEO event classes" if all_codes
                  else "CAMEO root classes (kg ontology --codes lists all "
                       f"{len(ref.codes)})")
    class_rows = [(c.name, ", ".join(c.parents), c.definition) for c in ref.classes]
    prop_rows = [(p.name, p.kind, p.domain, p.range, p.definition) for p in ref.properties]
    code_rows = [(c.code, c.name, f"{c.goldstein:+.1f}", f"{c.quad_class} {QUAD_CLASSES[c.quad_class]}",
                  c.plover, c.label) for c in codes]
    sections = [
        (f"Classes ({len(ref.classes)})", ("class", "subclass of", "definition"), class_rows),
        (f"Properties ({len(ref.properties)})", ("property", "kind", "domain", "range", "definition"),
         prop_rows),
        (code_title, ("code", "class", "Goldstein", "quad class", "PLOVER", "label"), code_rows),
    ]
    head = f"{ref.title} {ref.version} <{ref.iri}>"
    if fmt == "markdown":
        parts = [f"# {head}\n"]
        for title, columns, rows in sections:
            parts.append(f"## {title}\n\n" + _markdown_table(columns, rows))
        return "\n".join(parts)
    if fmt != "text":
        raise ValueError(f"unknown reference format {fmt!r}; use one of: {', '.join(REFERENCE_FORMATS)}")
    parts = [head + "\n"]
    for title, columns, rows in sections:
        parts.append(f"{title}\n" + _text_table(columns, rows))
    return "\n".join(parts)


# ---------------------------------------------------------------- helpers

def _name(node: Node) -> str:
    text = str(node)
    for prefix, ns in _PREFIXES.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def _describe(g: Graph, node: Node | None) -> str:
    """A prefixed name, or 'A or B' for an owl:unionOf class; '' when absent."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        if members is not None:
            return " or ".join(_name(m) for m in Collection(g, members))
        return "(anonymous class)"
    return _name(node)


def _inherited(g: Graph, prop: URIRef, axis: URIRef) -> Node | None:
    """The domain or range of a property, else of its nearest super-property (which it implies)."""
    for ancestor in g.transitive_objects(prop, RDFS.subPropertyOf):
        value = g.value(ancestor, axis)
        if value is not None:
            return value
    return None


def _text(g: Graph, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    return " ".join(str(value).split()) if value is not None else ""


def _text_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max([len(col)] + [len(row[i]) for row in rows]) for i, col in enumerate(columns)]
    widths[-1] = 0  # the last column (definition, label) is not padded

    def line(cells) -> str:
        return "  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(columns), line(["-" * max(w, len(c)) for w, c in zip(widths, columns)])]
                     + [line(row) for row in rows]) + "\n"


def _markdown_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
