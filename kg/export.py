"""Serialisations of the graph for `kg export`: RDF, and the actor network for other tools.

RDF: ttl, nt, jsonld and xml merge every article's named graph into one graph; trig and nq
keep one named graph per article.

Network (the `kg.network.to_networkx` projection: actors and themes as nodes, one edge per
event): graphml (Gephi, Neo4j's APOC import, yEd) and gexf (Gephi) carry every node and
edge attribute (a node's label, type, country, role, sector and CAMEO actor_code, ...); csv is
an event edge list with a header row, one row per event, for spreadsheets and `LOAD CSV`
(CSV_COLUMNS; the country, sector and CAMEO actor code of both ends come last, empty when
unknown, as GDELT's Actor1CountryCode, Actor1Code and so on).
"""
from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.graph import serialize

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
EXPORT_FORMATS: tuple[str, ...] = (*RDF_FORMATS, *NETWORK_FORMATS)

CSV_COLUMNS: tuple[str, ...] = (
    "event", "source", "source_label", "source_type", "target", "target_label", "target_type",
    "action", "event_type", "cameo", "quad_class", "goldstein", "date", "negated", "modality",
    "sentence", "article_id", "article_title",
    "source_country", "source_sector", "source_actor_code", "target_country", "target_sector", "target_actor_code",
)
_END_FIELDS = (("_label", "label"), ("_type", "type"), ("_country", "country"), ("_sector", "sector"),
               ("_actor_code", "actor_code"))


def export_graph(ds: Dataset, fmt: str) -> str:
    """The graph serialised in one of EXPORT_FORMATS; KgError for any other format."""
    if fmt in RDF_FORMATS:
        return serialize(ds, RDF_FORMATS[fmt])
    if fmt in NETWORK_FORMATS:
        from kg.network import to_networkx

        return export_network(to_networkx(ds), fmt)
    raise KgError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")


def export_network(net: nx.MultiDiGraph, fmt: str) -> str:
    """A `to_networkx` projection as GraphML, GEXF or a CSV edge list."""
    import networkx as nx

    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(net, named_key_ids=True)) + "\n"
    if fmt == "gexf":  # the event IRI as edge id, as in GraphML (networkx numbers them otherwise)
        with_ids = nx.MultiDiGraph(net)
        for _, _, key, data in with_ids.edges(keys=True, data=True):
            data["id"] = key
        return "\n".join(nx.generate_gexf(with_ids)) + "\n"
    if fmt == "csv":
        return _edge_list_csv(net)
    raise KgError(f"unknown network format {fmt!r}; use one of: {', '.join(NETWORK_FORMATS)}")


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
