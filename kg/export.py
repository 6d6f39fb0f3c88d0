"""RDF serialisations of the graph for `kg export`.

ttl, nt, jsonld and xml merge every article's named graph into one graph; trig and nq keep
one named graph per article.
"""
from __future__ import annotations

from rdflib import Dataset

from kg.errors import KgError
from kg.graph import serialize

# export format -> rdflib format name
EXPORT_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
}


def export_graph(ds: Dataset, fmt: str) -> str:
    """The graph serialised in one of EXPORT_FORMATS; KgError for any other format."""
    try:
        rdf_format = EXPORT_FORMATS[fmt]
    except KeyError:
        raise KgError(f"unknown export format {fmt!r}; use one of: "
                      f"{', '.join(EXPORT_FORMATS)}") from None
    return serialize(ds, rdf_format)
