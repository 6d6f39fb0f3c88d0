"""kg.views.network: networkx projection of the RDF event graph and graph statistics."""
from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Dataset

from kg.graph.build import build_graph, merged
from kg.model import Actor, Article, ArticleResult, Event
from kg.views.network import filter_network, format_stats, graph_stats, to_networkx
from kg.vocab import actor_iri

RUSSIA = Actor("Russia", "Russia", "State", "RUS")
LAVROV = Actor("he", "Sergei Lavrov", "Person", "RUS", role="Foreign Minister")
ISRAEL = Actor("Israel", "Israel", "State", "ISR")
HAMAS = Actor("Hamas", "Hamas", "ArmedGroup", "PSE")
HOSTAGES = Actor("release of hostages", "hostage release")
SENTENCES = [
    "Russia called on Hamas to release the hostages.",
    "Lavrov criticised Israel's response.",
    "He criticised Israel again.",
    "Russia did not meet Israel.",
    "Russia discussed the hostage release.",
]


def sample_results() -> list[ArticleResult]:
    article = Article("russia-hamas", "\n".join(SENTENCES), title="Russia and Hamas",
                      date="2023-10-07")
    events = [
        Event("russia-hamas", 0, SENTENCES[0], RUSSIA, "call on", target=HAMAS, theme=HOSTAGES,
              event_type="Appeal", cameo="02", goldstein=3.0, quad_class=1),
        Event("russia-hamas", 1, SENTENCES[1], LAVROV, "criticize", object=ISRAEL,
              event_type="CriticizeOrDenounce", cameo="111", goldstein=-2.0, quad_class=3),
        Event("russia-hamas", 2, SENTENCES[2], LAVROV, "criticize", object=ISRAEL,
              event_type="CriticizeOrDenounce", cameo="111", goldstein=-2.0, quad_class=3,
              date="2023-10-09"),  # two days after the first: another event (kg.graph.mentions)
        Event("russia-hamas", 3, SENTENCES[3], RUSSIA, "meet", object=ISRAEL,
              event_type="Consult", cameo="04", goldstein=1.0, quad_class=1, negated=True),
        Event("russia-hamas", 4, SENTENCES[4], RUSSIA, "discuss", object=HOSTAGES),
        Event("russia-hamas", 4, SENTENCES[4], None, "discuss", object=HOSTAGES),  # no source
    ]
    return [ArticleResult(article, events, SENTENCES)]


@pytest.fixture(scope="module")
def graph() -> Dataset:
    return build_graph(sample_results())


def test_nodes_are_actors_and_themes_at_event_ends(graph: Dataset) -> None:
    net = to_networkx(graph)
    assert isinstance(net, nx.MultiDiGraph)
    assert set(net) == {actor_iri(n, t) for n, t in [("Russia", "State"), ("Sergei Lavrov", "Person"),
                                                    ("Israel", "State"), ("Hamas", "ArmedGroup"),
                                                    ("hostage release", None)]}
    lavrov = net.nodes[actor_iri("Sergei Lavrov", "Person")]
    assert lavrov == {"label": "Sergei Lavrov", "type": "Person", "country": "RUS",
                      "role": "Foreign Minister"}
    assert net.nodes[actor_iri("hostage release", None)] == {"label": "hostage release",
                                                             "type": "Theme"}


def test_one_edge_per_event_to_target_else_object_else_theme(graph: Dataset) -> None:
    net = to_networkx(graph)
    assert net.number_of_edges() == 5  # the sourceless event is skipped
    russia, hamas = actor_iri("Russia", "State"), actor_iri("Hamas", "ArmedGroup")
    (key, appeal), = net.get_edge_data(russia, hamas).items()  # target wins over theme
    assert key.startswith("https://w3id.org/kg-diplomacy/resource/event/")
    assert appeal == {
        "action": "call on", "event_type": "Appeal", "cameo": "02", "quad_class": 1,
        "goldstein": 3.0, "date": "2023-10-07", "negated": False,
        "sentence": SENTENCES[0], "article_title": "Russia and Hamas", "article_id": "russia-hamas",
        "mentions": 1, "articles": 1, "sources": 1,
    }
    lavrov, israel = actor_iri("Sergei Lavrov", "Person"), actor_iri("Israel", "State")
    assert net.number_of_edges(lavrov, israel) == 2
    assert sorted(d["date"] for d in net.get_edge_data(lavrov, israel).values()) == [
        "2023-10-07", "2023-10-09"]
    meet, = net.get_edge_data(russia, israel).values()
    assert meet["negated"] is True and meet["event_type"] == "Consult"
    discuss, = net.get_edge_data(russia, actor_iri("hostage release", None)).values()
    assert discuss["event_type"] == "Event" and "cameo" not in discuss


def test_plain_graph_and_non_union_dataset_give_the_same_projection(graph: Dataset) -> None:
    expected = nx.to_dict_of_dicts(to_networkx(graph))
    assert nx.to_dict_of_dicts(to_networkx(merged(graph))) == expected
    plain = Dataset()  # default_union False: the projection still sees the named graphs
    for quad in graph.quads((None, None, None, None)):
        plain.add(quad)
    assert nx.to_dict_of_dicts(to_networkx(plain)) == expected
    assert plain.default_union is False


