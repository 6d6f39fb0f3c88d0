"""kg.views.viz: the self-contained pyvis HTML view."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from kg.graph.build import build_graph
from kg.model import Actor, Article, ArticleResult, Event
from kg.views.network import to_networkx
from kg.views.viz import TYPE_COLOURS, VizSummary, notebook_view, render_html

EVIL = "<script>alert(1)</script>"
RUSSIA = Actor("Russia", "Russia", "State", "RUS")
ISRAEL = Actor("Israel", "Israel", "State", "ISR")
HAMAS = Actor("Hamas", "Hamas", "ArmedGroup", "PSE")
EVIL_ACTOR = Actor(EVIL, EVIL, "Person")
SENTENCES = [
    "Russia criticised Israel over Gaza.",
    "Russia again criticised Israel & its allies.",
    f"Russia called on Hamas to free hostages {EVIL}.",
    f"{EVIL} met Russia.",
    "Russia might meet Israel.",
]


def _results() -> list[ArticleResult]:
    article = Article("viz", " ".join(SENTENCES), title=f"Title {EVIL}", date="2023-10-07")
    criticize = dict(event_type="CriticizeOrDenounce", cameo="111", goldstein=-2.0, quad_class=3)
    events = [
        Event("viz", 0, SENTENCES[0], RUSSIA, "criticize", object=ISRAEL, **criticize),
        Event("viz", 1, SENTENCES[1], RUSSIA, "criticize", object=ISRAEL, date="2023-10-09",
              **criticize),
        Event("viz", 2, SENTENCES[2], RUSSIA, "call on", target=HAMAS, event_type="Appeal",
              cameo="02", goldstein=3.0, quad_class=1),
        Event("viz", 3, SENTENCES[3], EVIL_ACTOR, "meet", object=RUSSIA, event_type="Consult",
              cameo="04", goldstein=1.0, quad_class=1),
        Event("viz", 4, SENTENCES[4], RUSSIA, "meet", object=ISRAEL, event_type="Consult",
              cameo="04", goldstein=1.0, quad_class=1, modality="hypothetical"),
    ]
    return [ArticleResult(article, events, SENTENCES)]


@pytest.fixture(scope="module")
def graph() -> Dataset:
    return build_graph(_results())


@pytest.fixture()
def page(graph: Dataset, tmp_path: Path) -> tuple[VizSummary, str]:
    out = tmp_path / "view.html"
    summary = render_html(graph, out, title=f"News {EVIL}", built="2024-01-02")
    return summary, out.read_text(encoding="utf-8")


def _data(page_html: str) -> dict[str, Any]:
    """The JSON island the page's script builds the view from."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page_html, re.S)
    assert match
    return json.loads(match.group(1))


def test_counts_and_header(page: tuple[VizSummary, str]) -> None:
    summary, text = page
    # Russia->Israel (2 criticisms + 1 hypothetical meeting), Russia->Hamas, EVIL->Russia
    assert summary == VizSummary(nodes=4, edges=3, omitted_nodes=0, events=5, affiliations=0)
    assert "4 actors, 5 events on 3 edges, from 1 article" in text
    assert "built 2024-01-02" in text
    assert 'id="kg-note"' not in text  # nothing left out
    data = _data(text)
    assert len(data["nodes"]) == 4 and len(data["events"]) == 5
    russia = next(n for n in data["nodes"] if n["label"] == "Russia")
    assert russia["events"] == 5 and russia["size"] > min(n["size"] for n in data["nodes"])
    assert russia["colour"] == TYPE_COLOURS["State"]


def test_events_carry_what_the_panel_lists(page: tuple[VizSummary, str]) -> None:
    events = _data(page[1])["events"]
    first = next(e for e in events if e["sentence"] == SENTENCES[1])
    assert first == {**first, "action": "criticize", "class": "CriticizeOrDenounce", "cameo": "111",
                     "root": "11", "quad": 3, "date": "2023-10-09", "article": f"Title {EVIL}",
                     "articleId": "viz"}
    maybe = next(e for e in events if e["sentence"] == SENTENCES[4])
    assert maybe["modality"] == "hypothetical" and maybe["quad"] == 1


def test_filter_controls_list_the_classes_present(page: tuple[VizSummary, str]) -> None:
    text = page[1]
    options = re.findall(r'<option value="(\w*)">([^<]*)</option>', text)
    assert options == [("", "all"), ("02", "02 Appeal (1)"), ("04", "04 Consult (2)"),
                       ("11", "11 Disapprove (2)")]
    for control in ("kg-actor", "kg-class", "kg-quads", "kg-since", "kg-until", "kg-reset", "kg-details"):
        assert f'id="{control}"' in text


def test_untrusted_text_is_escaped(page: tuple[VizSummary, str]) -> None:
    _, text = page
    assert EVIL not in text
    assert "alert(1)</script>" not in text and "<script>alert" not in text
    assert f"<h1 id=\"kg-title\">News {html.escape(EVIL)}</h1>" in text
    data = _data(text)  # raw text in the JSON island, which only the script reads (textContent)
    assert {n["label"] for n in data["nodes"]} >= {EVIL}
    assert any(e["sentence"] == SENTENCES[2] for e in data["events"])
    assert "innerHTML" not in text.split("<script>")[-1]  # our script never parses markup


