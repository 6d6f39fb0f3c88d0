"""Stable IRIs on real extractions: the same articles give the same quads on every run and in
any order, rebuilding duplicates nothing, an article adds only its own statements, and an actor
is one node across articles."""
from __future__ import annotations

import pytest
from rdflib import RDFS, BNode, Dataset, URIRef

import kg
from kg import vocab
from kg.graph.build import add_article, build_graph, load_graph, merged, save_graph

ARTICLES = [
    ("moscow-talks", "2023-10-20", "Russia condemned the Israeli strikes on Gaza. Egypt accused Hamas of "
     "breaking the truce. Russian Foreign Minister Sergei Lavrov met with Hamas leaders in Moscow."),
    ("ankara-statement", "2023-11-05", "Turkey criticized the European Union. Foreign Minister Sergei "
     "Lavrov spoke with the Turkish foreign minister. Russia called on Israel to accept a ceasefire."),
]


def _articles() -> list[kg.Article]:
    return [kg.article_from_text(text, id=id_, date=date) for id_, date, text in ARTICLES]


@pytest.fixture(scope="module")
def results(nlp, example_results) -> list[kg.ArticleResult]:
    return list(example_results) + list(kg.process_articles(_articles()))


def quads(ds: Dataset) -> set:
    return set(ds.quads((None, None, None, None)))


def test_no_blank_nodes(results) -> None:
    for s, p, o, _ in build_graph(results).quads((None, None, None, None)):
        assert not isinstance(s, BNode) and not isinstance(o, BNode)


def test_same_quads_on_a_second_run(results) -> None:
    second_run = list(kg.process_articles(_articles()))  # parsed and extracted again
    assert quads(build_graph(results[1:])) == quads(build_graph(second_run))


def test_same_quads_in_any_article_order(results) -> None:
    forward = build_graph(results)
    backward = build_graph(list(reversed(results)))
    rotated = build_graph(results[1:] + results[:1])
    assert quads(forward) == quads(backward) == quads(rotated)


def test_rebuilding_adds_no_duplicates(results) -> None:
    ds = build_graph(results)
    before = quads(ds)
    for result in results:  # every article added a second time
        add_article(ds, result.article, result.events, result.sentences)
    assert quads(ds) == before
    assert len(list(ds.graphs())) == len(set(ds.graphs()))


def test_an_article_adds_only_its_own_statements(results) -> None:
    together = quads(build_graph(results))
    alone = set().union(*(quads(build_graph([r])) for r in results))
    assert together == alone
    graphs = {ctx for _, _, _, ctx in together}
    assert graphs == {URIRef(vocab.article_iri(r.article.id)) for r in results}


def test_one_node_per_actor_across_articles(results) -> None:
    ds = build_graph(results)
    russia = URIRef(vocab.actor_iri("Russia", "State"))
    lavrov = URIRef(vocab.actor_iri("Sergei Lavrov", "Person"))
    for actor, articles in ((russia, 3), (lavrov, 3)):
        named = {ctx for _, _, _, ctx in ds.quads((None, None, actor, None))}
        assert len(named) == articles, (actor, named)
    assert {str(o) for o in merged(ds).objects(russia, RDFS.label)} == {"Russia"}
    assert {str(o) for o in merged(ds).objects(lavrov, RDFS.label)} == {"Sergei Lavrov"}


def test_identical_after_a_round_trip_through_trig(results, tmp_path) -> None:
    ds = build_graph(results)
    path = tmp_path / "graph.trig"
    save_graph(ds, path)
    assert quads(load_graph(path)) == quads(ds)
