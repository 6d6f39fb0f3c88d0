"""One actor across the corpus (kg.extract.registry): a surname in a later article is the
person an earlier article introduced, in `kg extract`, in a file build and in a store built in
two runs; a surname of two persons of different countries stays apart."""
from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli import main

FIRST = "Ukrainian negotiator Davyd Arakhamia met Russian envoy Vladimir Medinsky in Istanbul on Monday.\n"
LATER = "Arakhamia criticized Moscow on Friday.\n\nMedinsky rejected the proposal.\n"


def _kg(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def _subjects(output: str) -> dict[str, tuple]:
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    return {r["action"]: (r["article_id"], r["subject"]["name"], r["subject"]["country"], r["subject"]["iri"])
            for r in records}


def test_a_surname_in_a_later_article_is_the_person_an_earlier_one_introduced(tmp_path):
    (tmp_path / "a1.txt").write_text(FIRST)
    (tmp_path / "a2.txt").write_text(LATER)
    subjects = _subjects(_kg("extract", tmp_path / "a1.txt", tmp_path / "a2.txt", "--format", "jsonl").output)
    assert subjects["criticize"][:3] == ("a2", "Davyd Arakhamia", "UKR")
    assert subjects["criticize"][3] == subjects["meet"][3]  # the same actor IRI
    assert subjects["reject"][1:3] == ("Vladimir Medinsky", "RUS")


def test_the_later_article_alone_knows_no_one(tmp_path):
    (tmp_path / "a2.txt").write_text(LATER)
    subjects = _subjects(_kg("extract", tmp_path / "a2.txt", "--format", "jsonl").output)
    assert subjects["criticize"][1:3] == ("Arakhamia", None)


def test_a_surname_of_two_countries_is_not_merged(tmp_path):
    (tmp_path / "a1.txt").write_text("Kenyan envoy Peter Mwangi met Ugandan minister Joseph Mwangi in Nairobi.\n")
    (tmp_path / "a2.txt").write_text("Mwangi criticized the plan on Friday.\n")
    subjects = _subjects(_kg("extract", tmp_path / "a1.txt", tmp_path / "a2.txt", "--format", "jsonl").output)
    assert subjects["criticize"][1] == "Mwangi"


def test_a_store_resolves_later_builds_against_its_persons(tmp_path):
    store = tmp_path / "store"
    (tmp_path / "a1.txt").write_text(FIRST)
    (tmp_path / "a2.txt").write_text(LATER)
    _kg("build", tmp_path / "a1.txt", "--store", store)
    _kg("build", tmp_path / "a2.txt", "--store", store)  # a second run: only the store remembers Arakhamia
    rows = json.loads(_kg("query", store, "--format", "json",
                          "PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#> PREFIX rdfs: "
                          "<http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?name WHERE "
                          "{ ?e kgo:source ?p . ?p rdfs:label ?name }").output)["results"]["bindings"]
    names = {b["name"]["value"] for b in rows}
    assert "Davyd Arakhamia" in names and "Arakhamia" not in names


def test_a_title_is_not_learnt_as_a_name():
    from kg.extract.registry import ActorRegistry
    from kg.model import Actor

    registry = ActorRegistry()
    registry.learn(Actor(text="Prime minister", name="Prime minister", type="Person"))
    registry.learn(Actor(text="Prime Minister", name="Prime Minister", type="Person", role="Prime Minister"))
    registry.learn(Actor(text="Davyd Arakhamia", name="Davyd Arakhamia", type="Person", country="UKR"))
    assert list(registry.persons) == ["davyd arakhamia"]