def test_page_works_offline(page: tuple[VizSummary, str]) -> None:
    _, text = page
    assert not re.search(r"<script[^>]+src=", text, re.I)
    assert not re.search(r"<link[^>]+href=", text, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", text, re.I)
    assert "vis.Network" in text and "stabilizationIterationsDone" in text


def test_the_vis_network_options_and_library_come_from_pyvis(page: tuple[VizSummary, str]) -> None:
    """The page is made with pyvis's API: vis-network's options by its Network/Options (the
    hierarchical layout its Layout turns on switched off again), vis-network itself the file
    pyvis ships, inlined; the page's script passes the options to vis.Network unchanged."""
    import pyvis
    from pyvis.network import Network

    from kg.views.viz import layout_options, network_options

    options = _data(page[1])["options"]
    assert options == network_options(layout_options(4, 3))
    assert options["physics"]["solver"] == "forceAtlas2Based" and options["layout"]["randomSeed"] == 7
    assert options["layout"]["hierarchical"]["enabled"] is False
    assert options["physics"]["stabilization"]["fit"] is False and options["edges"]["color"]["inherit"] is False
    reference = Network(directed=True)
    reference.force_atlas_2based(gravity=-140, spring_length=180, damping=0.4, overlap=0.6)
    assert options["physics"]["forceAtlas2Based"] == {**json.loads(reference.options.to_json())["physics"][
        "forceAtlas2Based"], "theta": 0.5}
    shipped = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    assert shipped.read_text(encoding="utf-8") in page[1]
    assert "data.options);" in page[1]


def test_max_nodes_keeps_the_most_connected(graph: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "small.html"
    summary = render_html(graph, out, max_nodes=2)
    assert summary == VizSummary(nodes=2, edges=1, omitted_nodes=2, events=3, affiliations=0)
    text = out.read_text(encoding="utf-8")
    assert "Showing the 2 most connected of 4 actors and themes: 2 left out, with 2 events." in text
    assert {n["label"] for n in _data(text)["nodes"]} == {"Russia", "Israel"}


def test_persons_link_to_whom_they_represent(tmp_path: Path) -> None:
    envoy = Actor("envoy", "Anna Envoy", "Person", "RUS", affiliation="Gazprom")
    minister = Actor("minister", "Ivan Minister", "Person", "RUS")
    sentence = "Anna Envoy and Ivan Minister met Israel and Russia."
    meet = dict(event_type="Consult", cameo="04", goldstein=1.0, quad_class=1)
    graph = build_graph([ArticleResult(Article("aff", sentence), [
        Event("aff", 0, sentence, envoy, "meet", object=ISRAEL, **meet),
        Event("aff", 0, sentence, minister, "meet", object=RUSSIA, **meet)], [sentence])])
    summary = render_html(graph, tmp_path / "aff.html")
    data = _data((tmp_path / "aff.html").read_text(encoding="utf-8"))
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    links = {(labels[link["from"]], labels[link["to"]]) for link in data["links"]}
    # the organisation represented joins the view; the minister links to the state of his country
    assert links == {("Anna Envoy", "Gazprom"), ("Ivan Minister", "Russia")}
    assert summary.nodes == 5 and summary.affiliations == 2


def test_accepts_a_projection_and_leaves_no_stray_files(graph: Dataset, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "sub" / "net.html"
    summary = render_html(to_networkx(graph), out)
    assert summary.nodes == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]  # no lib/ in the cwd
    assert [p.name for p in out.parent.iterdir()] == ["net.html"]  # no temp file left


def test_failed_render_leaves_old_file(graph: Dataset, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "net.html"
    out.write_text("old", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr("kg.views.viz._omitted_note", boom)
    with pytest.raises(RuntimeError):
        render_html(graph, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["net.html"]


def test_empty_graph(tmp_path: Path) -> None:
    summary = render_html(build_graph([]), tmp_path / "empty.html")
    assert summary == VizSummary(nodes=0, edges=0, omitted_nodes=0)
    assert "0 actors, 0 events on 0 edges" in (tmp_path / "empty.html").read_text(encoding="utf-8")


def test_notebook_view_is_the_same_page_in_an_iframe(graph: Dataset) -> None:
    view = notebook_view(graph, title="Inline", height=500)
    markup = view._repr_html_()
    match = re.fullmatch(r'<iframe class="kg-view" srcdoc="([^"]*)" style="width:100%;height:500px;[^"]*"></iframe>',
                         markup)
    assert match
    page = html.unescape(match.group(1))
    assert page == view.page and page.startswith("<!DOCTYPE html>") and "<h1 id=\"kg-title\">Inline</h1>" in page
    assert repr(view) == "<kg network view: 4 nodes, 3 edges, 5 events>"


def test_the_build_date_follows_source_date_epoch(graph, tmp_path, monkeypatch) -> None:
    """Reproducible builds: with SOURCE_DATE_EPOCH the page says that day, and two renders are
    the same bytes (scripts/example.sh sets it to the example's last change)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")  # 2001-09-09
    render_html(graph, tmp_path / "a.html")
    render_html(graph, tmp_path / "b.html")
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "built 2001-09-09" in page and page == (tmp_path / "b.html").read_text(encoding="utf-8")
