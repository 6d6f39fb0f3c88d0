"""`--actors FILE`: a user's gazetteer extends and overrides the built-in one in kg extract,
kg build and kg evaluate (and in the library), with clear errors for a malformed file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, URIRef

import kg
from kg.errors import InputError
from kg.gazetteer import load_gazetteer
from kg.views.validate import validate_file, validate_graph
from kg.vocab import KGO, actor_iri

KG = [sys.executable, "-m", "kg"]
TEXT = ("Zembla condemned the Free Valdorian Front on Monday. The FVF attacked a convoy near the border. "
        "Hamas met with Zemblan officials.\n")
ACTORS = (
    "# my actors: a made-up state and armed group, and Hamas typed my way\n"
    "name\ttype\tcountry\taliases\tdemonyms\tmetonyms\twikidata\n"
    "Free Valdorian Front\tArmedGroup\tXZB\tFVF|the Front\tValdorian|Valdorians\t\t\n"
    "Zembla\tState\tXZB\tRepublic of Zembla\tZemblan|Zemblans\tOnhava\tQ99999999\n"
    "Hamas\tPoliticalOrganization\tPSE\t\t\t\t\n"
)
GOLD = {"id": "g1", "article_id": "zembla", "required": True, "sentence_contains": "attacked a convoy",
        "subject": ["Free Valdorian Front"], "object": ["convoy"], "cameo_root": ["19"]}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("user-gazetteer")
    paths = {"article": root / "zembla.txt", "actors": root / "actors.tsv", "gold": root / "gold.jsonl"}
    paths["article"].write_text(TEXT, encoding="utf-8")
    paths["actors"].write_text(ACTORS, encoding="utf-8")
    paths["gold"].write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    return paths


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True)


def _triples(results) -> set[tuple[str, str, str, str | None]]:
    return {(e.subject.name, e.subject.type, e.action, (e.target or e.object).name)
            for r in results for e in r.events}


def _extract(nlp, files, gazetteer=None, workers: int = 1):
    article = kg.article_from_text(TEXT, id="zembla", date="2024-03-14")
    return list(kg.process_articles([article], workers=workers, gazetteer=gazetteer))


def test_user_entries_extend_and_override_the_builtin_ones(nlp, files) -> None:
    builtin = _extract(nlp, files)
    assert {t[0] for t in _triples(builtin) if t[2] == "attack"} == {"FVF"}  # unknown abbreviation
    assert any(t[0] == "Hamas" and t[1] == "ArmedGroup" for t in _triples(builtin))
    officials = next(e.object for r in builtin for e in r.events if e.action == "meet with")
    assert officials.country is None  # "Zemblan" means nothing to the built-in gazetteer

    mine = _extract(nlp, files, load_gazetteer(files["actors"]))
    assert _triples(mine) == {
        ("Zembla", "State", "condemn", "Free Valdorian Front"),
        ("Free Valdorian Front", "ArmedGroup", "attack", "convoy"),  # the alias FVF
        ("Hamas", "PoliticalOrganization", "meet with", "Zemblan officials"),  # type overridden
    }
    fvf = next(e.subject for r in mine for e in r.events if e.action == "attack")
    assert (fvf.text, fvf.country) == ("The FVF", "XZB")
    officials = next(e.object for r in mine for e in r.events if e.action == "meet with")
    assert (officials.type, officials.country) == ("Group", "XZB")  # the user's demonym


def test_user_gazetteer_reaches_worker_processes(nlp, files) -> None:
    gazetteer = load_gazetteer(files["actors"])
    assert _triples(_extract(nlp, files, gazetteer, workers=2)) == _triples(_extract(nlp, files, gazetteer))


def test_graph_carries_the_users_wikidata_link_and_conforms(nlp, files) -> None:
    gazetteer = load_gazetteer(files["actors"])
    graph = kg.build_graph(_extract(nlp, files, gazetteer), gazetteer)
    zembla = URIRef(actor_iri("Zembla", "State"))
    assert (zembla, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q99999999")) in graph
    assert (URIRef(actor_iri("Free Valdorian Front", "ArmedGroup")), RDF.type, KGO.ArmedGroup) in graph
    assert validate_graph(graph).conforms


def test_cli_extract_with_actors(files) -> None:
    done = _run("extract", str(files["article"]), "--date", "2024-03-14", "--actors", str(files["actors"]))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    attack = next(r for r in records if r["action"] == "attack")
    assert (attack["subject"]["name"], attack["subject"]["type"], attack["subject"]["country"]) == \
        ("Free Valdorian Front", "ArmedGroup", "XZB")


def test_cli_build_with_actors(files, tmp_path) -> None:
    done = _run("build", str(files["article"]), "-o", str(tmp_path), "--actors", str(files["actors"]),
                "--no-progress")
    assert done.returncode == 0, done.stderr
    turtle = (tmp_path / "zembla.ttl").read_text(encoding="utf-8")
    assert "wd:Q99999999" in turtle and "Free Valdorian Front" in turtle
    assert validate_file(tmp_path / "zembla.ttl").conforms


def test_cli_build_into_a_store_with_actors(files, tmp_path) -> None:
    store = tmp_path / "store"
    done = _run("build", str(files["article"]), "--store", str(store), "--actors", str(files["actors"]),
                "--no-progress")
    assert done.returncode == 0, done.stderr
    asked = _run("query", str(store), "--format", "csv",
                 "SELECT ?same WHERE { ?zembla rdfs:label 'Zembla' ; owl:sameAs ?same }")
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.split() == ["same", "http://www.wikidata.org/entity/Q99999999"]


def test_cli_evaluate_with_actors(files) -> None:
    def recall(*extra: str) -> float:
        done = _run("evaluate", "--gold", str(files["gold"]), str(files["article"]), "--format", "json", *extra)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["untyped"]["recall"]

    assert recall() == 0.0  # "The FVF" is not known to be the Free Valdorian Front
    assert recall("--actors", str(files["actors"])) == 1.0


BAD_FILES = [
    ("name\ttype\nZembla\tKingdom\n", "line 2: type 'Kingdom' is not one of State"),
    ("# comment\n\nname\ttype\tcountry\nZembla\tState\tZembla\n", "line 4: country 'Zembla' is not an ISO 3166-1 alpha-3 code"),
    ("name\ttype\nZembla\tState\textra\n", "line 2: 3 tab-separated fields, but the header has 2 columns"),
    ("name\tkind\nZembla\tState\n", "line 1: unknown column(s) 'kind'"),
    ("name\ttype\twikidata\nZembla\tState\twd:Q1\n", "line 2: wikidata 'wd:Q1' is not a Q-id"),
    ("name\ttype\nZembla\tState\nzembla\tState\n", "line 3: duplicate name 'zembla' (first on line 2)"),
    ("", "no header line"),
]


@pytest.mark.parametrize("content,words", BAD_FILES)
def test_malformed_actor_file_is_one_clear_error(tmp_path, files, content, words) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_gazetteer(path)
    done = _run("extract", str(files["article"]), "--actors", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith(f"kg: error: {path}") and words in done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stdout == ""


@pytest.mark.parametrize("command", ["extract", "build", "evaluate"])
def test_missing_actor_file(files, tmp_path, command) -> None:
    args = {"extract": ["extract", str(files["article"])],
            "build": ["build", str(files["article"]), "-o", str(tmp_path / "out")],
            "evaluate": ["evaluate", "--gold", str(files["gold"]), str(files["article"])]}[command]
    done = _run(*args, "--actors", str(tmp_path / "nope.tsv"))
    assert done.returncode == 2
    assert done.stderr.startswith("kg: error: cannot read gazetteer file") and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
