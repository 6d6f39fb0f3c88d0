"""Stage 1, ingest: files, directories, JSON Lines and standard input -> `Article`s.

The entry point is `read_articles`; `article_from_text` makes one article of a string.
`corpus` holds what a long run reports as it reads (the progress bar, the skipped-input log).
"""
from kg._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "read_articles": "articles",
    "article_from_text": "articles",
    "count_articles": "articles",
    "Limits": "articles",
    "Skipped": "articles",
    "OnError": "articles",
    "CorpusRun": "corpus",
    "SkipLog": "corpus",
})
