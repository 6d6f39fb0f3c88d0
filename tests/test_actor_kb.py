"""The knowledge base of political actors (ontology/actors/) in actor resolution.

tests/data/actor_phrases.tsv lists actor phrases written for this test (named persons with and
without titles, institutions, generic agents with and without a nationality, international
organisations, territories and places that must not become persons). Each goes into a short
sentence that the real pipeline (spaCy parse, `extract_events`) reads; the subject of the first
event must have the expected country, sector and canonical name. `test_share_right` prints the
share right on each of the three (run with -s to see it).
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

import kg.extract.events as events_module
from kg.errors import InputError
from kg.extract.actors import ArticleActors
from kg.extract.events import extract_events
from kg.gazetteer import actor_code, load_actor_kb, load_gazetteer
from kg.ingest.articles import article_from_text
from kg.nlp.parse import load_model, parse_article

ROOT = Path(__file__).resolve().parent.parent
PHRASES = ROOT / "tests" / "data" / "actor_phrases.tsv"
DEFAULT_SENTENCE = "{} criticized the decision."


def _rows() -> list[dict[str, str]]:
    lines = [ln.rstrip("\n") for ln in PHRASES.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t") + [""] * (len(header) - len(ln.split("\t"))))) for ln in lines[1:]]


ROWS = _rows()


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def subject_of(nlp, phrase: str, sentence: str = "", date: str = ""):
    """The subject of the first event of the sentence made from `phrase` (None: no event)."""
    text = (sentence or DEFAULT_SENTENCE).format(phrase)
    article = article_from_text(text, id="phrase", date=date or None)
    parsed = parse_article(article, nlp)
    original = events_module.ArticleActors
    events_module.ArticleActors = functools.partial(ArticleActors, date=date or None)  # the article's date
    try:
        found = extract_events(parsed, load_gazetteer())
    finally:
        events_module.ArticleActors = original
    return found[0].subject if found else None


def outcome(nlp, row: dict[str, str]) -> tuple[bool, bool, bool, object]:
    actor = subject_of(nlp, row["phrase"], row.get("sentence", ""), row.get("date", ""))
    if actor is None:
        return False, False, False, None
    return ((actor.country or "") == row["country"], (actor.sector or "") == row["sector"],
            actor.name == row["name"], actor)


def test_the_table_is_big_enough():
    assert len(ROWS) >= 320
    assert len({r["phrase"] for r in ROWS}) >= 280


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}-{r['phrase']}" for i, r in enumerate(ROWS)])
def test_phrase(nlp, row):
    country, sector, name, actor = outcome(nlp, row)
    assert actor is not None, f"no event for {row['phrase']!r}"
    got = (actor.country or "", actor.sector or "", actor.name)
    assert got == (row["country"], row["sector"], row["name"])
    assert actor.type != "Person" or row["name"] not in {"Kharkiv", "Transnistria"}


def test_share_right(nlp, capsys):
    results = [outcome(nlp, row) for row in ROWS]
    shares = [sum(r[k] for r in results) / len(results) for k in range(3)]
    with capsys.disabled():
        print(f"\nactor phrases: {len(results)}; right: country {shares[0]:.1%}, sector {shares[1]:.1%}, "
              f"name {shares[2]:.1%}")
    assert min(shares) >= 0.9


# ---- the knowledge base itself ------------------------------------------------------


def test_places_are_never_persons(nlp):
    for phrase in ("Transnistria", "Abkhazia", "Somaliland", "Kharkiv"):
        actor = subject_of(nlp, phrase, "{} announced new elections.")
        assert actor is not None and actor.type != "Person", phrase


def test_the_holder_at_the_article_date_wins():
    kb = load_actor_kb()
    assert kb.person("Putin", "2010-06-01").role == "Prime Minister"
    assert kb.person("Putin", "2015-06-01").role == "President"
    assert kb.person("Putin").role == "President"  # no date: the latest role
    assert kb.person("Clinton", "1999-01-01").name == "Bill Clinton"
    assert kb.person("Clinton", "2010-01-01").name == "Hillary Clinton"


def test_the_knowledge_base_is_loaded_once():
    assert load_actor_kb() is load_actor_kb()
    assert len(load_actor_kb()) > 2000


def test_persons_only_match_capitalised_text():
    kb = load_actor_kb()
    assert kb.person("putin") is None
    assert kb.person("Putin").name == "Vladimir Putin"


def test_acronyms_match_capitals_only():
    kb = load_actor_kb()
    assert kb.institution("CIA").country == "USA"
    assert kb.institution("Cia") is None


def test_cameo_codes():
    assert actor_code("RUS", "GOV") == "RUSGOV"
    assert actor_code("RUS", "MILNAV") == "RUSMILNAV"
    assert actor_code("RUS", None) == "RUS"
    assert actor_code(None, "OPP") == "OPP"


def test_a_person_out_of_office_at_the_article_date_is_an_elite(nlp):
    actor = subject_of(nlp, "Merkel", "{} met the Chinese leader.", "2023-03-01")
    assert (actor.name, actor.country, actor.sector, actor.code) == ("Angela Merkel", "DEU", "ELI", "DEUELI")
    actor = subject_of(nlp, "Merkel", "{} met the Chinese leader.", "2015-03-01")
    assert (actor.country, actor.sector) == ("DEU", "GOV")


@pytest.mark.parametrize("phrase, name, role", [
    ("Secretary of State Nora Vell", "Nora Vell", "Secretary of State"),
    ("Crown Prince Tarek bin Halim", "Tarek bin Halim", "Crown Prince"),
    ("Jordanian Crown Prince Tarek bin Halim", "Tarek bin Halim", "Crown Prince"),
    ("Foreign Minister Jean-Luc Le Garrec", "Jean-Luc Le Garrec", "Foreign Minister"),
    ("Minister of Foreign Affairs Lena Dorsch", "Lena Dorsch", "Minister of Foreign Affairs"),
])
def test_titles_and_names_are_kept_whole(nlp, phrase, name, role):
    actor = subject_of(nlp, phrase, "{} criticized the decision.")
    assert (actor.type, actor.name, actor.role) == ("Person", name, role)


def test_the_article_date_picks_the_role(nlp):
    actor = subject_of(nlp, "Putin", "{} met the Chinese leader.", "2010-03-01")
    assert (actor.name, actor.role, actor.country) == ("Vladimir Putin", "Prime Minister", "RUS")


def test_a_surname_from_another_country_is_not_the_known_person(nlp):
    actor = subject_of(nlp, "Pakistani official Ahmed Khan", "{} criticized the decision.")
    assert actor is not None and actor.name == "Ahmed Khan" and actor.country == "PAK"


def test_every_file_of_the_knowledge_base_is_well_formed():
    from kg.gazetteer import _KB_FILES, _kb_records
    for name in _KB_FILES:
        assert _kb_records(name), name  # raises InputError on a defect


def test_a_defect_is_named(monkeypatch):
    import kg.gazetteer as gazetteer
    monkeypatch.setattr(gazetteer, "_kb_text",
                        lambda name: ("name\taliases\tcountry\ttype\tsector\tcode\nX\t\tru\tGroup\tGOV\t\n", "x.tsv"))
    with pytest.raises(InputError, match="x.tsv, line 2"):
        gazetteer._kb_records("institutions")


@pytest.mark.parametrize("date, holder", [("2014-05-01", "Barack Obama"), ("2022-05-01", "Joe Biden")])
def test_an_office_resolves_to_its_holder_at_the_article_date(date, holder):
    from kg.extract import extract_from_text

    [event] = [e for e in extract_from_text("The US president criticized Russia.", date=date) if e.cameo]
    assert (event.subject.name, event.subject.country, event.subject.code) == (holder, "USA", "USAGOV")


@pytest.mark.parametrize("phrase, sentence, date, country, sector, name", [
    ("Public Safety Minister Marco Mendicino", "", "", "CAN", "GOV", "Marco Mendicino"),
    ("Mendicino", "{} met the Chinese leader.", "2022-03-01", "CAN", "GOV", "Marco Mendicino"),
    ("Nadav Argaman", "", "", "ISR", "SPY", "Nadav Argaman"),
    ("Interior Minister Eskandar Momeni", "", "", "IRN", "GOV", "Eskandar Momeni"),
    ("Hadi al-Amiri", "", "", "IRQ", "REB", "Hadi al-Amiri"),
    ("Hwang Kyo-ahn", "", "2016-06-01", "KOR", "GOV", "Hwang Kyo-ahn"),
    ("Eurogroup President Jeroen Dijsselbloem", "", "", "", "IGO", "Jeroen Dijsselbloem"),
    ("Jens Laerke", "", "", "", "IGO", "Jens Laerke"),
    # in office by the article's date: chief of staff, then interior minister
    ("Ghanimi", "{} met the Chinese leader.", "2018-03-01", "IRQ", "MIL", "Othman al-Ghanimi"),
    ("Ghanimi", "{} met the Chinese leader.", "2021-06-01", "IRQ", "GOV", "Othman al-Ghanimi"),
])
def test_persons_of_the_third_pass(nlp, phrase, sentence, date, country, sector, name):
    actor = subject_of(nlp, phrase, sentence, date)
    assert actor is not None, phrase
    assert (actor.country or "", actor.sector or "", actor.name) == (country, sector, name)
