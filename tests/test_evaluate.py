"""`kg evaluate` and kg.pipeline.evaluate: gold loading, matching rules, exact scores on real extraction.

The gold files in tests/data are written for these tests; the figures asserted on them come
from the real spaCy pipeline. Where ../shared is present, the scores are also checked
against the reference scorer ../shared/tools/score_events.py.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.errors import InputError, KgError
from kg.pipeline.evaluate import (ALIAS, CODED, EXTRAS_SHOWN, PRONOUNS, evaluate_paths, format_report, gold_articles,
                         load_gold, normalise, result_record, score)

from conftest import EXAMPLE, ROOT

DATA = ROOT / "tests" / "data"
ARTICLE = DATA / "evaluate-article.txt"
ALIAS_GOLD = DATA / "evaluate-article.gold.jsonl"
CODED_GOLD = DATA / "evaluate-coded.gold.jsonl"
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "tools" / "score_events.py"
needs_shared = pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared (reference scorer and gold) is absent")


def kg_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kg")


def actor(name: str, country: str | None = None, text: str | None = None) -> dict:
    return {"text": text or name, "name": name, "type": "State" if country else None, "country": country}


def event(subject: dict | None, obj: dict | None = None, cameo: str | None = None, sentence: str = "",
          article: str = "a", target: dict | None = None, theme: dict | None = None) -> dict:
    return {"article_id": article, "sentence_id": 0, "sentence": sentence, "subject": subject, "action": "x",
            "object": obj, "target": target, "theme": theme, "cameo": cameo}


def alias(gid: str, subject: list[str], obj: list[str] | None = None, roots: list[str] | None = None,
          required: bool = True, **more) -> dict:
    return {"id": gid, "subject": subject, "object": obj or [], "cameo_root": roots or [], "required": required,
            **more}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def figures(result) -> tuple[float, ...]:
    return tuple(round(x, 3) for s in (result.typed, result.untyped) for x in (s.precision, s.recall, s.f1))


# --------------------------------------------------------------------------- matching rules

@pytest.mark.parametrize("text, expected", [
    ("The Russian side", "russian side"),
    ("Russia\u2019s foreign ministry", "russia foreign ministry"),
    ("\u201cHamas\u201d", "hamas"),
    ("U.S.  officials,", "u s officials"),
    ("Pro-Iranian groups", "pro-iranian groups"),
    ("theatre", "theatre"),
    ("the the end", "the end"),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("alias_, value, hit", [
    ("Iran", "Iran", True),
    ("Iran", "Iranian officials", False),
    ("Iran", "government of Iran", True),
    ("Iran", "pro-Iran militias", False),  # a hyphen joins words
    ("the Palestinian Authority", "Palestinian Authority leaders", True),
    ("Lavrov's", "Sergei Lavrov", True),
])
def test_aliases_match_whole_words(alias_, value, hit):
    result = score([alias("g", ["Russia"], [alias_])], ALIAS, [event(actor("Russia"), actor(value))])
    assert (result.untyped.matches == {"g": 0}) is hit


def test_object_aliases_match_object_target_or_theme():
    gold = [alias("g1", ["Russia"], ["Hamas"]), alias("g2", ["Russia"], ["hostages"]), alias("g3", ["Russia"])]
    events = [event(actor("Russia"), actor("statement"), target=actor("Hamas", "PSE")),
              event(actor("Russia"), theme=actor("release of hostages")),
              event(actor("Russia"), actor("anything"))]
    assert score(gold, ALIAS, events).untyped.matches == {"g1": 0, "g2": 1, "g3": 2}


def test_typed_counts_only_coded_events_and_needs_the_root():
    gold = [alias("g1", ["Russia"], ["Hamas"], ["02", "10"]), alias("g2", ["Iran"], [], ["11"])]
    events = [event(actor("Russia"), actor("Hamas"), "1053"), event(actor("Iran"), actor("Israel"), "020"),
              event(actor("Iran"), actor("Israel"), None)]
    result = score(gold, ALIAS, events)
    assert result.typed.matches == {"g1": 0} and result.typed.system == 2
    assert result.untyped.matches == {"g1": 0, "g2": 1} and result.untyped.system == 3
    assert figures(result) == (0.5, 0.5, 0.5, 0.667, 1.0, 0.8)
    assert [g["id"] for g in result.missed] == ["g2"]
    assert result.extras == [2]


def test_sentence_and_article_restrict_matches():
    gold = [alias("g1", ["Russia"], sentence_contains="Russia\u2019s call", article_id="b")]
    events = [event(actor("Russia"), actor("x"), sentence="Russia's call, again", article="a"),
              event(actor("Russia"), actor("x"), sentence="Another sentence", article="b"),
              event(actor("Russia"), actor("x"), sentence="The Russia call.", article="b")]
    assert score(gold, ALIAS, events).untyped.matches == {"g1": 2}


def test_required_gold_is_matched_first_and_matches_are_one_to_one():
    gold = [alias("opt", ["Russia"], ["Hamas"], required=False), alias("req1", ["Russia"], ["Hamas"]),
            alias("req2", ["Russia"], ["Hamas"])]
    result = score(gold, ALIAS, [event(actor("Russia"), actor("Hamas"), "020")])
    assert result.untyped.matches == {"req1": 0}
    assert result.matched == ["req1"]
    assert [g["id"] for g in result.missed] == ["req2"]  # optional gold is never missed
    assert figures(result)[:3] == (1.0, 0.5, 0.667)


def test_coded_gold_matches_countries_and_code_roots():
    gold = [{"id": "s#0", "article_id": "s", "source": "RUSGOV", "target": "PSE", "code": "0253", "required": True},
            {"id": "s#1", "article_id": "s", "source": "IGOUNO", "target": "REB", "code": "112", "required": True},
            {"id": "s#2", "article_id": "s", "source": "EGY", "target": "QAT", "code": "046", "required": True}]
    events = [event(actor("Moscow", "RUS"), None, "020", article="s", target=actor("Hamas", "PSE")),
              event(actor("Moscow", "RUS"), actor("Hamas", "PSE"), "020", article="t"),
              event(actor("United Nations"), actor("rebels"), "111", article="s"),
              event(actor("Egypt", "EGY"), actor("Oman", "OMN"), "043", article="s")]
    result = score(gold, CODED, events)
    assert result.typed.matches == {"s#0": 0, "s#1": 2}
    assert result.extras == [1, 3]


def test_score_accepts_event_objects():
    from kg.model import Actor, Event

    ev = Event("a", 0, "Russia met Iran.", Actor("Russia", "Russia", "State", "RUS"), "meet",
               Actor("Iran", "Iran", "State", "IRN"), cameo="040")
    assert score([alias("g", ["Russia"], ["Iran"], ["04"])], ALIAS, [ev]).matched == ["g"]


def test_score_rejects_an_unknown_kind():
    with pytest.raises(KgError, match="unknown gold kind"):
        score([], "tagged", [])


# Gold whose aliases are whole annotated noun phrases (invented sentences; "two_way": true).
TWO_WAY_GOLD = [
    {"id": "m1", "article_id": "n1", "two_way": True, "subject": ["Moldovan Foreign Minister Ilie Cazacu"],
     "object": ["a Romanian plan for the new Prut bridge"], "cameo_root": ["11"]},
    {"id": "m2", "article_id": "n2", "subject": ["Moldovan Foreign Minister Ilie Cazacu"],
     "object": ["a Romanian plan for the new Prut bridge"], "cameo_root": ["11"]},
]


def test_two_way_alias_matches_a_name_it_contains(tmp_path):
    # "Moldovan Foreign Minister Ilie Cazacu criticised a Romanian plan for the new Prut bridge."
    gold, kind = load_gold(write_jsonl(tmp_path / "gold.jsonl", TWO_WAY_GOLD))
    assert [g["two_way"] for g in gold] == [True, False]
    said = "Moldovan Foreign Minister Ilie Cazacu criticised a Romanian plan for the new Prut bridge."
    events = read_jsonl(write_jsonl(tmp_path / "system.jsonl", [
        event(actor("Ilie Cazacu", "MDA"), actor("Romanian plan", text="a Romanian plan"), "111", said, "n1"),
        event(actor("Ilie Cazacu", "MDA"), actor("Romanian plan", text="a Romanian plan"), "111", said, "n2"),
    ]))
    result = score(gold, kind, events)
    assert result.typed.matches == {"m1": 0}  # m2 (not two_way) needs the whole phrase in the event
    assert figures(result) == (0.5, 0.5, 0.5, 0.5, 0.5, 0.5)
    if REFERENCE.is_file():
        assert figures(result) == reference_figures(tmp_path / "gold.jsonl", events, tmp_path)


def test_two_way_alias_never_matches_a_pronoun(tmp_path):
    # "Those who say they were misled by him protested outside the Latvian embassy, and it closed early."
    gold, kind = load_gold(write_jsonl(tmp_path / "gold.jsonl", [
        {"id": "p1", "two_way": True, "subject": ["Those who say they were misled by him"],
         "object": ["the Latvian embassy"]},
        {"id": "p2", "two_way": True, "subject": ["the Latvian embassy, which closed early"]},
        {"id": "p3", "two_way": True, "subject": ["Students"], "object": ["the embassy and the staff it keeps"]},
    ]))
    pronouns = [{"name": word, "text": word} for word in ("they", "Those", "who", "him,", "which", "\u201cit\u201d")]
    events = [event(p, actor("Latvian embassy")) for p in pronouns]
    events += [event(actor("Students"), {"name": "it", "text": "it"})]
    events += [event(actor("Students", text="students who say they were misled"), actor("Latvian embassy")),
               event(actor("Latvia", "LVA", text="the Latvian embassy"), actor("x"))]
    events = read_jsonl(write_jsonl(tmp_path / "system.jsonl", events))
    result = score(gold, kind, events)
    assert result.untyped.matches == {"p2": 8}  # "students who say ..." is no part of p1's phrase
    assert {"they", "those", "who", "him", "which", "it"} <= PRONOUNS
    if REFERENCE.is_file():
        assert figures(result) == reference_figures(tmp_path / "gold.jsonl", events, tmp_path)


# --------------------------------------------------------------------------- gold files

def test_load_gold_reads_both_kinds():
    gold, kind = load_gold(ALIAS_GOLD)
    assert kind == ALIAS and [g["id"] for g in gold] == ["a1", "a2", "a3", "a4", "a5", "a6"]
    assert gold[5]["required"] is False and gold[0]["article_id"] == "evaluate-article"
    gold, kind = load_gold(CODED_GOLD)
    assert kind == CODED and [g["id"] for g in gold] == ["c1#0", "c2#0", "c2#1", "c2#2"]
    assert gold[1] | {"text": None} == {"id": "c2#0", "article_id": "c2", "source": "IGOUNO", "target": "ISR",
                                        "code": "111", "text": None, "required": True}
    assert [(a.id, a.text[:12]) for a in gold_articles(CODED_GOLD)] == [("c1", "Russia urged"),
                                                                         ("c2", "The United N")]


@pytest.mark.parametrize("lines, message", [
    (['{"id": "g1", "subject": ["Russia"]}', "{not json"], "line 2: invalid JSON"),
    (['', '{"id": "g1", "sentence_contains": "x"}'], "line 2: unknown gold kind"),
    (['{"id": "g1", "subject": ["Russia"]}', '{"id": "s", "text": "t", "events": []}'],
     "line 2: coded gold in a file of alias"),
    (['{"id": "g1", "subject": "Russia", "object": [1]}'], "line 1: 'object' must be a string or a list"),
    (['{"id": "g1", "subject": [""]}'], "line 1: 'subject' needs at least one alias"),
    (['{"subject": ["Russia"]}'], "line 1: 'id' must be a non-empty string"),
    (['{"id": "g1", "subject": ["A"]}', '{"id": "g1", "subject": ["B"]}'], "line 2: duplicate gold id 'g1'"),
    (['{"id": "g1", "subject": ["A"], "required": "yes"}'], "line 1: 'required' must be true or false"),
    (['{"id": "g1", "subject": ["A"], "two_way": 1}'], "line 1: 'two_way' must be true or false"),
    (['{"id": "s", "text": "t", "events": [{"source": "RUS", "code": "2"}]}'], "line 1: event 0: 'code' must be"),
    (['[1, 2]'], "line 1: a gold line must be a JSON object"),
    (['', '  '], "no gold events"),
])
def test_malformed_gold_is_an_input_error_with_its_line(tmp_path, lines, message):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_gold(path)


def test_alias_gold_has_no_articles():
    with pytest.raises(KgError, match="alias gold, which carries no article texts"):
        gold_articles(ALIAS_GOLD)


# --------------------------------------------------------------------------- real extraction

def test_alias_gold_on_a_real_article():
    result = evaluate_paths(ALIAS_GOLD, [ARTICLE])
    assert figures(result) == (0.8, 0.6, 0.686, 0.667, 0.8, 0.727)
    assert result.matched == ["a1", "a2", "a3", "a6"]
    assert result.untyped.matches.keys() == {"a1", "a2", "a3", "a4"}
    assert [g["id"] for g in result.missed] == ["a4", "a5"]
    assert [(e["subject"]["name"], e["action"], e["cameo"]) for e in (result.events[i] for i in result.extras)] == [
        ("France", "praise", "051"), ("Canada", "buy", None)]
    assert result.missing_articles == []


def test_coded_gold_on_its_own_texts():
    result = evaluate_paths(CODED_GOLD)
    assert figures(result) == (0.667, 0.5, 0.571, 1.0, 0.75, 0.857)
    assert result.matched == ["c2#0", "c2#1"]
    assert [g["id"] for g in result.missed] == ["c1#0", "c2#2"]
    assert result.extras == []


def test_gold_articles_absent_from_the_run_are_reported():
    result = evaluate_paths(ALIAS_GOLD, [EXAMPLE])
    assert result.missing_articles == ["evaluate-article"]
    assert figures(result)[4] == 0.0
    assert "warning: 1 gold articles are not among the articles: evaluate-article" in format_report(result)


# --------------------------------------------------------------------------- the command

def test_cli_text_report():
    result = kg_cli("evaluate", "--gold", ALIAS_GOLD, "--articles", ARTICLE)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        "gold: 6 events (5 required, alias gold); system: 6 events (5 with a CAMEO code)",
        "         precision  recall  F1",
        "typed        0.800   0.600  0.686",
        "untyped      0.667   0.800  0.727",
    ]
    out = result.output
    assert "missed (2 of 5 required):" in out and "  ~  a4: Brazil -> Ukraine [10]" in out and "  -- a5: Iran" in out
    assert "ok a1" not in out  # only --verbose lists matched gold
    assert "extras (2 system events no gold event matched):" in out
    assert "  evaluate-article s3: Canada buy two ships [-]" in out


def test_cli_verbose_and_json_on_coded_gold_without_articles():
    verbose = kg_cli("evaluate", "--gold", CODED_GOLD, "--verbose")
    assert verbose.exit_code == 0, verbose.output
    assert "  ok c2#1: EGY -> QAT [046]\n       system: c2 s1: Egypt host talk with Qatar [046]" in verbose.output
    assert "  -- c2#2: QAT -> EGY [046]" in verbose.output
    result = kg_cli("evaluate", "--gold", CODED_GOLD, "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["typed"]["matched"] == ["c2#0", "c2#1"] and record["untyped"]["system_events"] == 3
    assert round(record["typed"]["f1"], 3) == 0.571
    assert [(m["id"], m["actors_matched"]) for m in record["missed"]] == [("c1#0", True), ("c2#2", False)]


def test_cli_takes_several_articles_after_one_option():
    # the coded gold file is also a JSON Lines article file: its 3 events join the system events
    result = kg_cli("evaluate", "--gold", ALIAS_GOLD, "--articles", ARTICLE, CODED_GOLD, "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["system_events"] == 9 and record["typed"]["system_events"] == 8
    assert record["typed"]["matched"] == ["a1", "a2", "a3", "a6"] and len(record["extras"]) == 5


def test_cli_caps_the_extras_unless_verbose():
    gold = [alias("g", ["Russia"], ["Iran"])]
    events = [event(actor(f"Actor {i}"), actor("x"), "010") for i in range(EXTRAS_SHOWN + 5)]
    result = score(gold, ALIAS, events)
    short, long = format_report(result), format_report(result, verbose=True)
    assert f"extras ({EXTRAS_SHOWN + 5} system events" in short
    assert short.count("[010]") == EXTRAS_SHOWN and "  ... and 5 more (--verbose lists them all)" in short
    assert long.count("[010]") == EXTRAS_SHOWN + 5 and "more (--verbose" not in long
    assert result_record(result)["extras"] == events


@pytest.mark.parametrize("args, fragments", [
    (("--gold", "nowhere.jsonl", "--articles", ARTICLE), ("no such gold file", "nowhere.jsonl")),
    (("--gold", DATA / "evaluate-article.txt", "--articles", ARTICLE), ("line 1: invalid json",)),
    (("--gold", ALIAS_GOLD), ("alias gold", "--articles")),
    (("--gold", ALIAS_GOLD, "--articles", "missing.txt"), ("missing.txt",)),
    (("--articles", ARTICLE), ("missing option", "--gold")),
])
def test_cli_errors_are_one_line(args, fragments):
    result = kg_cli("evaluate", *args)
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:"), result.stderr
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), lines[0]


def test_cli_unknown_gold_kind(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "g1", "subject": ["Russia"]}\n{"id": "g2", "actor": "Iran"}\n', encoding="utf-8")
    result = kg_cli("evaluate", "--gold", path, "--articles", ARTICLE)
    assert result.exit_code == 2
    assert result.stderr == f"kg: error: {path} line 2: unknown gold kind: give 'subject' (alias gold) or " \
                            "'text' and 'events' (coded gold)\n"


# --------------------------------------------------------------------------- the reference scorer

def reference_figures(gold: Path, events: list[dict], tmp_path: Path) -> tuple[float, ...]:
    """typed P/R/F1 then untyped P/R/F1 as printed by ../shared/tools/score_events.py."""
    system = tmp_path / "system.jsonl"
    system.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    out = subprocess.run([sys.executable, str(REFERENCE), "--gold", str(gold), "--system", str(system)],
                         capture_output=True, text=True, check=True).stdout
    pattern = r"^(typed|untyped)\s+precision=(\S+) recall=(\S+) F1=(\S+)$"
    found = {label: numbers for label, *numbers in re.findall(pattern, out, re.M)}
    assert out.splitlines()[-1] == f"F1 {found['typed'][2]}"
    return tuple(float(x) for label in ("typed", "untyped") for x in found[label])


@needs_shared
def test_pronouns_are_the_reference_scorer_pronouns():
    namespace: dict = {}
    exec(compile(REFERENCE.read_text(encoding="utf-8"), str(REFERENCE), "exec"), namespace)
    assert PRONOUNS == namespace["PRONOUNS"]


# Invented sentences, and gold that names their actors by longer phrases (two_way) or exactly.
CLI_ARTICLES = [
    {"id": "t1", "text": "Bolivian Energy Minister Rosa Quispe, who chairs the river commission, criticised "
                         "the Chilean mining firm Andacor over the water agreement."},
    {"id": "t2", "text": "The Uruguayan trade delegation led by Tomas Berrutti met Paraguayan officials in "
                         "Asuncion on Tuesday."},
    {"id": "t3", "text": "Ecuadorian President Lucia Mendez urged the Colombian government to reopen the "
                         "border crossing."},
    {"id": "t4", "text": "Farmers in the valley said they would block the highway."},
]
CLI_GOLD = [
    {"id": "t1#0", "article_id": "t1", "two_way": True,
     "subject": ["Bolivian Energy Minister Rosa Quispe, who chairs the river commission"],
     "object": ["the Chilean mining firm Andacor and its partners"], "cameo_root": ["11"]},
    {"id": "t2#0", "article_id": "t2", "two_way": True,
     "subject": ["The Uruguayan trade delegation led by Tomas Berrutti"], "object": ["Paraguayan officials"],
     "cameo_root": ["04"]},
    {"id": "t3#0", "article_id": "t3", "subject": ["Ecuadorian President Lucia Mendez"], "object": ["Colombia"],
     "cameo_root": ["10"]},
    {"id": "t4#0", "article_id": "t4", "two_way": True, "required": False,
     "subject": ["they, the farmers of the valley"], "object": ["the highway"], "cameo_root": ["19"]},
]


@needs_shared
def test_cli_prints_the_reference_figures_on_two_way_gold(tmp_path):
    articles = write_jsonl(tmp_path / "articles.jsonl", CLI_ARTICLES)
    gold = write_jsonl(tmp_path / "gold.jsonl", CLI_GOLD)
    extracted = kg_cli("extract", articles, "--format", "jsonl")
    assert extracted.exit_code == 0, extracted.output
    system = tmp_path / "system.jsonl"
    system.write_text(extracted.stdout, encoding="utf-8")
    ours = kg_cli("evaluate", "--gold", gold, "--articles", articles)
    assert ours.exit_code == 0, ours.output
    theirs = subprocess.run([sys.executable, str(REFERENCE), "--gold", str(gold), "--system", str(system)],
                            capture_output=True, text=True, check=True).stdout
    ours_found = re.findall(r"^(typed|untyped)\s+(\d\.\d{3})\s+(\d\.\d{3})\s+(\d\.\d{3})$", ours.stdout, re.M)
    theirs_found = re.findall(r"^(typed|untyped)\s+precision=(\S+) recall=(\S+) F1=(\S+)$", theirs, re.M)
    assert len(ours_found) == 2 and sorted(ours_found) == sorted(theirs_found), (ours.stdout, theirs)
    counts = re.match(r"gold: (\d+) events \((\d+) required, alias gold\); system: (\d+) events", ours.stdout)
    assert counts and theirs.startswith("gold events: {} ({} required); system events: {}".format(*counts.groups()))
    # the subject "Rosa Quispe" (Bolivian Energy Minister) is found inside the longer gold phrase
    record = json.loads(kg_cli("evaluate", "--gold", gold, "--articles", articles, "--format", "json").stdout)
    assert "t1#0" in record["untyped"]["matched"]


@needs_shared
def test_typed_f1_equals_the_reference_on_the_example_article(tmp_path):
    gold = SHARED / "gold" / "russia-hamas-hostages.events.jsonl"
    result = evaluate_paths(gold, [EXAMPLE])
    reference = reference_figures(gold, result.events, tmp_path)
    assert round(result.typed.f1, 3) == reference[2]
    assert figures(result) == reference


@needs_shared
@pytest.mark.parametrize("gold, articles", [
    (ALIAS_GOLD, [ARTICLE]),
    (CODED_GOLD, None),
    (SHARED / "gold" / "plover-dev.events.jsonl", [SHARED / "gold" / "plover-dev.articles.jsonl"]),
])
def test_scores_equal_the_reference(tmp_path, gold, articles):
    result = evaluate_paths(gold, articles)
    assert figures(result) == reference_figures(gold, result.events, tmp_path)
