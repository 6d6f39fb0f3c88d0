"""SHACL shapes (ontology/shapes.ttl) and `kg validate`: the example graph conforms; broken
graphs, each made from the real example graph with one defect, fail naming the problem."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SH

import kg
from kg.graph.build import merged
from kg.views.validate import format_report, load_shapes, validate_graph
from kg.vocab import KGO

KG = [sys.executable, "-m", "kg"]


@pytest.fixture(scope="module")
def example(example_graph) -> Graph:
    """The example graph merged into one plain Graph (copy per module; tests copy again)."""
    return merged(example_graph)


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


def _first_event(g: Graph, cls: URIRef = KGO.CriticizeOrDenounce) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def _first_actor(g: Graph) -> URIRef:
    return sorted(g.objects(None, KGO.source))[0]


def test_shapes_parse_and_declare_node_shapes() -> None:
    shapes = load_shapes()
    names = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, SH.NodeShape)}
    assert {"EventShape", "DiplomaticEventShape", "ActorShape", "ThemeShape", "SentenceShape",
            "ArticleShape"} <= names


def test_example_graph_conforms(example_graph) -> None:
    report = validate_graph(example_graph)
    assert report.conforms, format_report(report)
    assert report.violations == []
    assert report.triples == len(merged(example_graph))


def _drop(prop: URIRef, node: Callable[[Graph], URIRef] = _first_event):
    def edit(g: Graph) -> URIRef:
        focus = node(g)
        g.remove((focus, prop, None))
        return focus
    return edit


def _add(prop: URIRef, value, node: Callable[[Graph], URIRef] = _first_event):
    def edit(g: Graph) -> URIRef:
        focus = node(g)
        g.add((focus, prop, value(g) if callable(value) else value))
        return focus
    return edit


def _untype_source(g: Graph) -> URIRef:
    actor = _first_actor(g)
    g.remove((actor, RDF.type, None))
    return _first_event_with_source(g, actor)


def _first_event_with_source(g: Graph, actor: URIRef) -> URIRef:
    return sorted(g.subjects(KGO.source, actor))[0]


def _first_sentence(g: Graph) -> URIRef:
    return sorted(g.subjects(RDF.type, KGO.Sentence))[0]


BROKEN = {
    "event without type": (_drop(RDF.type), RDF.type, "exactly one type"),
    "event with two types": (_add(RDF.type, KGO.Consult), RDF.type, "exactly one type"),
    "event typed with a non-event class": (
        lambda g: (_drop(RDF.type)(g), _add(RDF.type, KGO.State)(g))[1], RDF.type, "an event class"),
    "event without source": (_drop(KGO.source), KGO.source, "exactly one source"),
    "event with two sources": (
        _add(KGO.source, lambda g: URIRef("https://w3id.org/kg-diplomacy/resource/actor/israel")),
        KGO.source, "exactly one source"),
    "event without evidence": (_drop(PROV.wasDerivedFrom), PROV.wasDerivedFrom, "evidence sentence"),
    "evidence that is not a sentence": (
        lambda g: (_drop(PROV.wasDerivedFrom)(g), _add(PROV.wasDerivedFrom, _first_actor)(g))[1],
        PROV.wasDerivedFrom, "evidence sentence"),
    "date as a plain string": (_add(KGO.date, Literal("2023-10-07")), KGO.date, "xsd:date"),
    "date in words": (_add(KGO.date, Literal("last Monday")), KGO.date, "xsd:date"),
    "negation flag missing": (_drop(KGO.negated), KGO.negated, "negation flag"),
    "quad class out of range": (
        lambda g: (_drop(KGO.quadClass)(g), _add(KGO.quadClass, Literal(5))(g))[1],
        KGO.quadClass, "quad class"),
    "Goldstein score out of range": (
        lambda g: (_drop(KGO.goldstein)(g), _add(KGO.goldstein, Literal(Decimal("12.5")))(g))[1],
        KGO.goldstein, "Goldstein"),
    "CAMEO event without its code": (_drop(KGO.cameoCode), KGO.cameoCode, "must have its CAMEO code"),
    "actor without label": (_drop(RDFS.label, _first_actor), RDFS.label, "actor must have a label"),
    "actor with a malformed country": (_add(KGO.country, Literal("Russia"), _first_actor), KGO.country,
                                       "ISO 3166-1 alpha-3"),
    "sentence of no article": (_drop(DCTERMS.isPartOf, _first_sentence), DCTERMS.isPartOf,
                               "part of exactly one article"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graph_fails_with_a_clear_message(example: Graph, case: str) -> None:
    edit, path, words = BROKEN[case]
    g = _copy(example)
    focus = edit(g)
    report = validate_graph(g)
    assert not report.conforms
    hits = [v for v in report.violations if words in v.message]
    assert hits, [v.message for v in report.violations]
    assert any(v.focus == focus and v.path == path for v in hits), hits
    assert words in format_report(report)


def test_graph_of_new_sentences_conforms(nlp) -> None:
    """Dates, negation, modality and an attribution the extractor cannot resolve to an actor."""
    text = ("Moscow, 14 March 2024\n\n"
            "Russia condemned the strikes on Monday, according to military sources. "
            "Israel did not release the prisoners. Egypt may host talks with Hamas next week. "
            "The foreign minister of Qatar met Hamas leaders in Doha.")
    articles = [kg.article_from_text(text, id="new-sentences", date="2024-03-14")]
    graph = kg.build_graph(kg.process_articles(articles))
    report = validate_graph(graph)
    assert report.conforms, format_report(report)
    assert len(list(graph.subjects(KGO.action, None))) >= 3


def test_untyped_source_actor_is_reported_on_the_actor_and_the_event(example: Graph) -> None:
    g = _copy(example)
    event = _untype_source(g)
    actor = g.value(event, KGO.source)
    report = validate_graph(g)
    assert not report.conforms
    assert any(v.focus == actor and "typed with an actor class" in v.message for v in report.violations)
    assert any(v.focus == event and v.path == KGO.source for v in report.violations)


def test_code_that_contradicts_the_class_is_reported(example: Graph) -> None:
    g = _copy(example)
    event = _first_event(g)  # a CriticizeOrDenounce (111) event
    g.set((event, KGO.cameoCode, Literal("040")))
    report = validate_graph(g)
    hits = [v for v in report.violations if v.focus == event and "CAMEO code" in v.message]
    assert hits and "040" in hits[0].message and "111" in hits[0].message


def test_report_groups_and_counts_violations(example: Graph) -> None:
    g = _copy(example)
    events = sorted(g.subjects(KGO.action, None))
    for event in events[:7]:
        g.remove((event, PROV.wasDerivedFrom, None))
    text = format_report(validate_graph(g), "broken.ttl")
    assert text.startswith("broken.ttl: does NOT conform to the kg shapes: 7 violations of 1 kind\n")
    assert "7 x an event must have exactly one evidence sentence" in text
    assert "[path prov:wasDerivedFrom]" in text
    assert "... and 2 more" in text  # five examples listed per problem


# ---------------------------------------------------------------- the command

def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True)


def test_cli_conforming_graph_exits_0(example_graph_path: Path) -> None:
    done = _run("validate", str(example_graph_path))
    assert done.returncode == 0, done.stderr
    assert "conforms to the kg shapes" in done.stdout


def test_cli_invalid_graph_exits_1_with_report(example: Graph, tmp_path: Path) -> None:
    g = _copy(example)
    _drop(KGO.source)(g)
    _add(KGO.date, Literal("yesterday"))(g)
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    done = _run("validate", str(path))
    assert done.returncode == 1
    assert "2 violations of 2 kinds" in done.stdout
    assert "exactly one source (kgo:source)" in done.stdout and 'value: "yesterday"' in done.stdout
    assert done.stderr == ""
    as_json = json.loads(_run("validate", str(path), "--format", "json").stdout)
    assert as_json["conforms"] is False
    assert {v["path"] for v in as_json["violations"]} == {str(KGO.source), str(KGO.date)}


@pytest.mark.parametrize("content,name,words", [
    (None, "missing.ttl", "not found"),
    ("this is not turtle <", "bad.ttl", "cannot parse"),
    ("<a> <b> <c> .", "graph.txt", "cannot tell the RDF format"),
])
def test_cli_unreadable_graph_exits_2(tmp_path: Path, content, name, words) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = _run("validate", str(path))
    assert done.returncode == 2
    assert done.stderr.startswith("kg: error: ") and words in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_cli_validates_a_store_directory(example_results, tmp_path: Path) -> None:
    from kg.store import open_store

    with open_store(tmp_path / "store", create=True) as store:
        store.add_results(example_results)
    done = _run("validate", str(tmp_path / "store"))
    assert done.returncode == 0, done.stderr
    assert "conforms to the kg shapes" in done.stdout


def test_validate_is_in_the_library() -> None:
    assert kg.validate_graph is validate_graph
