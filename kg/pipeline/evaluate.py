"""Evaluation: score extracted events against a gold file (typed and untyped precision/recall/F1).

Two gold kinds, one JSON object per line (the formats of `../shared/tools/score_events.py`):

* alias gold: `{"id": "g01", "required": true, "sentence_contains": "tells Hamas",
  "subject": ["Russia"], "object": ["Hamas"], "cameo_root": ["02", "10"], "article_id": ...}`.
  An event matches when its sentence contains `sentence_contains`, its article is
  `article_id` (when given), a subject alias matches its subject, an object alias matches
  its object, target or theme (no aliases: anything), and, typed, its CAMEO code starts
  with one of `cameo_root`. Aliases match a name or text equal to them or containing them
  as whole words, ignoring case, quotes, possessives, punctuation and a leading "the".
  With `"two_way": true` (gold whose aliases are whole noun phrases, such as "a spokesman
  for the Kenyan Foreign Ministry"), an alias also matches a name or text that it contains
  as whole words ("Kenyan Foreign Ministry"), unless that is a pronoun ("he", "it", ...).
* coded gold: `{"id": "s1", "text": "...", "events": [{"source": "RUSGOV", "target": "PSE",
  "code": "0253"}]}`. Each event becomes the gold event `s1#0`, ... of article `s1`; it
  matches an event of that article whose subject's country is the first three letters of
  `source`, whose object/target/theme has the country of `target` (for non-state codes
  such as IGO or REB: any object), and, typed, whose CAMEO code shares the first two digits.

The typed score counts only events with a CAMEO code. Required gold events claim system
events first; every gold event takes the first unclaimed event that matches (one to one).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TextIO

from kg.errors import InputError, KgError
from kg.gazetteer import Gazetteer
from kg.ingest.articles import json_lines
from kg.model import Article, Event
from kg.nlp.parse import DEFAULT_MODEL
from kg.pipeline.run import extract_paths, process_articles

ALIAS, CODED = "alias", "coded"
# CAMEO actor-code prefixes that name no state: only the presence of an object is checked.
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC", "UNK", "---", "REB", "INS", "SEP"})
ACTOR_STRING_KEYS = ("name", "text", "label", "canonical", "mention", "value")
COUNTRY_KEYS = ("country", "country_code", "iso3")
# Names or texts that a two_way alias never matches by containing them (the reference scorer's PRONOUNS).
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "who", "which",
                      "that", "his", "its", "their", "this", "these", "those"})
EXTRAS_SHOWN = 30

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_POSSESSIVE = re.compile(r"'s\b")
_PUNCTUATION = re.compile(r"[^\w\s-]")


def normalise(text: str) -> str:
    """Lower-case text without quotes, possessives, punctuation, extra spaces or a leading "the"."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = _PUNCTUATION.sub(" ", _POSSESSIVE.sub("", text))
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


# --------------------------------------------------------------------------- gold files

def load_gold(path: str | Path) -> tuple[list[dict[str, Any]], str]:
    """Read a gold file: its gold events (coded lines expanded to one per event) and its kind."""
    rows, kind = _read_rows(Path(path))
    gold: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for where, row in rows:
        for item in (_alias_gold(row, where),) if kind == ALIAS else _coded_gold(row, where):
            if item["id"] in seen:
                raise InputError(f"{where}: duplicate gold id {item['id']!r} (also on {seen[item['id']]}); "
                                 "give each gold event its own id")
            seen[item["id"]] = where
            gold.append(item)
    if not gold:
        raise InputError(f"{path}: no gold events")
    return gold, kind


def gold_articles(path: str | Path) -> list[Article]:
    """The articles of a coded gold file: one per line, id = the line's id, text = its text."""
    rows, kind = _read_rows(Path(path))
    if kind != CODED:
        raise KgError(f"{path} is alias gold, which carries no article texts; give the articles with --articles")
    articles = []
    for where, row in rows:
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{where}: coded gold line has no 'text'; give its text or pass --articles")
        articles.append(Article(id=_id(row, "id", where), text=text.replace("\r\n", "\n").replace("\r", "\n")))
    return articles


