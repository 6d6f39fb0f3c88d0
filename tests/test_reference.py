"""`kg ontology`: the reference is read from the shipped Turtle, so it follows every change."""
from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Literal

import kg
from kg import cameo
from kg.graph.build import load_ontology
from kg.views.reference import format_reference, ontology_reference
from kg.vocab import KGO

KG = [sys.executable, "-m", "kg"]


@pytest.fixture(scope="module")
def ref():
    return ontology_reference()


def test_reference_lists_the_core_classes_and_properties(ref) -> None:
    classes = {c.name: c for c in ref.classes}
    assert {"kgo:State", "kgo:Person", "kgo:ArmedGroup", "kgo:Event", "kgo:Sentence"} <= set(classes)
    assert classes["kgo:Person"].parents == ("kgo:Actor", "prov:Person", "schema:Person")
    assert classes["kgo:Event"].parents == ("prov:Entity", "sem:Event")
    assert not any(name == "kgo:CriticizeOrDenounce" for name in classes)  # CAMEO classes are codes
    props = {p.name: p for p in ref.properties}
    assert (props["kgo:source"].kind, props["kgo:source"].domain, props["kgo:source"].range) == \
        ("object", "kgo:Event", "kgo:Actor")
    assert props["kgo:attributedTo"].range == "kgo:Actor or kgo:Theme"
    assert props["kgo:negated"].range == "xsd:boolean"
    # an edge property shows the domain it inherits from kgo:interactsWith
    assert (props["kgo:appealsTo"].parent, props["kgo:appealsTo"].domain) == ("kgo:interactsWith", "kgo:Actor")
    assert ref.version == "0.1.0" and ref.iri == "https://w3id.org/kg-diplomacy/ontology"


def test_reference_codes_match_the_code_table(ref) -> None:
    assert len(ref.codes) == len(cameo.all_codes()) == 313
    codes = {c.code: c for c in ref.codes}
    for entry in cameo.all_codes():
        info = codes[entry.code]
        assert info.name == f"kgo:{entry.class_name}"
        assert info.goldstein == Decimal(str(entry.goldstein))
        assert info.quad_class == entry.quad_class
        assert info.plover == (entry.plover or "")
    assert codes["111"].parent == "kgo:Disapprove"


def test_reference_is_read_from_the_graph_it_is_given() -> None:
    graph = load_ontology()
    graph.add((KGO.Mediator, RDF.type, OWL.Class))
    graph.add((KGO.Mediator, RDFS.label, Literal("Mediator", lang="en")))
    graph.add((KGO.Mediator, SKOS.definition, Literal("An actor who mediates.", lang="en")))
    graph.add((KGO.Mediator, RDFS.subClassOf, KGO.Actor))
    graph.set((KGO.CriticizeOrDenounce, KGO.goldstein, Literal(Decimal("-2.5"))))
    ref = ontology_reference(graph)
    assert "kgo:Mediator" in {c.name for c in ref.classes}
    assert {c.code: c for c in ref.codes}["111"].goldstein == Decimal("-2.5")
    text = format_reference(ref, all_codes=True)
    assert re.search(r"kgo:Mediator\s+kgo:Actor\s+An actor who mediates\.", text)
    assert re.search(r"\n  111\s+kgo:CriticizeOrDenounce\s+-2\.5\s+3 verbal conflict\s+ACCUSE", text)


def test_text_reference_shows_roots_only_unless_asked(ref) -> None:
    short = format_reference(ref)
    full = format_reference(ref, all_codes=True)
    code_line = re.compile(r"^  \d{2,4} ", re.M)
    assert len(code_line.findall(short)) == 20
    assert len(code_line.findall(full)) == 313
    assert "kg ontology --codes lists all 313" in short
    assert re.search(r"^  04\s+kgo:Consult\s+\+1\.0\s+1 verbal cooperation", short, re.M)


def test_markdown_reference_has_three_tables(ref) -> None:
    md = format_reference(ref, "markdown")
    assert md.startswith("# kg diplomacy ontology 0.1.0")
    assert md.count("\n## ") == 3
    assert "| kgo:source | object | kgo:Event | kgo:Actor | The initiating actor of an event. |" in md
    assert "| 18 | kgo:Assault | -9.0 | 4 material conflict |" in md
    with pytest.raises(ValueError, match="unknown reference format"):
        format_reference(ref, "html")


def test_cli_ontology() -> None:
    done = subprocess.run([*KG, "ontology", "--codes", "--format", "markdown"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "| 0253 | kgo:AppealForReleaseOfPersonsOrProperty |" in done.stdout
    bad = subprocess.run([*KG, "ontology", "--format", "pdf"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("kg: error:") and "Traceback" not in bad.stderr


def test_reference_is_in_the_library() -> None:
    assert kg.ontology_reference is ontology_reference and kg.format_reference is format_reference
