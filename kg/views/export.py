"""Serialisations of the graph for `kg export`: RDF, and the actor network for other tools.

A format is named by its short name (EXPORT_FORMATS) or by rdflib's name for it (turtle,
ntriples, nquads, json-ld, xml, trig; FORMAT_ALIASES); `format_for_path` infers it from a
file's suffix.

RDF: ttl, nt, jsonld and xml merge every article's named graph into one graph; trig and nq
keep one named graph per article. JSON-LD comes compacted with an inline `@context` holding
the ontology's prefixes (JSONLD_CONTEXT: kgo:, kgr:, prov:, dcterms:, ...), so its keys read
`kgo:source` rather than full IRIs; any JSON-LD processor expands it back to the same triples.

Network (the `kg.views.network.to_networkx` projection: actors and themes as nodes, one edge per
event): graphml (Gephi, Neo4j's APOC import, yEd) and gexf (Gephi) carry every node and
edge attribute (a node's label, type, country, role, sector and CAMEO actor_code, ...), and
each edge's `weight`: the number of events it stands for (1 for an event's edge; Gephi merges
the parallel edges of a dyad on import and sums their weights, so the dyad's weight is its
number of events). GEXF is dynamic: an event's date is its edge's `start` and `end` (a
partial date, 2023-10, spans its month or year), and a node whose events are all dated starts
at the first of them, so Gephi's timeline plays the network over time; undated events are
always present. csv is an event edge list with a header row, one row per event, for
spreadsheets and `LOAD CSV` (CSV_COLUMNS; the country, sector and CAMEO actor code of both
ends come last, empty when unknown, as GDELT's Actor1CountryCode, Actor1Code and so on): a
network edge list, not RDF (for the rows of a query, use kg query --format csv).
"""
from __future__ import annotations

import calendar
import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib.namespace import RDF, RDFS, XSD

from kg.errors import KgError
from kg.graph.build import PREFIXES, merged, serialize

if TYPE_CHECKING:  # networkx is imported by the network formats only: the CLI reads EXPORT_FORMATS at start
    import networkx as nx
    from rdflib import Dataset

# RDF export format -> rdflib format name
RDF_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
}
NETWORK_FORMATS: tuple[str, ...] = ("graphml", "gexf", "csv")
# the event table (kg/views/event_table.py): one row per CAMEO-coded event, GDELT/ICEWS-style columns
EVENT_TABLE_FORMATS: tuple[str, ...] = ("events-csv", "events-tsv")
EXPORT_FORMATS: tuple[str, ...] = (*RDF_FORMATS, *NETWORK_FORMATS, *EVENT_TABLE_FORMATS)
# rdflib's names (and a few usual spellings) -> the short name
FORMAT_ALIASES: dict[str, str] = {
    "turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nt11": "nt", "nquads": "nq", "n-quads": "nq",
    "json-ld": "jsonld", "rdf/xml": "xml", "pretty-xml": "xml", "rdfxml": "xml",
}
# a file suffix -> the short name of the format it holds
SUFFIX_FORMATS: dict[str, str] = {
    ".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".nq": "nq", ".jsonld": "jsonld", ".json-ld": "jsonld",
    ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".trig": "trig", ".graphml": "graphml", ".gexf": "gexf",
    ".csv": "csv",
}
# the prefixes of a JSON-LD export's @context: the ontology's, and RDF's own
JSONLD_CONTEXT: dict[str, str] = {
    **{prefix: str(ns) for prefix, ns in PREFIXES.items()},
    "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
}

CSV_COLUMNS: tuple[str, ...] = (
    "event", "source", "source_label", "source_type", "target", "target_label", "target_type",
    "action", "event_type", "cameo", "quad_class", "goldstein", "date", "negated", "modality",
    "sentence", "article_id", "article_title",
    "source_country", "source_sector", "source_actor_code", "target_country", "target_sector", "target_actor_code",
)
_END_FIELDS = (("_label", "label"), ("_type", "type"), ("_country", "country"), ("_sector", "sector"),
               ("_actor_code", "actor_code"))


