"""kg.viz: the self-contained pyvis HTML view."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from kg.graph import build_graph
from kg.model import Actor, Article, ArticleResult, Event
from kg.network import to_networkx
from kg.viz import VizSummary, render_html

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
    summary = render_html(graph, out, title=f"News {EVIL}")
    return summary, out.read_text(encoding="utf-8")


def _dataset(page_html: str, name: str) -> list[dict[str, Any]]:
    """The node or edge list the page hands to vis.DataSet (JSON, '<' written as \\u003c)."""
    match = re.search(rf"var {name} = new vis\.DataSet\((\[.*?\])\.map", page_html, re.S)
    assert match, name
    return json.loads(match.group(1))


def test_counts_and_aggregation(page: tuple[VizSummary, str]) -> None:
    summary, text = page
    assert summary == VizSummary(nodes=4, edges=4, omitted_nodes=0)
    edges = _dataset(text, "edges")
    assert len(edges) == 4
    criticize = [e for e in edges if e["label"].startswith("criticize")]
    assert len(criticize) == 1  # two parallel events, one edge
    assert criticize[0]["label"] == "criticize ×2"
    assert criticize[0]["width"] > 1
    assert criticize[0]["color"] == "#f28e2b"  # verbal conflict
    assert "2 events" in criticize[0]["title"]
    hypothetical = next(e for e in edges if e["label"] == "meet" and e["dashes"])
    assert "hypothetical" in hypothetical["title"]
    assert not any(e["dashes"] for e in edges if e["label"] != "meet")


def test_tooltip_lists_each_event_with_evidence(page: tuple[VizSummary, str]) -> None:
    _, text = page
    edges = _dataset(text, "edges")
    title = next(e["title"] for e in edges if e["label"].startswith("criticize"))
    assert "2023-10-07" in title and "2023-10-09" in title
    assert "CriticizeOrDenounce" in title and "CAMEO 111" in title
    assert html.escape(SENTENCES[0]) in title
    assert html.escape(SENTENCES[1]) in title  # "&" escaped
    assert SENTENCES[0] in text  # plain evidence text is in the page as written


def test_untrusted_text_is_escaped(page: tuple[VizSummary, str]) -> None:
    _, text = page
    assert EVIL not in text
    assert "alert(1)</script>" not in text and "<script>alert" not in text
    assert f"<h1>News {html.escape(EVIL)}</h1>" in text
    nodes, edges = _dataset(text, "nodes"), _dataset(text, "edges")
    evil_node = next(n for n in nodes if "alert" in n["label"])
    assert "<script" not in evil_node["label"] and "<script" not in evil_node["title"]
    assert html.escape(EVIL) in evil_node["title"]
    call = next(e for e in edges if e["label"] == "call on")
    assert html.escape(SENTENCES[2]) in call["title"] and EVIL not in call["title"]
    assert html.escape(f"Title {EVIL}") in call["title"]


def test_page_works_offline(page: tuple[VizSummary, str]) -> None:
    _, text = page
    assert not re.search(r"<script[^>]+src=", text, re.I)
    assert not re.search(r"<link[^>]+href=", text, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", text, re.I)
    assert "bootstrap" not in text
    assert "vis.Network" in text and "stabilizationIterationsDone" in text


def test_max_nodes_keeps_the_most_connected(graph: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "small.html"
    summary = render_html(graph, out, max_nodes=2)
    assert summary == VizSummary(nodes=2, edges=2, omitted_nodes=2)
    text = out.read_text(encoding="utf-8")
    assert "Showing 2 of 4 actors" in text
    labels = {n["label"] for n in _dataset(text, "nodes")}
    assert labels == {"Russia", "Israel"}


def test_accepts_a_projection_and_leaves_no_stray_files(graph: Dataset, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "sub" / "net.html"
    summary = render_html(to_networkx(graph), out)
    assert summary.nodes == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]  # no lib/ in the cwd
    assert [p.name for p in out.parent.iterdir()] == ["net.html"]  # no temp file left


def test_failed_write_leaves_old_file(graph: Dataset, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "net.html"
    out.write_text("old", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr("pyvis.network.Network.generate_html", boom)
    with pytest.raises(RuntimeError):
        render_html(graph, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["net.html"]


def test_empty_graph(tmp_path: Path) -> None:
    summary = render_html(build_graph([]), tmp_path / "empty.html")
    assert summary == VizSummary(nodes=0, edges=0, omitted_nodes=0)
    assert (tmp_path / "empty.html").stat().st_size > 0
