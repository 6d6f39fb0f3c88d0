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


def resolve_date(expression: str, article_date: str | None) -> str | None:
    """ISO date for a day-precise expression ("October 7th", "on Monday", "yesterday"), else None."""
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
            if found and date.fromisoformat(found) > ref:
                found = _safe(ref.year - 1, month, day)
            return found
    if ref is None:
        return None
    if re.search(r"\btoday\b|\btonight\b|\bthis (morning|afternoon|evening)\b", text):
        return ref.isoformat()
    if re.search(r"\byesterday\b|\blast night\b", text):
        return (ref - timedelta(days=1)).isoformat()
    for i, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            back = (ref.weekday() - i) % 7
            return (ref - timedelta(days=back)).isoformat()
    return None


def _safe(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def date_of(predicate: Token, sentence: Span, article_date: str | None) -> str | None:
    """The date written for a predicate: a DATE entity among its own modifiers, resolved."""
    for child in children(predicate):
        if child.dep_ in {"prep", "npadvmod", "advmod", "tmod", "obl"}:
            for ent in ents_in(sentence):
                if ent.label_ in {"DATE", "TIME"} and child.left_edge.i <= ent.start and ent.end <= child.right_edge.i + 1:
                    resolved = resolve_date(span_text(ent), article_date)
                    if resolved:
                        return resolved
    return None
