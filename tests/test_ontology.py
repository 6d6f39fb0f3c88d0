"""The ontology files, the CAMEO table and the names derived from it."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg import cameo
from kg.graph.build import load_ontology
from kg.vocab import KGO

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


def test_data_package_is_importable() -> None:
    files = resources.files("kg.ontology")
    for name in ("kg.ttl", "cameo-events.ttl", "cameo_codes.tsv"):
        assert (files / name).is_file()


def test_both_files_parse_and_declare_the_ontology(onto: Graph) -> None:
    iri = URIRef("https://w3id.org/kg-diplomacy/ontology")
    assert (iri, RDF.type, OWL.Ontology) in onto
    assert onto.value(iri, OWL.versionInfo) is not None
    assert len(onto) > 3000


def test_load_ontology_returns_independent_copies() -> None:
    first = load_ontology()
    first.remove((None, None, None))
    assert len(load_ontology()) > 3000


def test_generated_file_is_up_to_date() -> None:
    script = ROOT / "scripts" / "build_ontology.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_table_has_every_code() -> None:
    codes = cameo.all_codes()
    assert len(codes) == 313
    assert sum(1 for c in codes if c.parent is None) == 20


@pytest.mark.parametrize("code,name", [
    ("01", "PublicStatement"), ("04", "Consult"), ("20", "UnconventionalMassViolence"),
    ("010", "PublicStatementGeneral"), ("040", "ConsultGeneral"),
    ("111", "CriticizeOrDenounce"), ("0253", "AppealForReleaseOfPersonsOrProperty"),
    ("0255", "AppealForTargetToAllowInternationalInvolvement"),  # parenthetical dropped
    ("0841", "ReturnReleasePersons"), ("044", "MeetAtAThirdLocation"),
    ("055", "Apologize"),  # source label misspelt "Apolgize"
])
def test_class_names(code: str, name: str) -> None:
    assert cameo.class_name(code) == name


def test_code_entry_fields() -> None:
    entry = cameo.cameo_code("0253")
    assert (entry.root, entry.parent, entry.goldstein, entry.quad_class) == ("02", "025", -0.3, 1)
    assert entry.name == "Appeal for release of persons or property"
    assert cameo.cameo_code("036").plover == "AGREE"
    assert cameo.cameo_code("01").plover is None
    assert cameo.cameo_code("1213").goldstein == cameo.cameo_code("121").goldstein  # inherited


def test_class_name_of_none_and_unknown_code() -> None:
    assert cameo.class_name(None) == "Event"
    with pytest.raises(ValueError, match="unknown CAMEO code '999'"):
        cameo.cameo_code("999")


def test_edge_property_follows_root() -> None:
    assert cameo.edge_property("0253") == "appealsTo"
    assert cameo.edge_property("04") == "consultsWith"
    assert cameo.edge_property("111") == "disapprovesOf"
    assert len(set(cameo.EDGE_PROPERTIES.values())) == 20


def test_class_names_unique_and_distinct_from_core_terms(onto: Graph) -> None:
    names = [c.class_name for c in cameo.all_codes()]
    assert len(names) == len(set(names))
    core = Graph().parse(ROOT / "ontology" / "kg.ttl")
    core_names = {str(s).split("#")[-1] for s in core.subjects() if str(s).startswith(str(KGO))}
    assert not core_names & set(names)


def test_every_code_has_a_class(onto: Graph) -> None:
    for code in cameo.all_codes():
        cls = KGO[code.class_name]
        assert (cls, RDF.type, OWL.Class) in onto, code.code
        assert onto.value(cls, SKOS.notation) == Literal(code.code)
        assert float(onto.value(cls, KGO.goldstein)) == code.goldstein
        assert int(onto.value(cls, KGO.quadClass)) == code.quad_class
        assert onto.value(cls, RDFS.label) is not None
        assert onto.value(cls, KGO.edgeProperty) == KGO[cameo.edge_property(code.code)]
        parent = KGO[cameo.class_name(code.parent)] if code.parent else KGO.DiplomaticEvent
        assert (cls, RDFS.subClassOf, parent) in onto
        if code.plover:
            assert onto.value(cls, KGO.ploverCategory) == Literal(code.plover)


def test_class_hierarchy_reaches_event(onto: Graph) -> None:
    ancestors = set(onto.transitive_objects(KGO.AppealForReleaseOfPersonsOrProperty,
                                            RDFS.subClassOf))
    assert {KGO.AppealForTargetToYield, KGO.Appeal, KGO.DiplomaticEvent, KGO.Event} <= ancestors


def test_core_terms_documented(onto: Graph) -> None:
    core = Graph().parse(ROOT / "ontology" / "kg.ttl")
    terms = {s for s in core.subjects(RDF.type, None) if str(s).startswith(str(KGO))}
    expected = {"Actor", "State", "InternationalOrganization", "PoliticalOrganization",
                "ArmedGroup", "MediaOrganization", "Person", "Group", "Theme", "Article",
                "Sentence", "Event", "DiplomaticEvent", "url", "sentenceIndex", "text",
                "country", "role", "affiliation", "source", "target", "object", "theme",
                "action", "cameoCode", "goldstein", "quadClass", "negated", "modality", "date",
                "attributedTo", "confidence", "edgeProperty", "interactsWith"}
    assert {KGO[n] for n in expected} <= terms
    for term in terms:
        assert core.value(term, RDFS.label) is not None, term
        assert core.value(term, RDFS.comment) is not None, term
        assert core.value(term, SKOS.definition) is not None, term


def test_actor_classes_and_provenance_classes(onto: Graph) -> None:
    for name in ("State", "InternationalOrganization", "PoliticalOrganization", "ArmedGroup",
                 "MediaOrganization", "Person", "Group"):
        assert (KGO[name], RDFS.subClassOf, KGO.Actor) in onto
    prov_entity = URIRef("http://www.w3.org/ns/prov#Entity")
    assert (KGO.Article, RDFS.subClassOf, prov_entity) in onto
    assert (KGO.Sentence, RDFS.subClassOf, prov_entity) in onto
    assert (KGO.DiplomaticEvent, RDFS.subClassOf, KGO.Event) in onto


def test_alignments_to_sem_and_schema_org(onto: Graph) -> None:
    sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
    assert (KGO.Event, RDFS.subClassOf, URIRef(sem + "Event")) in onto
    assert (KGO.source, RDFS.subPropertyOf, URIRef(sem + "hasActor")) in onto
    assert (KGO.Person, RDFS.subClassOf, URIRef("https://schema.org/Person")) in onto


def test_edge_properties_declared(onto: Graph) -> None:
    for prop in cameo.EDGE_PROPERTIES.values():
        assert (KGO[prop], RDFS.subPropertyOf, KGO.interactsWith) in onto, prop
        assert (KGO[prop], RDF.type, OWL.ObjectProperty) in onto


# ---------------------------------------------------------------- OWL 2 RL closure (owlrl)

def _closure_errors(graph: Graph) -> list[str]:
    """Expand `graph` in place with the OWL 2 RL rules; the inconsistencies owlrl found.

    owlrl reports a contradiction as an err:ErrorMessage node with an err:error text
    (owlrl/Closure.py) and, for an unsatisfiable individual, an rdf:type owl:Nothing."""
    owlrl = pytest.importorskip("owlrl")
    from owlrl.Namespaces import ERRNS

    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = [str(text) for text in graph.objects(None, ERRNS.error)]
    errors += [f"{node} is an owl:Nothing" for node in graph.subjects(RDF.type, OWL.Nothing)]
    return errors


def test_owl_rl_closure_of_the_ontology_has_no_contradiction() -> None:
    graph = load_ontology()
    before = len(graph)
    assert _closure_errors(graph) == []
    assert len(graph) > before  # the rules did run
    # subclass reasoning reached the roots: a Criticize class is a DiplomaticEvent and an Event
    assert (KGO.CriticizeOrDenounce, RDFS.subClassOf, KGO.Event) in graph


def test_owl_rl_closure_of_ontology_and_example_graph_is_consistent(example_graph) -> None:
    from kg.graph.build import merged

    graph = load_ontology()
    for triple in merged(example_graph):
        graph.add(triple)
    assert _closure_errors(graph) == []
    lavrov = URIRef("https://w3id.org/kg-diplomacy/resource/actor/sergei-lavrov")
    assert (lavrov, RDF.type, KGO.Actor) in graph  # Person -> Actor inferred


@pytest.mark.parametrize("first,second", [
    (KGO.State, KGO.Person),  # an actor has one kind
    (KGO.Consult, KGO.Disapprove),  # an event has one CAMEO root
    (KGO.Event, KGO.Actor),
])
def test_owl_rl_closure_finds_a_contradiction(first: URIRef, second: URIRef) -> None:
    graph = load_ontology()
    node = URIRef("https://w3id.org/kg-diplomacy/resource/test/node")
    graph.add((node, RDF.type, first))
    graph.add((node, RDF.type, second))
    errors = _closure_errors(graph)
    assert errors and any(str(node) in e for e in errors), errors


# ---------------------------------------------------------------- coverage and documentation

def _extractor_codes() -> set[str]:
    """Every CAMEO code the extractor can emit: the event lexicon, the intent and refusal
    tables, and every code written as a literal in the modules that build and code frames."""
    from kg.extract.lexicon import intent_codes, refusal_codes
    from kg.extract.lexicon import load_lexicon

    codes = {entry.cameo for entry in load_lexicon().entries if entry.cameo}
    codes |= set(intent_codes().values()) | set(refusal_codes().values())
    for source in (ROOT / "kg" / "extract" / name for name in ("clauses.py", "coding.py", "events.py")):
        codes |= set(re.findall(r"""["'](\d{2,4})["']""", source.read_text(encoding="utf-8")))
    return codes


def test_every_code_the_extractor_can_emit_has_a_class(onto: Graph) -> None:
    codes = _extractor_codes()
    assert len(codes) > 50
    classes = {str(onto.value(cls, SKOS.notation)): cls
               for cls in onto.subjects(SKOS.notation, None)}
    missing = sorted(code for code in codes if code not in classes)
    assert missing == []
    for code in codes:
        assert (classes[code], RDF.type, OWL.Class) in onto
        assert KGO.DiplomaticEvent in set(onto.transitive_objects(classes[code], RDFS.subClassOf))


def test_every_three_digit_code_and_root_has_a_class(onto: Graph) -> None:
    notations = {str(n) for n in onto.objects(None, SKOS.notation)}
    assert {f"{r:02d}" for r in range(1, 21)} <= notations
    assert {c.code for c in cameo.all_codes() if len(c.code) == 3} <= notations


def test_every_term_has_a_label_and_a_definition(onto: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for kind in kinds for s in onto.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    ours = {t for t in terms if str(t).startswith(str(KGO))}
    assert len(ours) > 360
    for term in ours:
        assert onto.value(term, RDFS.label) is not None, term
        assert onto.value(term, SKOS.definition) is not None, term


def test_ontology_iri_and_version(onto: Graph) -> None:
    iri = URIRef("https://w3id.org/kg-diplomacy/ontology")
    version = str(onto.value(iri, OWL.versionInfo))
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert onto.value(iri, OWL.versionIRI) == URIRef(f"{iri}/{version}")


def test_plover_categories_follow_the_shared_code_table(onto: Graph) -> None:
    shared = ROOT.parent / "shared" / "cameo" / "cameo_codes.tsv"
    if shared.is_file():  # the repository copy must be the maintained table, unchanged
        assert shared.read_text(encoding="utf-8") == (ROOT / "ontology" / "cameo_codes.tsv").read_text(encoding="utf-8")
    with (ROOT / "ontology" / "cameo_codes.tsv").open(encoding="utf-8") as handle:
        table = {row["code"]: row for row in csv.DictReader(handle, delimiter="\t")}
    mapped = 0
    for code in cameo.all_codes():
        plover = onto.value(KGO[code.class_name], KGO.ploverCategory)
        expected = table[code.code]["plover_event"].strip()
        assert (str(plover) if plover is not None else "") == expected, code.code
        mapped += bool(expected)
    assert mapped > 200
    assert str(onto.value(KGO.CriticizeOrDenounce, KGO.ploverCategory)) == "ACCUSE"
