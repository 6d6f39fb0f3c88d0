"""The event lexicon: verbs and nouns that express CAMEO events (data in ontology/event_lexicon.tsv)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


@dataclass(frozen=True)
class LexiconEntry:
    lemma: str
    pos: str  # "verb" or "noun"
    prep: str  # "" = any
    objects: frozenset[str]  # empty = any
    cameo: str | None  # None: a known verb that is not a diplomatic event (say, tell reporters)


class EventLexicon:
    """Lookup of the most specific entry for a lemma, its prepositions and its object head."""

    def __init__(self, entries: list[LexiconEntry]):
        self._by_lemma: dict[tuple[str, str], list[LexiconEntry]] = {}
        for entry in entries:
            self._by_lemma.setdefault((entry.lemma, entry.pos), []).append(entry)

    def preps(self, lemma: str, pos: str = "verb") -> set[str]:
        """Prepositions/particles this lemma has its own entries for ("call" -> {"for", "on", ...})."""
        return {e.prep for e in self._by_lemma.get((lemma, pos), []) if e.prep}

    def knows(self, lemma: str, pos: str = "verb") -> bool:
        return (lemma, pos) in self._by_lemma

    def match(self, lemma: str, pos: str = "verb", preps: tuple[str, ...] = (),
              obj: tuple[str, ...] = ()) -> LexiconEntry | None:
        """Best entry: prep and object both required > prep > object > plain; None if nothing fits.

        `obj` holds the forms (lemma, lower-case text) of the direct object's head."""
        best: tuple[int, LexiconEntry] | None = None
        for entry in self._by_lemma.get((lemma, pos), []):
            if entry.prep and entry.prep not in preps:
                continue
            if entry.objects and not entry.objects.intersection(obj):
                continue
            score = (2 if entry.prep else 0) + (1 if entry.objects else 0)
            if best is None or score > best[0]:
                best = (score, entry)
        return best[1] if best else None


@lru_cache(maxsize=1)
def load_lexicon() -> EventLexicon:
    """Load the built-in event lexicon (cached)."""
    text = (files("kg.ontology") / "event_lexicon.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((ln for ln in text.splitlines() if ln and not ln.startswith("#")), delimiter="\t")
    entries = [
        LexiconEntry(
            lemma=row["lemma"].strip(),
            pos=row["pos"].strip(),
            prep=(row["prep"] or "").strip(),
            objects=frozenset(o for o in (row["object"] or "").split("|") if o),
            cameo=(row["cameo"] or "").strip() or None,
        )
        for row in rows
    ]
    return EventLexicon(entries)
