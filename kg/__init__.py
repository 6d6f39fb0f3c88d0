"""kg: turn news about diplomacy into a queryable knowledge graph of typed events.

The library offers every step the CLI runs:

    import kg
    events = kg.extract_from_text("Russia called on Hamas to release hostages.")
    results = list(kg.extract_paths(["examples/russia-hamas-hostages.txt"]))
    graph = kg.build_graph(results)
    print(kg.format_result(kg.run_query(graph, kg.canned_query("who-did-what")), "table"))
    kg.render_html(graph, "view.html")
"""
from .errors import GraphLoadError, InputError, KgError, ModelError, QueryError
from .evaluate import EvaluationResult, evaluate_paths, format_report, load_gold
from .export import EXPORT_FORMATS, export_graph
from .extract import extract_events, extract_from_text
from .graph import add_article, build_graph, load_graph, new_graph, save_graph
from .ingest import article_from_text, read_articles
from .model import Actor, Article, ArticleResult, Event
from .network import format_stats, graph_stats, to_networkx
from .nlp import DEFAULT_MODEL, load_model, parse_article, parse_articles
from .pipeline import BuildSummary, build, canned_query, extract_paths, list_queries, process_articles
from .parameters import bind_parameters, query_parameters
from .query import QueryResult, format_result, run_query
from .reference import OntologyReference, format_reference, ontology_reference
from .validate import ValidationReport, validate_file, validate_graph
from .viz import notebook_view, render_html

__version__ = "0.1.0"

__all__ = [
    "Actor", "Article", "ArticleResult", "BuildSummary", "DEFAULT_MODEL", "EXPORT_FORMATS", "EvaluationResult",
    "Event", "evaluate_paths", "format_report", "load_gold",
    "GraphLoadError", "InputError", "KgError", "ModelError", "QueryError", "QueryResult", "add_article",
    "article_from_text", "build", "build_graph", "canned_query", "export_graph", "extract_events",
    "extract_from_text", "extract_paths", "format_result", "format_stats", "graph_stats", "list_queries",
    "load_graph", "load_model", "new_graph", "parse_article", "parse_articles", "process_articles",
    "notebook_view", "read_articles", "render_html", "run_query", "save_graph", "to_networkx",
    "ValidationReport", "validate_file", "validate_graph",
    "OntologyReference", "format_reference", "ontology_reference",
    "bind_parameters", "query_parameters",
]
