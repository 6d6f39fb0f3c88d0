"""The `import kg` library API on real text (real spaCy model, no mocks): everything the CLI does."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, URIRef

import kg
from kg.vocab import KGO

from conftest import EXAMPLE, EXAMPLE_ID

APPEAL = "Russia called on Hamas to release the hostages."


def test_public_api_is_complete() -> None:
    for name in ("extract_from_text", "extract_paths", "build", "build_graph", "load_graph", "save_graph",
                 "run_query", "format_result", "export_graph", "render_html", "to_networkx", "graph_stats",
                 "format_stats", "canned_query", "list_queries", "KgError", "EXPORT_FORMATS"):
        assert name in kg.__all__ and hasattr(kg, name), name


def test_extract_from_text_appeal(nlp) -> None:
    events = kg.extract_from_text(APPEAL, nlp=nlp)
    [event] = [e for e in events if e.cameo]
    assert event.subject.name == "Russia"
    assert (event.subject.type, event.subject.country) == ("State", "RUS")
    assert event.action == "call on"
    assert event.target.name == "Hamas"
    assert "release" in event.theme.text
    assert event.cameo == "020"
    assert event.event_type == "AppealGeneral"
    assert event.negated is False
    record = event.to_record()
    assert json.loads(json.dumps(record))["target"]["name"] == "Hamas"
    assert record["article_id"] == "text" and record["sentence"] == APPEAL


def test_extract_from_text_uses_date_and_id(nlp) -> None:
    [event] = kg.extract_from_text("France condemned the attack on Monday.", article_id="wire-1",
                                   date="2023-11-01", nlp=nlp)
    assert (event.article_id, event.subject.name, event.action) == ("wire-1", "France", "condemn")
    assert event.cameo.startswith("11")
    assert event.date == "2023-10-30"


def test_extract_from_text_rejects_empty_text(nlp) -> None:
    with pytest.raises(kg.InputError, match="empty"):
        kg.extract_from_text("   \n", nlp=nlp)


def test_extract_paths(example_results: list[kg.ArticleResult]) -> None:
    [result] = example_results
    assert result.article.id == EXAMPLE_ID
    assert result.article.title == "Russia tells Hamas to release hostages"
    assert len(result.sentences) >= 10
    triples = {(e.subject.name, e.action, (e.target or e.object).name, e.cameo)
               for e in result.events if e.cameo and (e.target or e.object)}
    assert ("Sergei Lavrov", "condemn", "Hamas", "111") in triples
    assert ("Russia", "call on", "Hamas", "020") in triples
    assert ("Hamas", "release", "Roni Krivoi", "084") in triples
    for event in result.events:
        assert 0 <= event.sentence_id < len(result.sentences)
        assert event.sentence == result.sentences[event.sentence_id]


def test_extract_paths_streams_jsonl_and_stdin(tmp_path: Path, nlp) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a-1", "date": "2024-02-01", "text": APPEAL}) + "\n", encoding="utf-8")
    results = list(kg.extract_paths([feed, "-"], stdin=io.StringIO("Egypt met Qatar in Cairo.")))
    assert [r.article.id for r in results] == ["a-1", "stdin"]
    assert results[0].article.date == "2024-02-01"
    assert [e.cameo for e in results[1].events] == ["040"]
    with pytest.raises(kg.InputError, match="no such file"):
        list(kg.extract_paths([tmp_path / "missing.txt"]))


@pytest.fixture(scope="module")
def graph(example_results):
    return kg.build_graph(example_results)


def test_build_graph(graph, example_graph) -> None:
    assert len(graph) > 100
    # the same triples as the file kg.build wrote (stable IRIs: same article, same graph)
    assert set(graph.triples((None, None, None))) == set(example_graph.triples((None, None, None)))
    persons = {str(o) for s in graph.subjects(None, KGO.Person) for o in graph.objects(s, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#label"))}
    assert {"Sergei Lavrov", "Mikhail Bogdanov", "Vladimir Putin"} <= persons


def test_run_query_and_format_result(graph) -> None:
    result = kg.run_query(graph, kg.canned_query("who-did-what"))
    assert result.kind == "select"
    assert result.columns[:3] == ["source", "action", "target"]
    rows = {(str(r[0]), str(r[1]), str(r[2])) for r in result.rows}
    assert ("Sergei Lavrov", "condemn", "Hamas") in rows
    assert ("Russia", "call on", "Hamas") in rows
    table = kg.format_result(result, "table")
    assert table.splitlines()[0].split()[:3] == ["source", "action", "target"]
    assert f"({len(result.rows)} rows)" in table
    parsed = list(csv.DictReader(io.StringIO(kg.format_result(result, "csv"))))
    assert len(parsed) == len(result.rows)
    assert {"source": "Hamas", "action": "release", "target": "Roni Krivoi"}.items() <= \
        next(r for r in parsed if r["target"] == "Roni Krivoi").items()
    doc = json.loads(kg.format_result(result, "json"))
    assert len(doc["results"]["bindings"]) == len(result.rows)
    with pytest.raises(kg.QueryError, match="line 1, column"):
        kg.run_query(graph, "SELECT ?x WHERE { ?x ?y }")


def test_count_events_per_cameo_root(graph) -> None:
    result = kg.run_query(graph, """
        SELECT ?root (COUNT(?e) AS ?n) WHERE { ?e kgo:cameoCode ?code BIND(SUBSTR(?code, 1, 2) AS ?root) }
        GROUP BY ?root ORDER BY ?root""")
    counts = {str(root): int(n) for root, n in result.rows}
    assert counts["11"] >= 3 and counts["02"] >= 2 and counts["08"] >= 1


def test_canned_and_list_queries() -> None:
    names = kg.list_queries()
    assert "who-did-what" in names and names == sorted(names)
    assert "SELECT" in kg.canned_query("who-did-what")
    with pytest.raises(kg.KgError, match="no canned query named 'nope'"):
        kg.canned_query("nope")


@pytest.mark.parametrize("fmt, rdf_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                             ("xml", "xml")])
def test_export_graph(graph, fmt: str, rdf_format: str) -> None:
    text = kg.export_graph(graph, fmt)
    assert len(Graph().parse(data=text, format=rdf_format)) == len(set(graph.triples((None, None, None))))


def test_export_graph_unknown_format(graph) -> None:
    with pytest.raises(kg.KgError, match="unknown export format 'yaml'"):
        kg.export_graph(graph, "yaml")


def test_save_and_load_graph(graph, tmp_path: Path) -> None:
    kg.save_graph(graph, tmp_path / "g.trig")
    again = kg.load_graph(tmp_path / "g.trig")
    assert set(again.triples((None, None, None))) == set(graph.triples((None, None, None)))
    with pytest.raises(kg.GraphLoadError, match="not found"):
        kg.load_graph(tmp_path / "none.ttl")


def test_render_html(graph, tmp_path: Path) -> None:
    summary = kg.render_html(graph, tmp_path / "view.html", title="Example")
    assert summary.nodes > 5 and summary.edges > 5 and summary.omitted_nodes == 0
    html = (tmp_path / "view.html").read_text(encoding="utf-8")
    assert "Sergei Lavrov" in html and "Example" in html
    capped = kg.render_html(graph, tmp_path / "small.html", max_nodes=3)
    assert capped.nodes == 3 and capped.omitted_nodes == summary.nodes - 3


def test_to_networkx(graph) -> None:
    net = kg.to_networkx(graph)
    assert isinstance(net, nx.MultiDiGraph)
    by_label = {data["label"]: node for node, data in net.nodes(data=True)}
    lavrov, hamas = by_label["Sergei Lavrov"], by_label["Hamas"]
    assert net.nodes[lavrov]["type"] == "Person"
    actions = {(d["action"], d.get("cameo")) for d in net.get_edge_data(lavrov, hamas).values()}
    assert ("condemn", "111") in actions
    assert any(d["action"] == "release" for d in net.get_edge_data(hamas, by_label["Roni Krivoi"]).values())


def test_graph_stats(graph) -> None:
    stats = kg.graph_stats(graph)
    assert stats["articles"] == 1
    assert stats["sentences"] >= 10
    assert stats["events"] >= stats["diplomatic_events"] > 10
    assert stats["actors"] >= 8
    assert {"State", "Person"} <= set(stats["actors_by_type"])
    roots = {r["code"]: r["count"] for r in stats["events_by_root"]}
    assert roots["11"] >= 3 and roots["04"] >= 3
    text = kg.format_stats(stats)
    assert "articles:" in text and "events by CAMEO root" in text


def test_build_job(example_build) -> None:
    summary = example_build
    assert summary.graph_path.name == f"{EXAMPLE_ID}.ttl" and summary.graph_path.is_file()
    assert summary.html_path.name == f"{EXAMPLE_ID}.html" and summary.html_path.is_file()
    assert summary.articles == 1 and summary.events >= summary.diplomatic_events > 10
    assert summary.example is not None and summary.example.rows
    assert EXAMPLE.is_file()


def test_a_failed_file_build_leaves_the_output_directory_as_it_was(tmp_path, monkeypatch):
    """kg.pipeline.run.build stages its files: when drawing the view fails, OUTDIR keeps its old files
    and gets no new one, and no staging directory is left behind."""
    import kg.views.viz
    from kg.pipeline.run import build

    article = tmp_path / "talks.txt"
    article.write_text("Chile and Peru held talks in Lima on Monday.\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "talks.ttl").write_text("old")

    def broken(*_args, **_kwargs):
        raise RuntimeError("view failed")

    monkeypatch.setattr(kg.views.viz, "render_html", broken)
    with pytest.raises(RuntimeError, match="view failed"):
        build([article], out)
    assert sorted(p.name for p in out.iterdir()) == ["talks.ttl"] and (out / "talks.ttl").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    monkeypatch.undo()
    summary = build([article], out)
    assert sorted(p.name for p in out.iterdir()) == ["talks.html", "talks.trig", "talks.ttl"]
    assert summary.graph_path == out / "talks.ttl" and "Chile" in summary.graph_path.read_text()