def test_projection_exports_to_graphml(graph: Dataset, tmp_path) -> None:
    nx.write_graphml(to_networkx(graph), tmp_path / "g.graphml")  # no None attributes


def test_graph_stats(graph: Dataset) -> None:
    stats = graph_stats(graph)
    assert {k: stats[k] for k in ("articles", "sentences", "events", "diplomatic_events",
                                  "actors", "themes")} == {
        "articles": 1, "sentences": 5, "events": 6, "diplomatic_events": 4, "actors": 4,
        "themes": 1}
    assert stats["actors_by_type"] == {"State": 2, "Person": 1, "ArmedGroup": 1}
    top = stats["top_actors"][0]
    assert (top["label"], top["degree"], top["partners"]) == ("Russia", 3, 3)
    assert [a["label"] for a in stats["top_actors"]] == ["Russia", "Israel", "Sergei Lavrov",
                                                         "Hamas"]
    assert stats["events_by_root"] == [
        {"code": "", "name": "Event (no CAMEO code)", "count": 2},
        {"code": "11", "name": "Disapprove", "count": 2},
        {"code": "02", "name": "Appeal", "count": 1},
        {"code": "04", "name": "Consult", "count": 1},
    ]
    coop, = stats["cooperative_dyads"]  # the negated meeting does not count
    assert (coop["source_label"], coop["target_label"], coop["goldstein"]) == ("Russia", "Hamas", 3.0)
    conflict, = stats["conflictual_dyads"]
    assert (conflict["source_label"], conflict["goldstein"], conflict["events"]) == (
        "Sergei Lavrov", -4.0, 2)


def test_format_stats(graph: Dataset) -> None:
    text = format_stats(graph_stats(graph))
    assert "events:              6" in text
    assert "Sergei Lavrov -> Israel: -4.0 (2 events)" in text
    assert "11 Disapprove: 2" in text


def test_empty_graph() -> None:
    empty = build_graph([])
    assert to_networkx(empty).number_of_nodes() == 0
    stats = graph_stats(empty)
    assert stats["events"] == 0 and stats["top_actors"] == []
    assert "(none)" in format_stats(stats)


def test_filter_network(graph: Dataset) -> None:
    net = to_networkx(graph)
    assert nx.utils.graphs_equal(filter_network(net), net)
    hamas = filter_network(net, actors=["hamas"])
    assert hamas.number_of_edges() == 1 and set(hamas) == {actor_iri("Russia", "State"),
                                                          actor_iri("Hamas", "ArmedGroup")}
    disapprove = filter_network(net, event_types=["Disapprove"])  # CAMEO root class
    assert disapprove.number_of_edges() == 2
    assert filter_network(net, event_types=["11"]).number_of_edges() == 2
    assert filter_network(net, event_types=["consult", "appeal"]).number_of_edges() == 2
    later = filter_network(net, since="2023-10-09")
    assert [d["date"] for _, _, d in later.edges(data=True)] == ["2023-10-09"]
    assert filter_network(net, until="2023-10-07").number_of_edges() == 4
    assert filter_network(net, until="2023-10").number_of_edges() == 5


def test_stats_central_actors_and_communities(example_graph) -> None:
    stats = graph_stats(example_graph)
    net = to_networkx(example_graph)
    top = stats["top_actors"]
    assert top[0]["degree"] == max(net.degree(n) for n, t in net.nodes(data="type") if t != "Theme")
    assert all(0.0 <= a["betweenness"] <= 1.0 for a in top)
    assert max(a["betweenness"] for a in top) > 0  # someone bridges the others
    communities = stats["communities"]
    members = [m for c in communities for m in c["members"]]
    assert len(communities) >= 2 and len(members) == len(set(members))  # a partition
    assert {"Russia", "Mikhail Bogdanov", "Hamas"} <= set(members)
    assert [c["size"] for c in communities] == sorted((c["size"] for c in communities), reverse=True)
    assert graph_stats(example_graph)["communities"] == communities  # seeded: same every run
    text = format_stats(stats)
    assert "communities (Louvain" in text and f"1. {communities[0]['size']} actors: " in text
    assert "most central actors" in text and "betweenness" in text
    # the dyad rankings are Goldstein sums over factual events
    assert stats["cooperative_dyads"][0]["goldstein"] >= stats["cooperative_dyads"][-1]["goldstein"] > 0
    assert all(d["goldstein"] < 0 for d in stats["conflictual_dyads"])


def test_persons_carry_the_organisation_they_represent(example_graph) -> None:
    net = to_networkx(example_graph)
    by_label = {d["label"]: d for _, d in net.nodes(data=True)}
    marzouk = by_label["Mousa Abu Marzouk"]
    assert (marzouk["affiliation_label"], marzouk["affiliation_type"]) == ("Hamas", "ArmedGroup")
    assert marzouk["affiliation"] in net  # Hamas is an actor of the graph too
