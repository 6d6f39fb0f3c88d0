"""Building the RDF graph from hand-made events (the graph stage's real input)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV

from kg import files as kfiles
from kg.graph import build as kgraph
from kg import vocab
from kg.errors import GraphLoadError, KgError
from kg.gazetteer import load_gazetteer
from kg.model import Actor, Article, ArticleResult, Event
from kg.vocab import KGO

RUSSIA = Actor("Russia", "Russia", "State", "RUS")
HAMAS = Actor("Hamas", "Hamas", "ArmedGroup", "PSE")
ISRAEL = Actor("Israel's response", "Israel", "State", "ISR")
LAVROV = Actor("he", "Sergei Lavrov", "Person", "RUS", "Foreign Minister", "Russia")
BOGDANOV = Actor("Bogdanov", "Mikhail Bogdanov", "Person", "RUS", "Deputy Foreign Minister",
                 "Russian Foreign Ministry")
HOSTAGES = Actor("release of hostages", "hostage release")

ART1 = Article("russia-hamas-hostages", "...", title="Russia urges Hamas", date="2023-10-08",
               url="https://example.org/a1", source="TASS")
SENTS1 = [
    "Russia called on Hamas to release the hostages.",
    "Sergei Lavrov said he did not criticize Israel's response.",
    "Prices rose.",
]
EV_APPEAL = Event(ART1.id, 0, SENTS1[0], RUSSIA, "call on", target=HAMAS, theme=HOSTAGES,
                  event_type="AppealForReleaseOfPersonsOrProperty", cameo="0253",
                  goldstein=-0.3, quad_class=1, date="2023-10-07", confidence=0.8)
EV_NEGATED = Event(ART1.id, 1, SENTS1[1], LAVROV, "criticize", object=ISRAEL,
                   event_type="CriticizeOrDenounce", cameo="111", negated=True)
EV_PLAIN = Event(ART1.id, 2, SENTS1[2], Actor("Prices", "prices"), "rise")

ART2 = Article("bogdanov-meets", "...", date="2023-10-09")
SENTS2 = ["Mikhail Bogdanov met a Hamas delegation in Moscow.", "Russia may condemn Israel."]
EV_MEET = Event(ART2.id, 0, SENTS2[0], BOGDANOV, "meet", object=HAMAS, event_type="Consult",
                cameo="04")
EV_HYPO = Event(ART2.id, 1, SENTS2[1], RUSSIA, "condemn", object=ISRAEL, cameo="111",
                modality="may")


def results() -> list[ArticleResult]:
    return [ArticleResult(ART1, [EV_APPEAL, EV_NEGATED, EV_PLAIN], SENTS1),
            ArticleResult(ART2, [EV_MEET, EV_HYPO], SENTS2)]


def iri(value: str) -> URIRef:
    return URIRef(value)


def event_node(event: Event) -> URIRef:
    def n(a: Actor | None) -> str | None:
        return a.name if a else None
    return iri(vocab.event_iri(event.article_id, event.sentence_id, n(event.subject),
                               event.action, n(event.object), n(event.target), n(event.theme)))


def actor(a: Actor) -> URIRef:
    return iri(vocab.actor_iri(a.name, a.type))


@pytest.fixture
def ds() -> Dataset:
    return kgraph.build_graph(results())


def quads(ds: Dataset) -> set:
    return set(ds.quads((None, None, None, None)))


def test_new_graph_binds_prefixes() -> None:
    bound = dict(kgraph.new_graph().namespaces())
    for prefix in ("kgo", "kgr", "prov", "dcterms", "skos"):
        assert prefix in bound
    assert str(bound["kgo"]) == str(KGO)


def test_one_named_graph_per_article(ds: Dataset) -> None:
    names = {g.identifier for g in ds.graphs() if len(g)}
    assert names == {iri(vocab.article_iri(ART1.id)), iri(vocab.article_iri(ART2.id))}
    g1 = ds.graph(iri(vocab.article_iri(ART1.id)))
    assert (event_node(EV_APPEAL), RDF.type, KGO.AppealForReleaseOfPersonsOrProperty) in g1
    assert (event_node(EV_MEET), None, None) not in g1


def test_article_and_sentence_nodes(ds: Dataset) -> None:
    art = iri(vocab.article_iri(ART1.id))
    assert (art, RDF.type, KGO.Article) in ds
    assert (art, DCTERMS.identifier, Literal(ART1.id)) in ds
    assert (art, DCTERMS.title, Literal("Russia urges Hamas")) in ds
    assert (art, DCTERMS.date, Literal("2023-10-08", datatype=XSD.date)) in ds
    assert (art, DCTERMS.source, Literal("TASS")) in ds
    assert (art, KGO.url, Literal("https://example.org/a1", datatype=XSD.anyURI)) in ds
    for index, text in enumerate(SENTS1):
        sent = iri(vocab.sentence_iri(ART1.id, index))
        assert (sent, RDF.type, KGO.Sentence) in ds
        assert (sent, DCTERMS.isPartOf, art) in ds
        assert (sent, KGO.sentenceIndex, Literal(index)) in ds
        assert (sent, KGO.text, Literal(text)) in ds


def test_appeal_event_triples(ds: Dataset) -> None:
    ev = event_node(EV_APPEAL)
    expected = {
        (ev, RDF.type, KGO.AppealForReleaseOfPersonsOrProperty),
        (ev, KGO.source, actor(RUSSIA)),
        (ev, KGO.target, actor(HAMAS)),
        (ev, KGO.theme, iri(vocab.actor_iri("hostage release", None))),
        (ev, KGO.action, Literal("call on")),
        (ev, KGO.cameoCode, Literal("0253")),
        (ev, KGO.goldstein, Literal(Decimal("-0.3"))),
        (ev, KGO.quadClass, Literal(1)),
        (ev, KGO.negated, Literal(False)),
        (ev, KGO.date, Literal("2023-10-07", datatype=XSD.date)),
        (ev, KGO.confidence, Literal(Decimal("0.8"))),
        (ev, PROV.wasDerivedFrom, iri(vocab.sentence_iri(ART1.id, 0))),
        (ev, RDFS.label, Literal("Russia call on Hamas (hostage release)")),
    }
    assert set(ds.triples((ev, None, None))) == expected
    assert (ev, KGO.goldstein, None) in ds
    assert ds.value(ev, KGO.goldstein).datatype == XSD.decimal


def test_provenance_chain(ds: Dataset) -> None:
    rows = list(ds.query("""
        SELECT ?text ?id WHERE {
          ?e kgo:source ?s ; prov:wasDerivedFrom ?sent .
          ?sent kgo:text ?text ; dcterms:isPartOf ?art .
          ?art dcterms:identifier ?id .
          ?e a kgo:AppealForReleaseOfPersonsOrProperty .
        }"""))
    assert [(str(t), str(i)) for t, i in rows] == [(SENTS1[0], ART1.id)]


def test_actor_and_theme_nodes(ds: Dataset) -> None:
    lavrov = actor(LAVROV)
    assert set(ds.triples((lavrov, None, None))) == {
        (lavrov, RDF.type, KGO.Person),
        (lavrov, RDFS.label, Literal("Sergei Lavrov")),
        (lavrov, KGO.country, Literal("RUS")),
        (lavrov, KGO.role, Literal("Foreign Minister")),
        (lavrov, KGO.affiliation, actor(RUSSIA)),  # pronoun "he" is not an alias
        (lavrov, KGO.actsFor, actor(RUSSIA)),  # the state of its country (the state-level views)
    }
    assert (actor(ISRAEL), SKOS.altLabel, Literal("Israel's response")) in ds
    assert (actor(RUSSIA), RDF.type, KGO.State) in ds
    assert (actor(RUSSIA), RDF.type, KGO.Actor) not in ds  # typed by its own mention
    ministry = iri(vocab.actor_iri("Russian Foreign Ministry", "State"))
    assert (actor(BOGDANOV), KGO.affiliation, ministry) in ds
    assert (ministry, RDF.type, KGO.Actor) in ds
    assert (ministry, RDFS.label, Literal("Russian Foreign Ministry")) in ds
    theme = iri(vocab.actor_iri("hostage release", None))
    assert set(ds.triples((theme, None, None))) == {
        (theme, RDF.type, KGO.Theme), (theme, RDFS.label, Literal("hostage release"))}


def test_direct_edges_only_for_coded_asserted_events(ds: Dataset) -> None:
    onto = kgraph.load_ontology()
    edge_props = set(onto.subjects(RDFS.subPropertyOf, KGO.interactsWith)) | {KGO.interactsWith}
    edges = {(s, p, o) for s, p, o in ds.triples((None, None, None)) if p in edge_props}
    assert edges == {
        (actor(RUSSIA), KGO.appealsTo, actor(HAMAS)),  # target preferred over theme
        (actor(BOGDANOV), KGO.consultsWith, actor(HAMAS)),  # object when no target
    }
    # negated (Lavrov) and hypothetical (Russia may condemn) events get no edge
    assert (actor(LAVROV), KGO.disapprovesOf, None) not in ds
    assert (actor(RUSSIA), KGO.disapprovesOf, None) not in ds


def test_edge_to_theme_when_no_target_or_object() -> None:
    event = Event("a", 0, "s", RUSSIA, "call for", theme=HOSTAGES, cameo="0253")
    ds = kgraph.build_graph([ArticleResult(Article("a", "s"), [event], ["s"])])
    assert (actor(RUSSIA), KGO.appealsTo, iri(vocab.actor_iri("hostage release", None))) in ds
    assert (event_node(event), RDF.type, KGO.AppealForReleaseOfPersonsOrProperty) in ds


def test_null_cameo_event(ds: Dataset) -> None:
    ev = event_node(EV_PLAIN)
    assert set(ds.objects(ev, RDF.type)) == {KGO.Event}
    assert (ev, KGO.cameoCode, None) not in ds
    assert (ev, KGO.goldstein, None) not in ds
    assert (ev, KGO.date, Literal("2023-10-08", datatype=XSD.date)) in ds  # article date
    assert not any(p for p in ds.predicates(iri(vocab.actor_iri("prices", None)))
                   if p not in (RDF.type, RDFS.label))


def test_negated_event_is_typed_but_flagged(ds: Dataset) -> None:
    ev = event_node(EV_NEGATED)
    assert set(ds.objects(ev, RDF.type)) == {KGO.CriticizeOrDenounce}
    assert (ev, KGO.negated, Literal(True)) in ds
    assert (ev, KGO.goldstein, Literal(Decimal("-2.0"))) in ds  # from the CAMEO table
    assert (ev, KGO.quadClass, Literal(3)) in ds


def test_class_from_cameo_when_event_type_is_default(ds: Dataset) -> None:
    ev = event_node(EV_HYPO)
    assert set(ds.objects(ev, RDF.type)) == {KGO.CriticizeOrDenounce}
    assert (ev, KGO.modality, Literal("may")) in ds


def test_every_event_has_exactly_one_class(ds: Dataset) -> None:
    for ev in set(ds.subjects(KGO.action, None)):
        assert len(set(ds.objects(ev, RDF.type))) == 1


def test_iris_stable_across_builds_and_article_order() -> None:
    first = kgraph.build_graph(results())
    second = kgraph.build_graph(list(reversed(results())))
    assert isomorphic(kgraph.merged(first), kgraph.merged(second))
    assert quads(first) == quads(second)  # no blank nodes: identical, not just isomorphic


def test_event_iri_field_is_used() -> None:
    event = Event("a", 0, "s", RUSSIA, "meet", object=HAMAS, cameo="04",
                  iri="https://example.org/event/1")
    ds = kgraph.build_graph([ArticleResult(Article("a", "s"), [event], ["s"])])
    assert (iri("https://example.org/event/1"), RDF.type, KGO.Consult) in ds


def test_readding_an_article_replaces_it(ds: Dataset) -> None:
    before = quads(ds)
    kgraph.add_article(ds, ART1, [EV_APPEAL, EV_NEGATED, EV_PLAIN], SENTS1)
    assert quads(ds) == before
    kgraph.add_article(ds, ART1, [EV_PLAIN], SENTS1)  # fewer events now: old ones gone
    assert (event_node(EV_APPEAL), None, None) not in ds
    assert (actor(RUSSIA), KGO.appealsTo, None) not in ds
    assert (event_node(EV_MEET), None, None) in ds  # other article untouched


def test_event_beyond_sentence_list_gets_its_own_sentence_node() -> None:
    event = Event("a", 4, "Russia met Hamas.", RUSSIA, "meet", object=HAMAS, cameo="04")
    ds = kgraph.build_graph([ArticleResult(Article("a", "x"), [event], [])])
    sent = iri(vocab.sentence_iri("a", 4))
    assert (sent, KGO.text, Literal("Russia met Hamas.")) in ds
    assert (event_node(event), PROV.wasDerivedFrom, sent) in ds


@pytest.mark.parametrize("value,datatype", [
    ("2023-10-07", XSD.date), ("2023-10-07T10:00:00", XSD.date), ("2023-10", XSD.gYearMonth),
    ("2023", XSD.gYear)])
def test_partial_dates(value: str, datatype: URIRef) -> None:
    event = Event("a", 0, "s", RUSSIA, "meet", object=HAMAS, date=value)
    ds = kgraph.build_graph([ArticleResult(Article("a", "s"), [event], ["s"])])
    assert ds.value(event_node(event), KGO.date).datatype == datatype


# ---------------------------------------------------------------- load / save

@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".json", ".rdf",
                                    ".xml", ".owl"])
def test_save_and_load_round_trip(ds: Dataset, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"graph{suffix}"
    kgraph.save_graph(ds, path)
    loaded = kgraph.load_graph(path)
    assert isomorphic(kgraph.merged(loaded), kgraph.merged(ds))
    if suffix in (".nq", ".trig"):
        assert quads(loaded) == quads(ds)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_save_graph_explicit_format(ds: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "graph.out"
    kgraph.save_graph(ds, path, fmt="ttl")
    assert "@prefix kgo:" in path.read_text()
    with pytest.raises(KgError, match="unknown RDF format 'bogus'"):
        kgraph.save_graph(ds, tmp_path / "x.ttl", fmt="bogus")


def test_save_graph_leaves_nothing_on_failure(ds: Dataset, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("serialiser failed")
    monkeypatch.setattr(kgraph, "serialize", boom)
    with pytest.raises(RuntimeError):
        kgraph.save_graph(ds, tmp_path / "graph.ttl")
    assert list(tmp_path.iterdir()) == []


def test_save_graph_failure_while_writing_keeps_old_file(ds: Dataset, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("old")
    monkeypatch.setattr(kgraph, "serialize", lambda *a, **k: "\udcff not encodable")
    with pytest.raises(UnicodeEncodeError):
        kgraph.save_graph(ds, path)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_save_graph_missing_directory(ds: Dataset, tmp_path: Path) -> None:
    with pytest.raises(KgError, match="cannot write .*graph.ttl: No such file or directory"):
        kgraph.save_graph(ds, tmp_path / "missing" / "graph.ttl")


def test_save_graph_file_mode(ds: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    kgraph.save_graph(ds, path)
    assert path.stat().st_mode & 0o777 == 0o666 & ~kfiles._umask()
    path.chmod(0o600)
    kgraph.save_graph(ds, path)  # an existing file keeps its mode
    assert path.stat().st_mode & 0o777 == 0o600


def test_save_graph_unknown_suffix(ds: Dataset, tmp_path: Path) -> None:
    with pytest.raises(KgError, match="suffix '.foo'"):
        kgraph.save_graph(ds, tmp_path / "graph.foo")
    assert list(tmp_path.iterdir()) == []


def test_load_graph_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError, match="graph file not found: .*nope.ttl"):
        kgraph.load_graph(tmp_path / "nope.ttl")


def test_load_graph_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "graph.csv"
    path.write_text("a,b\n")
    with pytest.raises(GraphLoadError, match=r"suffix '.csv'; use one of: .*\.ttl"):
        kgraph.load_graph(path)


def test_load_graph_parse_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://ex/> .\nex:a ex:b \n")
    with pytest.raises(GraphLoadError) as info:
        kgraph.load_graph(path)
    message = str(info.value)
    assert message.startswith(f"cannot parse {path} as turtle: ")
    assert "\n" not in message


def test_load_graph_plain_turtle_is_queryable(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_text("<http://ex/a> <http://ex/b> <http://ex/c> .\n")
    ds = kgraph.load_graph(path)
    assert bool(ds.query("ASK { <http://ex/a> <http://ex/b> ?c }"))


# ---------------------------------------------------------------- Wikidata links

WD = "http://www.wikidata.org/entity/"


def test_gazetteer_actors_link_to_wikidata(ds: Dataset) -> None:
    assert (actor(RUSSIA), OWL.sameAs, iri(WD + "Q159")) in ds
    assert (actor(ISRAEL), OWL.sameAs, iri(WD + "Q801")) in ds
    assert not list(ds.objects(actor(LAVROV), OWL.sameAs))  # persons are not in the gazetteer
    assert not list(ds.objects(actor(HAMAS), OWL.sameAs))  # no certain id in the gazetteer
    links = set(ds.subject_objects(OWL.sameAs))
    assert all(str(o).startswith(WD) for _, o in links)


def test_affiliation_from_the_gazetteer_gets_its_link() -> None:
    envoy = Actor("the envoy", "Jan Envoy", "Person", "NOR", "Envoy", "United Nations")
    event = Event("a", 0, "s", envoy, "meet", object=HAMAS, cameo="04")
    ds = kgraph.build_graph([ArticleResult(Article("a", "s"), [event], ["s"])])
    un = iri(vocab.actor_iri("United Nations", "State"))
    assert (un, RDF.type, KGO.InternationalOrganization) in ds
    assert (un, OWL.sameAs, iri(WD + "Q1065")) in ds


def test_a_person_named_like_a_state_is_not_linked() -> None:
    jordan = Actor("Jordan", "Jordan", "Person")  # a person called Jordan, not the state Q810
    event = Event("a", 0, "s", jordan, "meet", object=HAMAS, cameo="04")
    ds = kgraph.build_graph([ArticleResult(Article("a", "s"), [event], ["s"])])
    assert not list(ds.objects(actor(jordan), OWL.sameAs))


def test_user_gazetteer_links_its_own_actors(tmp_path: Path) -> None:
    path = tmp_path / "actors.tsv"
    path.write_text("name\ttype\tcountry\twikidata\nNordic Peace Council\tInternationalOrganization\t\tQ123456\n",
                    encoding="utf-8")
    council = Actor("the council", "Nordic Peace Council", "InternationalOrganization")
    event = Event("a", 0, "s", council, "meet", object=HAMAS, cameo="04")
    built = kgraph.build_graph([ArticleResult(Article("a", "s"), [event], ["s"])], load_gazetteer(path))
    assert (actor(council), OWL.sameAs, iri(WD + "Q123456")) in built
    default = kgraph.build_graph([ArticleResult(Article("a", "s"), [event], ["s"])])
    assert not list(default.objects(actor(council), OWL.sameAs))
