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

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import GraphLoadError, InputError, KgError, ModelError, QueryError
    from .evaluate import EvaluationResult, evaluate_paths, format_report, load_gold
    from .event_table import EVENT_COLUMNS, events_frame, events_table, read_event_table
    from .export import EXPORT_FORMATS, export_graph
    from .extract.events import extract_events, extract_from_text
    from .graph import add_article, build_graph, load_graph, new_graph, save_graph
    from .ingest import article_from_text, read_articles
    from .model import Actor, Article, ArticleResult, Event
    from .network import format_stats, graph_stats, to_networkx
    from .nlp import DEFAULT_MODEL, load_model, parse_article, parse_articles
    from .pipeline import BuildSummary, build, extract_paths, process_articles
    from .parameters import bind_parameters, query_parameters
    from .query import QueryResult, canned_query, format_result, list_queries, run_query
    from .reference import OntologyReference, format_reference, ontology_reference
    from .validate import ValidationReport, validate_file, validate_graph
    from .viz import notebook_view, render_html

_EXPORTS = {  # public name -> the module that defines it
    "GraphLoadError": "errors",
    "InputError": "errors",
    "KgError": "errors",
    "ModelError": "errors",
    "QueryError": "errors",
    "EvaluationResult": "evaluate",
    "evaluate_paths": "evaluate",
    "format_report": "evaluate",
    "load_gold": "evaluate",
    "EVENT_COLUMNS": "event_table",
    "events_table": "event_table",
    "events_frame": "event_table",
    "read_event_table": "event_table",
    "EXPORT_FORMATS": "export",
    "export_graph": "export",
    "extract_events": "extract.events",
    "extract_from_text": "extract.events",
    "add_article": "graph",
    "build_graph": "graph",
    "load_graph": "graph",
    "new_graph": "graph",
    "save_graph": "graph",
    "article_from_text": "ingest",
    "read_articles": "ingest",
    "Actor": "model",
    "Article": "model",
    "ArticleResult": "model",
    "Event": "model",
    "format_stats": "network",
    "graph_stats": "network",
    "to_networkx": "network",
    "DEFAULT_MODEL": "nlp",
    "load_model": "nlp",
    "parse_article": "nlp",
    "parse_articles": "nlp",
    "BuildSummary": "pipeline",
    "build": "pipeline",
    "canned_query": "query",
    "extract_paths": "pipeline",
    "list_queries": "query",
    "process_articles": "pipeline",
    "bind_parameters": "parameters",
    "query_parameters": "parameters",
    "QueryResult": "query",
    "format_result": "query",
    "run_query": "query",
    "OntologyReference": "reference",
    "format_reference": "reference",
    "ontology_reference": "reference",
    "ValidationReport": "validate",
    "validate_file": "validate",
    "validate_graph": "validate",
    "notebook_view": "viz",
    "render_html": "viz",
}

__version__ = "0.1.0"

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Load a public name's module on first use: `import kg` stays cheap, and a command that
    only queries a store never imports spaCy, networkx or pyvis."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
