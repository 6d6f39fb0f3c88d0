"""State roll-up: every actor with a country is linked to its state (kgo:actsFor), the views and
statistics fold actors into their states with --by state, and the shipped query
dyads-by-country counts events between countries. Real text through the real pipeline."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Literal, URIRef

import kg
from kg.cli import main
from kg.errors import KgError
from kg.graph.build import new_graph, save_graph
from kg.views.network import filter_network, format_stats, graph_stats, to_networkx
from kg.vocab import KGO, actor_iri

from test_browser import CHROMIUM, Page, browser  # noqa: F401  (the browser fixture)

# written for these tests: Lavrov has more events than Russia itself at the actor level
ARTICLES = [
    ("rollup-a", "2023-03-01",
     "Russian Foreign Minister Sergei Lavrov met Chinese envoy Zhang Jun in Moscow. "
     "Russia's Baltic Fleet threatened Estonia. "
     "The United Nations urged Hamas to free the hostages. "
     "Chinese President Xi Jinping praised Russia. "
     "Lavrov also criticized NATO. "
     "Lavrov later thanked the United Nations."),
    ("rollup-b", "2023-03-02",
     "Iranian diplomats criticized Germany. "
     "German Chancellor Olaf Scholz accused Russia of aggression."),
]
STATES = {"RUS": "Russia", "CHN": "China", "EST": "Estonia", "PSE": "Palestine", "IRN": "Iran",
          "DEU": "Germany"}
FOLDED = {  # actor -> the state it acts for
    "Sergei Lavrov": "Russia", "Baltic Fleet": "Russia", "Zhang Jun": "China", "Xi Jinping": "China",
    "Hamas": "Palestine", "Iranian diplomats": "Iran", "Olaf Scholz": "Germany",
}


def iri(name: str) -> str:
    return actor_iri(name, "State")  # the type does not enter an actor's IRI


@pytest.fixture(scope="module")
def graph(nlp):
    articles = [kg.article_from_text(text, id=id_, date=date) for id_, date, text in ARTICLES]
    return kg.build_graph(kg.process_articles(articles))


@pytest.fixture(scope="module")
def graph_file(graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rollup") / "rollup.ttl"
    save_graph(graph, path)
    return path


# ---------------------------------------------------------------- the graph

@pytest.mark.parametrize("actor", sorted(FOLDED))
def test_each_actor_of_a_country_acts_for_its_state(graph, actor: str) -> None:
    assert list(graph.objects(URIRef(iri(actor)), KGO.actsFor)) == [URIRef(iri(FOLDED[actor]))]


def test_states_and_international_organisations_act_for_no_one(graph) -> None:
    for name in ("Russia", "Estonia", "Germany", "United Nations", "NATO"):
        assert (URIRef(iri(name)), KGO.actsFor, None) not in graph, name


def test_a_state_only_acted_for_is_in_the_graph_as_a_state(graph) -> None:
    china = URIRef(iri("China"))  # never named as an actor, only by the demonym "Chinese"
    assert (china, RDF.type, KGO.State) in graph
    assert (china, RDFS.label, Literal("China")) in graph
    assert (china, KGO.country, Literal("CHN")) in graph
    assert kg.validate_graph(graph).conforms


def test_an_organisation_named_only_as_an_affiliation_acts_for_its_state(nlp) -> None:
    article = kg.article_from_text("Hezbollah official Hassan Fadlallah criticized Israel.", id="rollup-c")
    graph = kg.build_graph(kg.process_articles([article]))
    person, party, lebanon = (URIRef(iri(n)) for n in ("Hassan Fadlallah", "Hezbollah", "Lebanon"))
    assert (person, KGO.affiliation, party) in graph
    assert (party, KGO.country, Literal("LBN")) in graph
    assert list(graph.objects(party, KGO.actsFor)) == [lebanon]
    assert list(graph.objects(person, KGO.actsFor)) == [lebanon]
    assert (lebanon, RDF.type, KGO.State) in graph and kg.validate_graph(graph).conforms


# ---------------------------------------------------------------- the state-level network

def test_default_projection_is_still_by_actor(graph) -> None:
    assert to_networkx(graph).nodes[iri("Sergei Lavrov")]["type"] == "Person"
    assert to_networkx(graph, by="actor").nodes == to_networkx(graph).nodes


def test_state_level_folds_every_actor_into_its_state(graph) -> None:
    net = to_networkx(graph, by="state")
    labels = {net.nodes[n]["label"] for n in net}
    assert labels == {*STATES.values(), "United Nations", "NATO"} | {
        net.nodes[n]["label"] for n in net if net.nodes[n]["type"] == "Theme"}
    assert not set(FOLDED) & labels
    russia = net.nodes[iri("Russia")]
    assert (russia["type"], russia["folded"], russia["members"]) == ("State", 2, "Sergei Lavrov; Baltic Fleet")
    assert net.nodes[iri("China")]["members"].split("; ") == ["Xi Jinping", "Zhang Jun"]


def test_state_level_edges_keep_the_event_and_name_the_folded_actors(graph) -> None:
    full = to_networkx(graph)
    net = to_networkx(graph, by="state")
    assert sorted(k for _, _, k in net.edges(keys=True)) == sorted(k for _, _, k in full.edges(keys=True))
    (meet,) = net.get_edge_data(iri("Russia"), iri("China")).values()
    assert (meet["action"], meet["cameo"]) == ("meet", "040")
    assert (meet["source_actor"], meet["target_actor"]) == ("Sergei Lavrov", "Zhang Jun")
    (urge,) = net.get_edge_data(iri("United Nations"), iri("Palestine")).values()
    assert "source_actor" not in urge and urge["target_actor"] == "Hamas"
    (accuse,) = net.get_edge_data(iri("Germany"), iri("Russia")).values()
    assert accuse["source_actor"] == "Olaf Scholz" and "target_actor" not in accuse


def test_filtering_the_state_level_by_a_folded_actor(graph) -> None:
    net = filter_network(to_networkx(graph, by="state"), actors=["Zhang Jun"])
    assert [(net.nodes[u]["label"], net.nodes[v]["label"]) for u, v in net.edges()] == [("Russia", "China")]


def test_unknown_level_is_one_clear_error(graph) -> None:
    with pytest.raises(KgError, match="unknown level 'country'; use one of: actor, state"):
        to_networkx(graph, by="country")


def test_a_graph_without_the_links_folds_by_country(graph) -> None:
    old = new_graph()  # as a graph built before kgo:actsFor: the states named in it still fold
    old.addN(quad for quad in graph.quads((None, None, None, None)) if quad[1] != KGO.actsFor)
    net = to_networkx(old, by="state")
    assert net.nodes[iri("Russia")]["members"] == "Sergei Lavrov; Baltic Fleet"
    assert net.nodes[iri("China")]["members"].split("; ") == ["Xi Jinping", "Zhang Jun"]


# ---------------------------------------------------------------- statistics

def test_officials_outrank_their_state_by_actor_but_never_by_state(graph) -> None:
    by_actor = [a["label"] for a in graph_stats(graph)["top_actors"]]
    assert by_actor.index("Sergei Lavrov") < by_actor.index("Russia")
    stats = graph_stats(graph, by="state")
    top = stats["top_actors"]
    assert top[0]["label"] == "Russia" and top[0]["degree"] == 6 and top[0]["folded"] == 2
    assert not {a["label"] for a in top} & set(FOLDED)
    assert {a["type"] for a in top} <= {"State", "InternationalOrganization"}
    assert (stats["by"], stats["folded_actors"]) == ("state", len(FOLDED))
    assert stats["actors_by_type"] == {"State": 6, "InternationalOrganization": 2}
    assert stats["events"] == graph_stats(graph)["events"]


def test_state_level_dyads(graph) -> None:
    stats = graph_stats(graph, by="state")
    conflict = {(d["source_label"], d["target_label"]): (d["goldstein"], d["events"])
                for d in stats["conflictual_dyads"]}
    assert conflict[("Russia", "Estonia")] == (-4.4, 1)
    assert conflict[("Iran", "Germany")] == (-2.0, 1)
    cooperation = {(d["source_label"], d["target_label"]) for d in stats["cooperative_dyads"]}
    assert {("Russia", "China"), ("China", "Russia"), ("United Nations", "Palestine")} <= cooperation
    text = format_stats(stats)
    assert "actors:              8 (at the state level: 7 actors folded into their states)" in text
    assert "Russia (State, 2 actors folded in): 6 events" in text


def test_default_stats_do_not_count_a_state_only_acted_for(graph) -> None:
    stats = graph_stats(graph)
    assert "by" not in stats and "folded_actors" not in stats
    # China, Palestine and Iran are in the graph for the roll-up alone
    assert stats["actors_by_type"]["State"] == 3  # Estonia, Russia, Germany, as the text names them


# ---------------------------------------------------------------- the query

def test_dyads_by_country_query(graph) -> None:
    result = kg.run_query(graph, kg.canned_query("dyads-by-country"))
    assert result.columns == ["sourceCountry", "targetCountry", "events", "meanGoldstein"]
    rows = [(str(s), str(t), int(n), float(g)) for s, t, n, g in result.rows]
    assert rows == [("CHN", "RUS", 1, 3.4), ("DEU", "RUS", 1, -2.0), ("IRN", "DEU", 1, -2.0),
                    ("RUS", "CHN", 1, 1.0), ("RUS", "EST", 1, -4.4)]
    # the same pairs as the state-level network, where both ends have a country
    net = to_networkx(graph, by="state")
    pairs = {(net.nodes[u].get("country"), net.nodes[v].get("country")) for u, v, d in net.edges(data=True)
             if "goldstein" in d and not d["negated"]}
    assert {(s, t) for s, t, _, _ in rows} == {p for p in pairs if None not in p}


# ---------------------------------------------------------------- the command line

def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_query_by_name(graph_file) -> None:
    out = run("query", str(graph_file), "--name", "dyads-by-country", "--format", "csv")
    assert out.splitlines()[0] == "sourceCountry,targetCountry,events,meanGoldstein"
    assert "RUS,EST,1,-4.4" in out.splitlines()
    assert "dyads-by-country" in run("query", "--list")


def test_cli_stats_by_state(graph_file) -> None:
    text = run("stats", str(graph_file), "--by", "state")
    assert "Russia (State, 2 actors folded in): 6 events" in text
    numbers = json.loads(run("stats", str(graph_file), "--by", "state", "--format", "json"))
    assert numbers["top_actors"][0]["label"] == "Russia" and numbers["by"] == "state"
    assert run("stats", str(graph_file)) == run("stats", str(graph_file), "--by", "actor")


def test_cli_viz_by_state(graph_file, tmp_path) -> None:
    out = tmp_path / "states.html"
    assert run("viz", str(graph_file), "--by", "state", "-o", str(out)).startswith(f"{out}: ")
    page = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)[1])
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["Russia"]["members"] == "Sergei Lavrov; Baltic Fleet" and nodes["Russia"]["folded"] == 2
    assert not set(FOLDED) & set(nodes)
    assert "state level: 7 actors folded into their states" in page  # the header says so
    meet = next(e for e in data["events"] if e["action"] == "meet")
    assert (meet["fromActor"], meet["toActor"]) == ("Sergei Lavrov", "Zhang Jun")
    only = tmp_path / "lavrov.html"
    run("viz", str(graph_file), "--by", "state", "--actor", "Sergei Lavrov", "-o", str(only))
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', only.read_text(encoding="utf-8"), re.S)[1])
    assert {e["action"] for e in data["events"]} == {"meet", "criticize", "thank"}


@pytest.mark.parametrize("command", ["viz", "stats"])
def test_cli_bad_level_is_one_error_line(graph_file, command: str) -> None:
    result = CliRunner().invoke(main, [command, str(graph_file), "--by", "country"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and "'country' is not one of" in lines[0]
    assert "Traceback" not in result.output


def test_state_view_tooltip_lists_the_folded_actors(browser, graph, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "states.html"
    kg.render_html(to_networkx(graph, by="state"), path)
    page = Page(browser, path)
    try:
        russia = iri("Russia")
        tooltip = page.js("id => kgView.nodes.get(id).title.innerText", russia)
        assert "includes 2 actors: Sergei Lavrov, Baltic Fleet" in tooltip
        assert "CAMEO actor code: RUS" in tooltip
        edge = f"events:{russia}\n{iri('China')}"
        edge_tip = page.js("id => kgView.tooltipOf(id).innerText", edge)
        assert "Sergei Lavrov (Russia) \u2192 Zhang Jun (China)" in edge_tip
        page.page.mouse.click(*page.node_point(russia))
        details = page.page.inner_text("#kg-details")
        assert "includes 2 actors: Sergei Lavrov, Baltic Fleet" in details
        assert page.errors == [] and page.blocked == []
    finally:
        page.close()