def _read_rows(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """The non-blank lines of a gold file as JSON objects (with their location) and the file's kind."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such gold file: {path}; check the path") from None
    except IsADirectoryError:
        raise InputError(f"gold file {path} is a directory; give a JSON Lines file") from None
    except OSError as exc:
        raise InputError(f"cannot read gold file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"gold file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    rows: list[tuple[str, dict[str, Any]]] = []
    kind = None
    first = ""
    for _, where, row in json_lines(text.removeprefix("\ufeff").replace("\r\n", "\n"), str(path)):
        if not isinstance(row, dict):
            raise InputError(f"{where}: a gold line must be a JSON object")
        row_kind = CODED if "events" in row else ALIAS if "subject" in row else None
        if row_kind is None:
            raise InputError(f"{where}: unknown gold kind: give 'subject' (alias gold) or 'text' and "
                             "'events' (coded gold)")
        if kind is None:
            kind, first = row_kind, where
        elif row_kind != kind:
            raise InputError(f"{where}: {row_kind} gold in a file of {kind} gold ({first}); use one kind per file")
        rows.append((where, row))
    if kind is None:
        raise InputError(f"{path}: no gold events (the file is empty)")
    return rows, kind


def _alias_gold(row: dict[str, Any], where: str) -> dict[str, Any]:
    gold = dict(row)
    gold["id"] = _id(row, "id", where)
    gold["subject"] = _strings(row, "subject", where, required=True)
    gold["object"] = _strings(row, "object", where)
    gold["cameo_root"] = _strings(row, "cameo_root", where)
    for key in ("sentence_contains", "note"):
        if row.get(key) is not None and not isinstance(row[key], str):
            raise InputError(f"{where}: {key!r} must be a string")
    if row.get("article_id") is not None:
        gold["article_id"] = _id(row, "article_id", where)
    gold["required"] = _flag(row, "required", True, where)
    gold["two_way"] = _flag(row, "two_way", False, where)
    return gold


def _coded_gold(row: dict[str, Any], where: str) -> list[dict[str, Any]]:
    article = _id(row, "id", where)
    events = row["events"]
    if not isinstance(events, list):
        raise InputError(f"{where}: 'events' must be a list of {{\"source\", \"target\", \"code\"}} objects")
    gold = []
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise InputError(f"{where}: event {i} must be an object like {{\"source\", \"target\", \"code\"}}")
        for key in ("source", "target", "code"):
            if event.get(key) is not None and not isinstance(event[key], str):
                raise InputError(f"{where}: event {i}: {key!r} must be a string")
        if not re.fullmatch(r"\d{2,4}", event.get("code") or ""):
            raise InputError(f"{where}: event {i}: 'code' must be a CAMEO code of 2 to 4 digits")
        gold.append({"id": f"{article}#{i}", "article_id": article, "source": event.get("source") or "",
                     "target": event.get("target") or "", "code": event["code"], "text": row.get("text"),
                     "required": True})
    return gold


def _id(row: dict[str, Any], key: str, where: str) -> str:
    value = row.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _strings(row: dict[str, Any], key: str, where: str, required: bool = False) -> list[str]:
    value = row.get(key)
    values = [value] if isinstance(value, str) else [] if value is None else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"{where}: {key!r} must be a string or a list of strings")
    if required and not any(normalise(v) for v in values):
        raise InputError(f"{where}: {key!r} needs at least one alias")
    return values


def _flag(row: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = row.get(key, default)
    if not isinstance(value, bool):
        raise InputError(f"{where}: {key!r} must be true or false")
    return value


# --------------------------------------------------------------------------- matching

@dataclass(frozen=True)
class _View:
    """What matching needs of one system event, normalised once."""

    article_id: str
    sentence: str
    subject: tuple[str, ...]
    objects: tuple[str, ...]
    subject_country: str | None
    object_countries: frozenset[str | None]
    cameo: str


def _view(record: dict[str, Any]) -> _View:
    others = [record.get(k) for k in ("object", "target", "theme")]
    return _View(
        article_id=str(record.get("article_id")),
        sentence=normalise(str(record.get("sentence") or "")),
        subject=tuple(normalise(s) for s in _actor_strings(record.get("subject"))),
        objects=tuple(normalise(s) for v in others for s in _actor_strings(v)),
        subject_country=_country(record.get("subject")),
        object_countries=frozenset(_country(v) for v in others),
        cameo=str(record.get("cameo") or ""),
    )


def _actor_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [value[k] for k in ACTOR_STRING_KEYS if isinstance(value.get(k), str)]
    if isinstance(value, list):
        return [s for item in value for s in _actor_strings(item)]
    return []


def _country(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in COUNTRY_KEYS:
            if isinstance(value.get(key), str) and value[key]:
                return value[key].upper()[:3]
    return None


@lru_cache(maxsize=4096)
def _words(text: str) -> re.Pattern[str]:
    """A pattern that finds normalised `text` as whole words (a hyphen joins words)."""
    return re.compile(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])")


def _alias_patterns(aliases: Iterable[str]) -> list[tuple[str, re.Pattern[str]]]:
    normed = [a for a in (normalise(alias) for alias in aliases) if a]
    return [(a, _words(a)) for a in normed]


def _listed(value: Any) -> list[str]:
    """A gold field as a list of strings (a single string is a one-item list)."""
    return [value] if isinstance(value, str) else [v for v in value or () if isinstance(v, str)]


def _hits(patterns: list[tuple[str, re.Pattern[str]]], values: Iterable[str], two_way: bool = False) -> bool:
    """Whether an alias equals a value or is in it as whole words (two_way: or the value, not a pronoun, in it)."""
    return any(value == alias or pattern.search(value)
               or (two_way and value and value not in PRONOUNS and _words(value).search(alias))
               for alias, pattern in patterns for value in values)


Matcher = Callable[[_View, bool], bool]


def _alias_matcher(gold: dict[str, Any]) -> Matcher:
    article = None if gold.get("article_id") is None else str(gold["article_id"])
    key = normalise(gold.get("sentence_contains") or "")
    subjects, objects = _alias_patterns(_listed(gold.get("subject"))), _alias_patterns(_listed(gold.get("object")))
    roots = tuple(_listed(gold.get("cameo_root")))
    two_way = bool(gold.get("two_way"))

    def match(event: _View, typed: bool) -> bool:
        return ((article is None or event.article_id == article)
                and key in event.sentence
                and _hits(subjects, event.subject, two_way)
                and (not _listed(gold.get("object")) or _hits(objects, event.objects, two_way))
                and (not typed or not roots or event.cameo.startswith(roots)))
    return match


def _coded_matcher(gold: dict[str, Any]) -> Matcher:
    source, target = str(gold.get("source") or "").upper()[:3], str(gold.get("target") or "").upper()[:3]
    article, root = str(gold.get("article_id")), str(gold.get("code") or "")[:2]

    def match(event: _View, typed: bool) -> bool:
        if event.article_id != article:
            return False
        if source and source not in NON_STATE and event.subject_country != source:
            return False
        if target and target not in NON_STATE and target not in event.object_countries:
            return False
        if target in NON_STATE and not event.objects:
            return False
        return not typed or event.cameo.startswith(root)
    return match


# --------------------------------------------------------------------------- scoring

@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one reading (typed or untyped), with its one-to-one matches."""

    precision: float
    recall: float
    f1: float
    matches: dict[str, int]  # gold id -> index of the matched event in EvaluationResult.events
    system: int  # events scored (typed: those with a CAMEO code)


@dataclass
class EvaluationResult:
    """The scores of a system run against a gold set, with what was matched, missed and extra."""

    kind: str
    gold: list[dict[str, Any]]
    events: list[dict[str, Any]]  # the system's event records, in order
    typed: Score
    untyped: Score
    matched: list[str]  # gold ids matched with their CAMEO code, in gold order
    missed: list[dict[str, Any]]  # required gold events the typed reading did not match
    extras: list[int]  # indices of events no gold event used, typed or untyped
    missing_articles: list[str] = field(default_factory=list)  # gold articles absent from the run

    @property
    def required(self) -> int:
        return sum(1 for g in self.gold if g.get("required", True))


def score(gold: list[dict[str, Any]], kind: str, events: Iterable[Event | dict[str, Any]]) -> EvaluationResult:
    """Score system events (Event objects or event records) against gold events of `kind`."""
    if kind not in (ALIAS, CODED):
        raise KgError(f"unknown gold kind {kind!r}; use {ALIAS!r} or {CODED!r}")
    records = [e.to_record() if isinstance(e, Event) else e for e in events]
    views = [_view(r) for r in records]
    make = _coded_matcher if kind == CODED else _alias_matcher
    matchers = {g["id"]: make(g) for g in gold}
    untyped, typed = (_score(gold, matchers, views, t) for t in (False, True))
    used = set(typed.matches.values()) | set(untyped.matches.values())
    return EvaluationResult(
        kind=kind, gold=gold, events=records, typed=typed, untyped=untyped,
        matched=[g["id"] for g in gold if g["id"] in typed.matches],
        missed=[g for g in gold if g.get("required", True) and g["id"] not in typed.matches],
        extras=[i for i in range(len(records)) if i not in used],
    )


def _score(gold: list[dict[str, Any]], matchers: dict[str, Matcher], views: list[_View], typed: bool) -> Score:
    candidates = [i for i, v in enumerate(views) if v.cameo or not typed]
    by_article: dict[str, list[int]] = {}
    for i in candidates:  # gold naming its article only looks at that article's events (same order)
        by_article.setdefault(views[i].article_id, []).append(i)
    used: set[int] = set()
    matches: dict[str, int] = {}
    # required gold first, so optional gold never takes an event a required one needs
    for g in sorted(gold, key=lambda g: not g.get("required", True)):
        match = matchers[g["id"]]
        article = g.get("article_id")
        for i in candidates if article is None else by_article.get(str(article), []):
            if i not in used and match(views[i], typed):
                used.add(i)
                matches[g["id"]] = i
                break
    required = [g["id"] for g in gold if g.get("required", True)]
    recall = sum(1 for gid in required if gid in matches) / len(required) if required else 0.0
    precision = len(used) / len(candidates) if candidates else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, matches, len(candidates))


