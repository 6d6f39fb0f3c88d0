"""CAMEO actor codes and sectors of the actors, from news-like text through the real pipeline to
the graph (kgo:cameoActorCode, kgo:sector), the view's tooltips and side panel, and the exports."""
from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import RDFS, Literal, URIRef

import kg
from kg.cli import main
from kg.views.export import CSV_COLUMNS, export_graph
from kg.graph.build import load_ontology, save_graph
from kg.views.network import to_networkx
from kg.views.viz import page_html
from kg.vocab import KGO, actor_iri

from test_browser import CHROMIUM, Page, browser  # noqa: F401  (the browser fixture)

# sentences written for these tests: one actor of each kind (minister, envoy, fleet, state,
# international organisation, armed group)
TEXT = ("Russian Foreign Minister Sergei Lavrov met Chinese envoy Zhang Jun in Moscow. "
        "Russia's Baltic Fleet threatened Estonia. "
        "The United Nations urged Hamas to free the hostages.")
EXPECTED = {  # canonical name -> (sector, CAMEO actor code)
    "Sergei Lavrov": ("GOV", "RUSGOV"),
    "Zhang Jun": ("GOV", "CHNGOV"),
    "Baltic Fleet": ("MIL", "RUSMILNAV"),
    "United Nations": ("IGO", "IGOUNO"),
    "Hamas": ("REB", "PSEREB"),
}


@pytest.fixture(scope="module")
def results(nlp) -> list[kg.ArticleResult]:
    article = kg.article_from_text(TEXT, id="codes-probe", date="2023-03-01", title="Codes probe")
    return list(kg.process_articles([article]))


@pytest.fixture(scope="module")
def graph(results):
    return kg.build_graph(results)


def node(name: str) -> URIRef:
    return URIRef(actor_iri(name, "Person"))  # the type does not enter an actor's IRI


def test_event_records_carry_sector_and_code(results) -> None:
    actors = {a.name: (a.sector, a.code) for e in results[0].events
              for a in (e.subject, e.target, e.object) if a is not None and a.is_actor}
    assert {name: actors.get(name) for name in EXPECTED} == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_graph_has_the_code_and_the_sector_of_each_actor(graph, name: str) -> None:
    sector, code = EXPECTED[name]
    assert (node(name), KGO.sector, Literal(sector)) in graph
    assert (node(name), KGO.cameoActorCode, Literal(code)) in graph
    assert len(set(graph.objects(node(name), KGO.cameoActorCode))) == 1


def test_a_state_carries_its_country_code(graph) -> None:
    assert (node("Estonia"), KGO.cameoActorCode, Literal("EST")) in graph
    assert (node("Estonia"), KGO.sector, None) not in graph  # a state as a whole has no sector
    # Russia is never an actor of the text, only the state its minister and fleet act for
    assert (node("Russia"), KGO.cameoActorCode, Literal("RUS")) in graph


def test_ontology_declares_both_properties() -> None:
    onto = load_ontology()
    for prop, label in ((KGO.cameoActorCode, "CAMEO actor code"), (KGO.sector, "sector")):
        assert str(onto.value(prop, RDFS.label)) == label
        assert "CAMEO" in str(onto.value(prop, RDFS.comment))
        assert onto.value(prop, RDFS.domain) == KGO.Actor


def test_the_graph_conforms_to_the_shapes_and_a_bad_code_does_not(graph) -> None:
    assert kg.validate_graph(graph).conforms
    broken = kg.build_graph([])
    broken.addN(quad for quad in graph.quads((None, None, None, None)))
    broken.add((node("Sergei Lavrov"), KGO.cameoActorCode, Literal("rus gov")))
    broken.add((node("Sergei Lavrov"), KGO.sector, Literal("Government")))
    report = kg.validate_graph(broken)
    assert not report.conforms
    assert {v.path for v in report.violations} == {KGO.cameoActorCode, KGO.sector}


# ---------------------------------------------------------------- the view

def view_nodes(page: str) -> dict[str, dict]:
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)[1])
    return {n["label"]: n for n in data["nodes"]}


def test_view_data_has_code_and_sector_of_each_node(graph) -> None:
    page, _ = page_html(graph)
    nodes = view_nodes(page)
    for name, (sector, code) in EXPECTED.items():
        assert (nodes[name]["sector"], nodes[name]["actor_code"]) == (sector, code)
    assert "CAMEO actor code: " in page and '"sector: "' in page  # the tooltip's lines


def test_tooltip_and_side_panel_show_code_and_sector(browser, graph, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "codes.html"
    kg.render_html(graph, path)
    page = Page(browser, path)
    try:
        fleet = str(node("Baltic Fleet"))
        tooltip = page.js("id => kgView.nodes.get(id).title.innerText", fleet)
        assert "sector: MIL" in tooltip and "CAMEO actor code: RUSMILNAV" in tooltip
        assert "country: RUS" in tooltip
        page.page.mouse.move(*page.node_point(fleet))
        shown = page.page.locator("div.vis-tooltip")
        shown.wait_for(state="visible", timeout=5000)
        assert "CAMEO actor code: RUSMILNAV" in shown.inner_text()
        page.page.mouse.click(*page.node_point(fleet))
        details = page.page.inner_text("#kg-details")
        assert "sector: MIL" in details and "CAMEO actor code: RUSMILNAV" in details
        assert page.errors == [] and page.blocked == []
    finally:
        page.close()


# ---------------------------------------------------------------- exports

def test_projection_nodes_carry_sector_and_actor_code(graph) -> None:
    net = to_networkx(graph)
    lavrov = net.nodes[str(node("Sergei Lavrov"))]
    assert (lavrov["sector"], lavrov["actor_code"], lavrov["country"]) == ("GOV", "RUSGOV", "RUS")


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_files_have_the_node_attributes(graph, tmp_path, fmt: str, read) -> None:
    path = tmp_path / f"codes.{fmt}"
    path.write_text(export_graph(graph, fmt), encoding="utf-8")
    net = read(path)
    attrs = {data["label"]: data for _, data in net.nodes(data=True)}
    for name, (sector, code) in EXPECTED.items():
        assert (attrs[name]["sector"], attrs[name]["actor_code"]) == (sector, code)


def test_csv_export_has_country_sector_and_code_of_both_ends(graph, tmp_path) -> None:
    source = tmp_path / "codes.ttl"
    save_graph(graph, source)
    result = CliRunner().invoke(main, ["export", str(source), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert CSV_COLUMNS[-6:] == ("source_country", "source_sector", "source_actor_code",
                                "target_country", "target_sector", "target_actor_code")
    by_action = {row["action"]: row for row in rows}
    meet = by_action["meet"]
    assert [meet[c] for c in CSV_COLUMNS[-6:]] == ["RUS", "GOV", "RUSGOV", "CHN", "GOV", "CHNGOV"]
    threat = by_action["threaten"]
    assert [threat[c] for c in CSV_COLUMNS[-6:]] == ["RUS", "MIL", "RUSMILNAV", "EST", "", "EST"]
    urge = by_action["urge"]
    assert [urge[c] for c in CSV_COLUMNS[-6:]] == ["", "IGO", "IGOUNO", "PSE", "REB", "PSEREB"]
