"""Extraction stage: events (subject-action-object triples, typed with CAMEO) from parsed articles.

`extract_events` and `extract_from_text` live in `kg.extract.events` and are loaded on first
use: they need spaCy, and the modules beside them (the lexicon and its coverage report) are
read by commands that never parse a sentence. The actor knowledge base is shared
(`kg.gazetteer`), not part of this stage.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import extract_events, extract_from_text

__all__ = ["extract_events", "extract_from_text"]


def __getattr__(name: str):
    if name in __all__:
        from . import events

        return getattr(events, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
