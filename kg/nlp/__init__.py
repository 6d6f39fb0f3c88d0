"""Stage 2, nlp: loading the spaCy pipeline and parsing articles into sentences and Docs.

The entry points are `load_model` and `parse_articles` (`parse_article` for one). The parse is
kept fast by two sealed speed-ups that change no result: `blas` (numpy's BLAS on one thread
while parsing) and `attribute_rules` (spaCy's attribute_ruler matched without a Python call
per token and pattern).
"""
from kg._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "DEFAULT_MODEL": "parse",
    "load_model": "parse",
    "parse_article": "parse",
    "parse_articles": "parse",
    "ParsedArticle": "parse",
    "Sentence": "parse",
})