def evaluate_paths(gold_path: str | Path, articles: Sequence[str | Path] | None = None,
                   model: str = DEFAULT_MODEL, stdin: TextIO | None = None,
                   gazetteer: Gazetteer | None = None) -> EvaluationResult:
    """Extract events from `articles` (default: a coded gold file's own texts) and score them."""
    gold, kind = load_gold(gold_path)
    if articles:
        results = list(extract_paths(articles, model=model, stdin=stdin, gazetteer=gazetteer))
    else:
        results = list(process_articles(gold_articles(gold_path), model, gazetteer=gazetteer))
    result = score(gold, kind, (e for r in results for e in r.events))
    seen = {r.article.id for r in results}
    result.missing_articles = sorted({g["article_id"] for g in gold if g.get("article_id") is not None} - seen)
    return result


# --------------------------------------------------------------------------- reports

def format_report(result: EvaluationResult, verbose: bool = False) -> str:
    """The scores, then the missed gold events and the extra system events (all gold events when verbose)."""
    with_code = sum(1 for e in result.events if e.get("cameo"))
    lines = [f"gold: {len(result.gold)} events ({result.required} required, {result.kind} gold); "
             f"system: {len(result.events)} events ({with_code} with a CAMEO code)"]
    if result.missing_articles:
        shown = ", ".join(result.missing_articles[:5]) + (", ..." if len(result.missing_articles) > 5 else "")
        lines.append(f"warning: {len(result.missing_articles)} gold articles are not among the articles: {shown}")
    lines.append(f"{'':8} precision  recall  F1")
    for label, s in (("typed", result.typed), ("untyped", result.untyped)):
        lines.append(f"{label:8} {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:.3f}")
    if verbose:
        lines += ["", "gold events (ok: matched with its CAMEO code; ~: actors matched, code wrong or missing; "
                      "--: missed):"]
        lines += [_gold_line(result, g) for g in result.gold]
    else:
        lines += ["", f"missed ({len(result.missed)} of {result.required} required):"]
        lines += [_gold_line(result, g) for g in result.missed] or ["  none"]
    shown = result.extras if verbose else result.extras[:EXTRAS_SHOWN]
    lines += ["", f"extras ({len(result.extras)} system events no gold event matched):"]
    lines += [f"  {_event_text(result.events[i])}" for i in shown] or ["  none"]
    if len(shown) < len(result.extras):
        lines.append(f"  ... and {len(result.extras) - len(shown)} more (--verbose lists them all)")
    return "\n".join(lines)


