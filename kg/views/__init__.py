"""Stage 7, views: what a built graph (or store) is shown and handed on as.

`network` (the actor network as networkx, and its statistics), `viz` (the self-contained HTML
view), `export` (RDF, GraphML, GEXF, CSV files), `event_table` (one row per event, and a
pandas DataFrame), `validate` (the graph against the SHACL shapes) and `reference` (the
ontology as a readable list).
"""
from kg._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "to_networkx": "network",
    "graph_stats": "network",
    "format_stats": "network",
    "render_html": "viz",
    "notebook_view": "viz",
    "export_graph": "export",
    "EXPORT_FORMATS": "export",
    "events_table": "event_table",
    "events_frame": "event_table",
    "read_event_table": "event_table",
    "validate_file": "validate",
    "validate_graph": "validate",
    "ontology_reference": "reference",
    "format_reference": "reference",
})
