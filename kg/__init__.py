"""kg: turn news about diplomacy into a queryable knowledge graph of typed events.

The library offers every step the CLI runs:

    import kg
    events = kg.extract_from_text("Russia called on Hamas to release hostages.")
    results = list(kg.extract_paths(["examples/russia-hamas-hostages.txt"]))
    graph = kg.build_graph(results)
    print(kg.format_result(kg.run_query(graph, kg.canned_query("who-did-what")), "table"))
    kg.render_html(graph, "view.html")
    frame = kg.events_frame(graph)  # the event table as a pandas DataFrame (the analysis extra)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports

if TYPE_CHECKING:
    from .errors import GraphLoadError, InputError, KgError, ModelError, QueryError
    from .pipeline.evaluate import EvaluationResult, evaluate_paths, format_report, load_gold
    from .views.event_table import EVENT_COLUMNS, events_frame, events_table, read_event_table
    from .views.export import EXPORT_FORMATS, export_graph
    from .extract.events import extract_events, extract_from_text
    from .graph.build import add_article, build_graph, load_graph, new_graph, save_graph
    from .ingest.articles import article_from_text, read_articles
    from .model import Actor, Article, ArticleResult, Event
    from .views.network import format_stats, graph_stats, to_networkx
    from .nlp.parse import DEFAULT_MODEL, load_model, parse_article, parse_articles
    from .pipeline.run import BuildOptions, BuildSummary, build, extract_paths, process_articles
    from .query.parameters import bind_parameters, query_parameters
    from .query import QueryResult, canned_query, format_result, list_queries, run_query
    from .views.reference import OntologyReference, format_reference, ontology_reference
    from .views.validate import ValidationReport, validate_file, validate_graph
    from .views.viz import notebook_view, render_html

_EXPORTS = {  # public name -> the module that defines it
    "GraphLoadError": "errors",
    "InputError": "errors",
    "KgError": "errors",
    "ModelError": "errors",
    "QueryError": "errors",
    "EvaluationResult": "pipeline.evaluate",
    "evaluate_paths": "pipeline.evaluate",
    "format_report": "pipeline.evaluate",
    "load_gold": "pipeline.evaluate",
    "EVENT_COLUMNS": "views.event_table",
    "events_table": "views.event_table",
    "events_frame": "views.event_table",
    "read_event_table": "views.event_table",
    "EXPORT_FORMATS": "views.export",
    "export_graph": "views.export",
    "extract_events": "extract.events",
    "extract_from_text": "extract.events",
    "add_article": "graph.build",
    "build_graph": "graph.build",
    "load_graph": "graph.build",
    "new_graph": "graph.build",
    "save_graph": "graph.build",
    "article_from_text": "ingest.articles",
    "read_articles": "ingest.articles",
    "Actor": "model",
    "Article": "model",
    "ArticleResult": "model",
    "Event": "model",
    "format_stats": "views.network",
    "graph_stats": "views.network",
    "to_networkx": "views.network",
    "DEFAULT_MODEL": "nlp.parse",
    "load_model": "nlp.parse",
    "parse_article": "nlp.parse",
    "parse_articles": "nlp.parse",
    "BuildOptions": "pipeline.run",
    "BuildSummary": "pipeline.run",
    "build": "pipeline.run",
    "canned_query": "query",
    "extract_paths": "pipeline.run",
    "list_queries": "query",
    "process_articles": "pipeline.run",
    "bind_parameters": "query.parameters",
    "query_parameters": "query.parameters",
    "QueryResult": "query",
    "format_result": "query",
    "run_query": "query",
    "OntologyReference": "views.reference",
    "format_reference": "views.reference",
    "ontology_reference": "views.reference",
    "ValidationReport": "views.validate",
    "validate_file": "views.validate",
    "validate_graph": "views.validate",
    "notebook_view": "views.viz",
    "render_html": "views.viz",
}

__version__ = "0.1.0"

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
