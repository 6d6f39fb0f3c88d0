"""Every event-lexicon row fires on test sentences of its own (tests/data/lexicon/*.tsv).

Each case row: `row` (lexicon row id), `sentence` (written for this test, never taken from a
development set), `subject` and `target` (words the event's subject and its object/target/theme
must contain; empty target = any), `cameo` (the code the event must carry; empty = the row's
own code). A row whose code is empty (a known non-event word) must give an event with that
lexicon id and no code.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.extract.lexicon import load_lexicon, load_word_classes
from kg.extract.events import extract_events
from kg.ingest.articles import article_from_text
from kg.nlp.parse import parse_article

CASES_DIR = Path(__file__).parent / "data" / "lexicon"


def _cases() -> list[dict[str, str]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.tsv")):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        for n, row in enumerate(csv.DictReader(lines, delimiter="\t")):
            cases.append({k: (v or "").strip() for k, v in row.items() if k} | {"where": f"{path.name}:{n + 2}"})
    return cases


CASES = _cases()


def _words(actor: dict | None) -> str:
    if not actor:
        return ""
    return " ".join(str(actor.get(k) or "") for k in ("text", "name", "label")).lower()


@pytest.mark.parametrize("case", CASES, ids=[f"{c['row']}|{c['sentence'][:40]}" for c in CASES])
def test_lexicon_row_fires(nlp, case: dict[str, str]) -> None:
    entry = load_lexicon().by_id(case["row"])
    assert entry is not None, f"{case['where']}: no lexicon row {case['row']!r}"
    article = article_from_text(case["sentence"], id="case", date="2024-05-02")
    records = [e.to_record() for e in extract_events(parse_article(article, nlp))]
    expected_code = case.get("cameo") or entry.cameo
    fired = [r for r in records if r["lexicon"] == entry.id]
    shown = [(r["subject"]["text"], r["action"], _words(r["target"] or r["object"]), r["cameo"], r["lexicon"])
             for r in records]
    assert fired, f"{case['where']}: row {entry.id} did not fire; events: {shown}"
    good = [r for r in fired if r["cameo"] == expected_code
            and case["subject"].lower() in _words(r["subject"])
            and (not case.get("target") or any(case["target"].lower() in _words(r[k])
                                               for k in ("target", "object", "theme")))]
    assert good, f"{case['where']}: expected {case['subject']} -> {case.get('target')} {expected_code}; events: {shown}"


def test_every_row_has_a_test_sentence() -> None:
    tested = {c["row"] for c in CASES}
    untested = sorted(e.id for e in load_lexicon().entries if e.id not in tested)
    assert untested == []


def test_every_word_class_is_used() -> None:
    used = {c for e in load_lexicon().entries for c in e.object_classes}
    assert sorted(set(load_word_classes()) - used) == []
