"""Closed word lists that decide readings (light verbs, control verbs, measure nouns, ...), as data.

One table per class in `ontology/lexicon/words/NAME.tsv` with columns `word`, `value`, `note`;
loaded once per process.
"""
from __future__ import annotations

from functools import lru_cache

from .lexicon import read_table

__all__ = ["word_list", "word_values"]


@lru_cache(maxsize=None)
def word_values(name: str) -> dict[str, str]:
    """Word -> value of the list `name` (value "" where the row gives none)."""
    return {row["word"].lower(): row.get("value", "") for row in read_table(f"words/{name}.tsv")}


def word_list(name: str) -> frozenset[str]:
    """The words of the list `name`."""
    return frozenset(word_values(name))
