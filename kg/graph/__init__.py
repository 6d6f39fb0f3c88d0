"""Stage 4, graph: articles and their events -> RDF statements in an rdflib Dataset, one named
graph per article.

The entry points are `add_article` and `build_graph` (`new_graph`, `load_graph` and
`save_graph` around them). `build` makes the statements (with the IRIs and prefixes of
`kg.vocab`), `mentions` decides which reports are one event.
"""
from kg._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "add_article": "build",
    "build_graph": "build",
    "new_graph": "build",
    "load_graph": "build",
    "save_graph": "build",
    "load_ontology": "build",
    "EventIndex": "mentions",
})
