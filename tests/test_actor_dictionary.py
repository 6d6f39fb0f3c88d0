"""`--actors FILE` with an actor dictionary in the CAMEO/PETRARCH text format
(tests/data/valdoria.actors.txt, written for this test: a made-up state and its actors), read by
the real `kg extract` command on sentences written here; date-bounded codes resolve by the
article's date, and a malformed line is one error naming the file and line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.gazetteer import is_dictionary, load_gazetteer, parse_dictionary

ROOT = Path(__file__).resolve().parent.parent
DICTIONARY = ROOT / "tests" / "data" / "valdoria.actors.txt"
KG = [sys.executable, "-m", "kg"]
TEXT = """Velkin criticized the Free Valdorian Front.
Foreign Minister Tomas Orlov-Brandt met the Russian ambassador.
The FVF attacked a convoy near the border.
The VLP accused the FVF of extortion.
Salim bin Halim condemned the FVF.
The Valdorian government accused Moscow of interference.
"""


def _subjects(tmp_path: Path, date: str, text: str = TEXT, actors: Path = DICTIONARY) -> dict[str, dict]:
    article = tmp_path / "valdoria.txt"
    article.write_text(text, encoding="utf-8")
    done = subprocess.run([*KG, "extract", str(article), "--date", date, "--actors", str(actors), "--format", "jsonl"],
                          capture_output=True, text=True, check=True)
    out: dict[str, dict] = {}
    for line in done.stdout.splitlines():
        subject = json.loads(line)["subject"]
        out.setdefault(subject["name"], subject)
    return out


@pytest.fixture(scope="module")
def in_2016(tmp_path_factory) -> dict[str, dict]:
    return _subjects(tmp_path_factory.mktemp("dict2016"), "2016-05-01")


@pytest.fixture(scope="module")
def in_2022(tmp_path_factory) -> dict[str, dict]:
    return _subjects(tmp_path_factory.mktemp("dict2022"), "2022-05-01")


def _codes(subject: dict) -> tuple:
    return subject["type"], subject.get("country"), subject.get("sector"), subject.get("code")


def test_persons_resolve_by_the_article_date(in_2016, in_2022) -> None:
    assert _codes(in_2016["Mara Velkin"]) == ("Person", "XVD", "GOV", "XVDGOV")
    assert _codes(in_2022["Mara Velkin"]) == ("Person", "XVD", "ELI", "XVDELI")
    assert _codes(in_2016["Tomas Orlov-Brandt"]) == ("Person", "XVD", "OPP", "XVDOPP")
    assert _codes(in_2022["Tomas Orlov-Brandt"]) == ("Person", "XVD", "GOV", "XVDGOV")


def test_the_role_read_from_the_text_stays(in_2022) -> None:
    assert in_2022["Tomas Orlov-Brandt"]["role"] == "Foreign Minister"


def test_organisations_states_and_international_officials(in_2016, in_2022) -> None:
    assert _codes(in_2016["Free Valdorian Front"]) == ("ArmedGroup", "XVD", "REB", "XVDREB")
    assert _codes(in_2016["Valdorian Labour Party"]) == ("PoliticalOrganization", "XVD", "GOV", "XVDGOVPTY")
    assert _codes(in_2022["Valdorian Labour Party"]) == ("PoliticalOrganization", "XVD", "OPP", "XVDOPPPTY")
    assert _codes(in_2016["Salim bin Halim"]) == ("Person", None, "IGO", "IGOUNO")
    assert in_2016["Valdoria"]["country"] == "XVD"


def test_built_in_actors_stay() -> None:
    gazetteer = load_gazetteer(DICTIONARY)
    assert gazetteer.lookup("Moscow").country == "RUS"
    assert gazetteer.lookup("Valdorians").name == "Valdoria"
    assert gazetteer.actor_kb().person("Putin", "2016-01-01").name == "Vladimir Putin"


def test_the_format_is_told_by_content_or_suffix(tmp_path) -> None:
    assert is_dictionary(DICTIONARY.read_text(encoding="utf-8"), DICTIONARY)
    assert not is_dictionary("# mine\nname\ttype\nZembla\tState\n", "mine.txt")
    assert not is_dictionary("VALDORIA_ [XVD]\n", "mine.tsv")
    assert is_dictionary("VALDORIA_ [XVD]\n", "mine")


def test_codes_on_the_name_line_or_after_it_and_both_date_forms() -> None:
    entries = parse_dictionary("ANNA_KOVAC_\n+KOVAC_  # her surname\n[XVDGOV 150101-20191231] [XVDELI >200101]\n",
                               "x.txt")
    assert entries == [("Anna Kovac", ["Kovac"], [("XVDGOV", "2015-01-01", "2019-12-31"),
                                                 ("XVDELI", "2020-01-01", None)], 1)]


@pytest.mark.parametrize("text, line, words", [
    ("VALDORIA_ [XVD]\nMARA_VELKIN_ [XVDGOV <1903]\n", 2, "not a CAMEO code"),
    ("VALDORIA_ [XVD]\n+VALD ORIA_\n", 2, "is not a name"),
    ("# codes first\n[XVD]\n", 2, "before any entry"),
    ("+VELKIN_\n", 1, "before any entry"),
    ("VALDORIA_ [XVD\n", 1, "brackets"),
    ("MARA_VELKIN_\nVALDORIA_ [XVD]\n", 1, "has no code"),
    ("VALDORIA_ [XVD 191340-200101]\n", 1, "impossible date"),
    ("VALDORIA_ [XVD 200101-190101]\n", 1, "ends before"),
    ("POLICE_ [~COP]\n", 1, "agent code"),
    ("VALDORIA_ [XVDG]\n", 1, "three-letter groups"),
    ("VALDORIA_ [XVD] trailing words\n", 1, "expected codes"),
])
def test_a_malformed_line_is_named(tmp_path, text, line, words) -> None:
    path = tmp_path / "bad.actors.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=f"bad.actors.txt, line {line}: .*{words}"):
        load_gazetteer(path)
    done = subprocess.run([*KG, "extract", "-", "--actors", str(path)], input="Valdoria criticized Russia.\n",
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert done.stderr.startswith("kg: error: ") and f"line {line}:" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_workers_read_the_same_dictionary(tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Velkin criticized the FVF.\n", encoding="utf-8")
    runs = [subprocess.run([*KG, "extract", str(article), "--date", "2016-05-01", "--actors", str(DICTIONARY),
                            "--format", "jsonl", "--workers", workers], capture_output=True, text=True, check=True).stdout
            for workers in ("1", "2")]
    assert runs[0] == runs[1] and '"XVDGOV"' in runs[0]