def export_format(name: str) -> str:
    """The short name (one of EXPORT_FORMATS) of a format given by its short or rdflib name, in
    any case; KgError for an unknown name."""
    key = name.strip().lower()
    key = FORMAT_ALIASES.get(key, key)
    if key not in EXPORT_FORMATS:
        raise KgError(f"unknown export format {name!r}; use one of: {', '.join(EXPORT_FORMATS)} "
                      f"(or rdflib's names: {', '.join(('turtle', 'ntriples', 'nquads', 'json-ld', 'xml', 'trig'))})")
    return key


def format_for_path(path: str | Path) -> str | None:
    """The export format a file's suffix names (out.ttl: ttl, out.rdf: xml), or None."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower())


def suffix_for(fmt: str) -> str:
    """The usual file suffix of an export format (xml: .rdf, events-csv: .csv)."""
    return {"xml": ".rdf", "events-csv": ".csv", "events-tsv": ".tsv"}.get(fmt, f".{fmt}")


def export_graph(ds: Dataset, fmt: str) -> str:
    """The graph serialised in one of EXPORT_FORMATS (or rdflib's name for it); KgError for any
    other format."""
    fmt = export_format(fmt)
    if fmt == "jsonld":
        return jsonld(ds)
    if fmt in RDF_FORMATS:
        return serialize(ds, RDF_FORMATS[fmt])
    if fmt in NETWORK_FORMATS:
        from kg.views.network import to_networkx

        return export_network(to_networkx(ds), fmt)
    if fmt in EVENT_TABLE_FORMATS:
        from kg.views.event_table import events_table

        return events_table(ds, fmt.split("-", 1)[1])
    raise KgError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")


def jsonld(ds: Dataset, context: dict[str, str] | None = None) -> str:
    """The graph (its named graphs merged) as JSON-LD compacted with an inline `@context` of
    prefixes (JSONLD_CONTEXT by default)."""
    return merged(ds).serialize(format="json-ld", context=dict(context or JSONLD_CONTEXT), indent=2)


def export_network(net: nx.MultiDiGraph, fmt: str) -> str:
    """A `to_networkx` projection as GraphML, GEXF or a CSV edge list."""
    import networkx as nx

    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(weighted(net), named_key_ids=True)) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(dynamic(weighted(net)))) + "\n"
    if fmt == "csv":
        return _edge_list_csv(net)
    raise KgError(f"unknown network format {fmt!r}; use one of: {', '.join(NETWORK_FORMATS)}")


def weighted(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the projection whose every edge has a `weight`: the number of events it
    stands for (1 for an event's edge, unless it says otherwise)."""
    import networkx as nx

    copy = nx.MultiDiGraph(net)
    for _, _, data in copy.edges(data=True):
        data["weight"] = int(data.get("weight", 1))
    return copy


def dynamic(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The projection made dynamic for GEXF, in place: each dated event's edge gets `start` and
    `end` (its day, or the month or year of a partial date), each node whose edges are all dated
    the `start` of its first one; the event IRI becomes the edge id (networkx numbers edges
    otherwise)."""
    starts: dict[Any, list[str]] = {node: [] for node in net}
    undated: set[Any] = set()
    for u, v, key, data in net.edges(keys=True, data=True):
        data["id"] = key
        span = date_span(data.get("date"))
        if span is None:
            undated.update((u, v))
            continue
        data["start"], data["end"] = span
        starts[u].append(span[0])
        starts[v].append(span[0])
    for node, dates in starts.items():
        if dates and node not in undated:
            net.nodes[node]["start"] = min(dates)
    return net


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_span(value: Any) -> tuple[str, str] | None:
    """The first and last day (YYYY-MM-DD) of a date, a month (2023-10) or a year; None for
    anything else."""
    match = _DATE.fullmatch(str(value).strip()) if value is not None else None
    if match is None:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    if day:
        return (f"{year}-{month}-{day}",) * 2  # type: ignore[return-value]
    if month:
        if not 1 <= int(month) <= 12:
            return None
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def _edge_list_csv(net: nx.MultiDiGraph) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for u, v, key, data in net.edges(keys=True, data=True):
        ends = {f"{side}{field}": net.nodes[node].get(attr, "")
                for side, node in (("source", u), ("target", v))
                for field, attr in _END_FIELDS}
        writer.writerow({**data, **ends, "event": key, "source": u, "target": v,
                         "negated": str(bool(data.get("negated"))).lower()})
    return out.getvalue()
