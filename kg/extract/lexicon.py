"""The event lexicon: verbs and nouns that express CAMEO events, written from the CAMEO codebook.

Data lives in `ontology/lexicon/` (package `kg.ontology`):

* `events-*.tsv`: one row per way of expressing an event. Columns:
  `id` (unique, e.g. `withdraw.v.from@talks`), `lemma`, `pos` (verb|noun), `prep` (a particle
  or preposition that must be attached to the predicate; empty = any), `object` (object
  classes, pipe-separated, one of which the governed noun must belong to; empty = any),
  `cameo` (the code; empty = a known word that is no political event, e.g. "say"), `note`.
* `classes-*.tsv`: named word classes (`class`, `words` pipe-separated lemmas, `note`). A class
  named in several files is the union of its rows. A word `ent:LABEL` stands for any name the
  recogniser labels LABEL (`ent:gpe` for a place such as "Mosul", `ent:person`); the word `*`
  stands for any direct object (a row that needs one: "returned the artefacts to X").

The governed noun is the direct object's head (or what its measure word, conjuncts, of-phrase
or compounds name: "a batch of weapons"), else the object of a preposition.
The most specific matching row wins: prep and object > prep > object > plain. A verb with no
row of its own that is another verb done again ("reimposed", "reopened") takes that verb's rows.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Iterable

from kg.errors import InputError

__all__ = ["EventLexicon", "LexiconEntry", "coverage", "intent_codes", "load_lexicon", "load_word_classes", "read_table",
           "refusal_codes"]

EVENT_COLUMNS = ("id", "lemma", "pos", "prep", "object", "cameo", "note")


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    lemma: str
    pos: str  # "verb" or "noun"
    prep: str  # "" = any
    object_classes: tuple[str, ...]  # empty = any
    objects: frozenset[str]  # the words of those classes
    cameo: str | None  # None: a known word that is not a political event (say, tell reporters)


class EventLexicon:
    """Lookup of the most specific entry for a lemma, its prepositions and its object head."""

    def __init__(self, entries: Iterable[LexiconEntry]):
        self.entries = tuple(entries)
        self._by_id = {entry.id: entry for entry in self.entries}
        self._by_lemma: dict[tuple[str, str], list[LexiconEntry]] = {}
        for entry in self.entries:
            self._by_lemma.setdefault((entry.lemma, entry.pos), []).append(entry)

    def _entries(self, lemma: str, pos: str) -> list[LexiconEntry]:
        found = self._by_lemma.get((lemma, pos))
        if found is None and lemma.startswith("re") and len(lemma) > 5:
            # "reimposed", "reopened", "redeployed": the verb done again, when the lexicon has no row of its own
            found = self._by_lemma.get((lemma[2:].lstrip("-"), pos))
        return found or []

    def preps(self, lemma: str, pos: str = "verb") -> set[str]:
        """Prepositions/particles this lemma has its own entries for ("call" -> {"for", "on", ...})."""
        return {e.prep for e in self._entries(lemma, pos) if e.prep}

    def knows(self, lemma: str, pos: str = "verb") -> bool:
        return bool(self._entries(lemma, pos))

    def match(self, lemma: str, pos: str = "verb", preps: tuple[str, ...] = (),
              obj: tuple[str, ...] = (), modifiers: tuple[str, ...] = (), complement: str | None = None,
              particles: tuple[str, ...] = (), prep_object: bool = False) -> LexiconEntry | None:
        """Best entry: prep and object both required > prep > object > plain; None if nothing fits.

        `obj` holds the forms (lemma, lower-case text) of the governed noun; between two rows
        whose classes both match, one matched by a modifier of the noun (`modifiers`: "humanitarian"
        in "humanitarian aid") is the more specific. Between two rows with a preposition, the one
        whose preposition introduces the verb's complement (`complement`: "to" of "agreed with X
        to cut tariffs") names what is agreed, promised or asked; a particle (`particles`: "out" of
        "called out X for ...") makes a phrasal verb, whose row is more specific than a preposition's."""
        best: tuple[float, LexiconEntry] | None = None
        for entry in self._entries(lemma, pos):
            if entry.prep and entry.prep not in preps:
                continue
            if entry.objects and not entry.objects.intersection(obj):
                continue
            score = (2 if entry.prep else 0) + (1 if entry.objects else 0) \
                + (0.5 if entry.objects.intersection(modifiers) else 0) \
                + (0.25 if complement is not None and entry.prep == complement else 0) \
                + (0.25 if entry.prep and entry.prep in particles else 0) \
                + (1.5 if prep_object and entry.objects and not entry.prep else 0)
            if best is None or score > best[0]:
                best = (score, entry)
        return best[1] if best else None

    def any_sense(self, lemma: str, pos: str = "noun") -> LexiconEntry | None:
        """The lemma's plain coded entry, else its first coded one ("aid" read without its "to")."""
        coded = [e for e in self._entries(lemma, pos) if e.cameo and not e.objects]
        return next((e for e in coded if not e.prep), coded[0] if coded else None)

    def by_id(self, row_id: str) -> LexiconEntry | None:
        return self._by_id.get(row_id)


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of one TSV file of `ontology/lexicon/` (comment lines start with `#`)."""
    text = (files("kg.ontology") / "lexicon" / name).read_text(encoding="utf-8")
    lines = (ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    return [{k: (v or "").strip() for k, v in row.items() if k is not None}
            for row in csv.DictReader(lines, delimiter="\t")]


def _table_names(prefix: str) -> list[str]:
    folder = files("kg.ontology") / "lexicon"
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tsv"))


@lru_cache(maxsize=1)
def intent_codes() -> dict[str, str]:
    """Deed code prefix -> the intent or threat code that announces it (intent_codes.tsv)."""
    return {row["deed"]: row["intent"] for row in read_table("intent_codes.tsv")}


@lru_cache(maxsize=1)
def refusal_codes() -> dict[str, str]:
    """Root of a cooperative deed -> the rejection code of refusing it (refusal_codes.tsv)."""
    return {row["deed"]: row["refusal"] for row in read_table("refusal_codes.tsv")}


@lru_cache(maxsize=1)
def load_word_classes() -> dict[str, frozenset[str]]:
    """Every named word class of `ontology/lexicon/classes-*.tsv` (union over the files)."""
    classes: dict[str, set[str]] = {}
    for name in _table_names("classes"):
        for row in read_table(name):
            words = {w.strip().lower() for w in row.get("words", "").split("|") if w.strip()}
            classes.setdefault(row["class"], set()).update(words)
    return {k: frozenset(v) for k, v in classes.items()}


@lru_cache(maxsize=1)
def load_lexicon() -> EventLexicon:
    """Load the built-in event lexicon (cached). A row naming an unknown class or a duplicate
    id is an error in the shipped data, reported with its file."""
    classes = load_word_classes()
    entries: list[LexiconEntry] = []
    seen: set[str] = set()
    for name in _table_names("events"):
        for row in read_table(name):
            row_id = row.get("id", "")
            if not row_id or row_id in seen:
                raise InputError(f"ontology/lexicon/{name}: missing or duplicate row id {row_id!r}")
            seen.add(row_id)
            wanted = tuple(c for c in row.get("object", "").split("|") if c)
            unknown = [c for c in wanted if c not in classes]
            if unknown:
                raise InputError(f"ontology/lexicon/{name}: row {row_id} names unknown object class {unknown[0]!r}")
            entries.append(LexiconEntry(
                id=row_id,
                lemma=row["lemma"].lower(),
                pos=row["pos"],
                prep=row.get("prep", ""),
                object_classes=wanted,
                objects=frozenset(w for c in wanted for w in classes[c]),
                cameo=row.get("cameo") or None,
            ))
    return EventLexicon(entries)


def coverage(lexicon: EventLexicon | None = None) -> dict[str, int]:
    """Lexicon rows per CAMEO event code (3 or 4 digits; 0 where no row points at it). The
    20 roots are left out: every row names a code below its root."""
    from kg.cameo import all_codes

    counts = {c.code: 0 for c in all_codes() if len(c.code) > 2}
    for entry in (lexicon or load_lexicon()).entries:
        if entry.cameo in counts:
            counts[entry.cameo] += 1
    return counts