def _gold_line(result: EvaluationResult, gold: dict[str, Any]) -> str:
    gid = gold["id"]
    status = "ok" if gid in result.typed.matches else "~" if gid in result.untyped.matches else "--"
    optional = "" if gold.get("required", True) else " (optional)"
    line = f"  {status:2} {gid}{optional}: {_gold_text(gold)}"
    index = result.typed.matches.get(gid, result.untyped.matches.get(gid))
    return line + (f"\n       system: {_event_text(result.events[index])}" if index is not None else "")


def _gold_text(gold: dict[str, Any]) -> str:
    if "code" in gold:
        return f"{gold['source'] or '?'} -> {gold['target'] or '?'} [{gold['code']}]"
    objects = " | ".join(gold.get("object") or []) or "*"
    roots = ",".join(gold.get("cameo_root") or []) or "any"
    text = f"{' | '.join(gold['subject'])} -> {objects} [{roots}]"
    if gold.get("sentence_contains"):
        text += f' in "{gold["sentence_contains"]}"'
    return text + (f" ({gold['note']})" if gold.get("note") else "")


def _event_text(record: dict[str, Any]) -> str:
    def name(value: Any) -> str:
        text = (value.get("name") or value.get("text") or "?") if isinstance(value, dict) else "-"
        text = " ".join(str(text).split())
        return text if len(text) <= 48 else text[:47] + "\u2026"

    other = record.get("target") or record.get("object") or record.get("theme")
    return (f"{record.get('article_id')} s{record.get('sentence_id')}: {name(record.get('subject'))} "
            f"{record.get('action')} {name(other)} [{record.get('cameo') or '-'}]")


def result_record(result: EvaluationResult) -> dict[str, Any]:
    """The result as a JSON-serialisable dict (`kg evaluate --format json`)."""
    def reading(s: Score) -> dict[str, Any]:
        return {"precision": s.precision, "recall": s.recall, "f1": s.f1, "system_events": s.system,
                "matched": [g["id"] for g in result.gold if g["id"] in s.matches]}

    return {
        "kind": result.kind, "gold_events": len(result.gold), "required": result.required,
        "system_events": len(result.events), "typed": reading(result.typed), "untyped": reading(result.untyped),
        "missed": [{**g, "actors_matched": g["id"] in result.untyped.matches} for g in result.missed],
        "extras": [result.events[i] for i in result.extras],
        "missing_articles": result.missing_articles,
    }
