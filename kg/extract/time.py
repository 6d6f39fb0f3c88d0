"""Dates of events: absolute and relative expressions resolved against the article date."""
from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Span, Token

from .doc_cache import children, ents_in, span_text

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\b(?:,?\s+(\d{4}))?")


_MONTH_ONLY = re.compile(r"\b([a-z]+)\.?(?:,?\s+(\d{4}))?\b")
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")


def resolve_date(expression: str, article_date: str | None, future: bool = False) -> str | None:
    """ISO date of a date expression, as precise as it is written: a day ("October 7th",
    "on Monday", "yesterday": YYYY-MM-DD), a month ("late November", "in March 2023": YYYY-MM)
    or a year ("in 2022", "last year": YYYY); None when it cannot be placed.

    A day or month written without its year is the latest one up to the article date, or with
    `future` (the clause is about what will happen) the next one from it.
    """
    text = expression.lower().strip()
    ref = date.fromisoformat(article_date) if article_date else None
    if m := _ISO.search(text):
        return _safe(int(m[1]), int(m[2]), int(m[3]))
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        m = pattern.search(text)
        if m and m[month_group] in MONTHS:
            month, day = MONTHS[m[month_group]], int(m[day_group])
            if m[3]:
                return _safe(int(m[3]), month, day)
            if ref is None:
                return None
            found = _safe(ref.year, month, day)
            if found and not future and date.fromisoformat(found) > ref:
                found = _safe(ref.year - 1, month, day)
            elif found and future and date.fromisoformat(found) < ref:
                found = _safe(ref.year + 1, month, day)
            return found
    for m in _MONTH_ONLY.finditer(text):
        if m[1] in MONTHS and not (m[1] == "may" and not m[2]):  # "may" alone is the modal verb
            month = MONTHS[m[1]]
            if m[2]:
                return f"{int(m[2]):04d}-{month:02d}"
            if ref is None:
                return None
            year = ref.year
            if not future and month > ref.month:
                year -= 1
            elif future and month < ref.month:
                year += 1
            return f"{year:04d}-{month:02d}"
    if m := _YEAR.search(text):
        return m[1]
    if ref is None:
        return None
    if re.search(r"\btoday\b|\btonight\b|\bthis (morning|afternoon|evening)\b", text):
        return ref.isoformat()
    if re.search(r"\byesterday\b|\blast night\b", text):
        return (ref - timedelta(days=1)).isoformat()
    if re.search(r"\btomorrow\b", text):
        return (ref + timedelta(days=1)).isoformat()
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            if future and not re.search(r"\blast\b", text):
                return (ref + timedelta(days=(i - ref.weekday()) % 7 or 7)).isoformat()
            back = (ref.weekday() - i) % 7
            return (ref - timedelta(days=back)).isoformat()
    if re.search(r"\blast month\b", text):
        first = ref.replace(day=1) - timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    if re.search(r"\bthis month\b", text):
        return f"{ref.year:04d}-{ref.month:02d}"
    if re.search(r"\bnext month\b", text):
        following = (ref.replace(day=28) + timedelta(days=4)).replace(day=1)
        return f"{following.year:04d}-{following.month:02d}"
    for word, offset in (("last", -1), ("this", 0), ("next", 1)):
        if re.search(rf"\b{word} year\b", text):
            return str(ref.year + offset)
    return None


def _safe(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


FUTURE_AUXILIARIES = {"will", "shall", "'ll"}


def date_of(predicate: Token, sentence: Span, article_date: str | None) -> str | None:
    """The date written for a predicate: a DATE entity among its own modifiers, resolved
    (forwards from the article date when the predicate is in the future tense)."""
    future = any(a.lower_ in FUTURE_AUXILIARIES for a in children(predicate) if a.dep_ == "aux")
    for child in children(predicate):
        if child.dep_ in {"prep", "npadvmod", "advmod", "tmod", "obl"}:
            for ent in ents_in(sentence):
                if ent.label_ in {"DATE", "TIME"} and child.left_edge.i <= ent.start and ent.end <= child.right_edge.i + 1:
                    resolved = resolve_date(span_text(ent), article_date, future)
                    if resolved:
                        return resolved
    return None
