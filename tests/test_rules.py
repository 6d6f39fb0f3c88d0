"""Every rule id (ontology/lexicon/rules.tsv) fires on sentences of its own (tests/data/rules.tsv)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.extract.events import extract_events
from kg.extract.lexicon import read_table
from kg.ingest.articles import article_from_text
from kg.nlp.parse import parse_article

CASES_FILE = Path(__file__).parent / "data" / "rules.tsv"
RULES = {row["id"]: row for row in read_table("rules.tsv")}


def _cases() -> list[dict[str, str]]:
    lines = [ln for ln in CASES_FILE.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(lines, delimiter="\t")]


CASES = _cases()


def _words(actor: dict | None) -> str:
    return " ".join(str(actor.get(k) or "") for k in ("text", "name", "label")).lower() if actor else ""


@pytest.mark.parametrize("case", CASES, ids=[f"{c['rule']}|{c['sentence'][:40]}" for c in CASES])
def test_rule_fires(nlp, case: dict[str, str]) -> None:
    assert case["rule"] in RULES, f"unknown rule id {case['rule']}"
    article = article_from_text(case["sentence"], id="case", date="2024-05-02")
    records = [e.to_record() for e in extract_events(parse_article(article, nlp))]
    shown = [(r["subject"]["text"], r["action"], _words(r["target"] or r["object"]), r["cameo"], r["rules"])
             for r in records]
    good = [r for r in records if case["rule"] in r["rules"]
            and case["subject"].lower() in _words(r["subject"])
            and (not case["target"] or any(case["target"].lower() in _words(r[k]) for k in ("target", "object", "theme")))
            and (r["cameo"] or "").startswith(case["cameo"])]
    if case["rule"] == "code.press-is-report":
        good = [r for r in records if case["rule"] in r["rules"] and r["cameo"] is None]
    assert good, f"{case['rule']} on {case['sentence']!r}: {shown}"


def test_every_rule_has_a_sentence() -> None:
    assert sorted(set(RULES) - {c["rule"] for c in CASES}) == []


def test_every_rule_the_code_writes_is_registered(repo_root: Path) -> None:
    import re

    written = set()
    for source in (repo_root / "kg" / "extract").glob("*.py"):
        written |= set(re.findall(r"""["']((?:syn|code)\.[a-z-]+)["']""", source.read_text(encoding="utf-8")))
    assert sorted(written - set(RULES)) == []


def test_the_syntax_step_gives_frozen_frames_of_token_indices(nlp) -> None:
    import dataclasses

    from kg.extract.clauses import Frame, sentence_frames
    from kg.extract.lexicon import load_lexicon

    doc = nlp("Egypt and Jordan held talks with Israel in Cairo.")
    [frame] = sentence_frames(doc[:], load_lexicon())
    assert isinstance(frame, Frame) and dataclasses.is_dataclass(frame)
    assert [doc[i].text for i in frame.subjects] == ["Egypt", "Jordan"]
    assert [doc[i].text for i in frame.objects] == ["Israel"] and doc[frame.predicate].text == "talks"
    assert frame.lexicon == "talk.n.with" and "syn.light-verb-noun" in frame.rules
    with pytest.raises(dataclasses.FrozenInstanceError):
        frame.cameo = "190"  # type: ignore[misc]
