"""`kg export` and `kg build -o` and the conventions of rdflib, Gephi and networkx: rdflib's
format names, the format inferred from the -o suffix, JSON-LD with an @context of the
ontology's prefixes, TriG keeping the per-article named graphs (beside the build's Turtle),
GraphML/GEXF edges weighted and GEXF dynamic (event dates), read back with networkx.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.graph import build as kgraph
from kg import vocab
from kg.cli import main
from kg.views.export import JSONLD_CONTEXT, date_span, export_format, export_graph, format_for_path
from kg.model import Actor, Article, ArticleResult, Event

from conftest import EXAMPLE_ID

RUSSIA = Actor("Russia", "Russia", "State", "RUS")
ISRAEL = Actor("Israel", "Israel", "State", "ISR")
QATAR = Actor("Qatar", "Qatar", "State", "QAT")
RUSSIA_IRI, ISRAEL_IRI, QATAR_IRI = (vocab.actor_iri(n, "State") for n in ("Russia", "Israel", "Qatar"))


@pytest.fixture(scope="module")
def ds() -> Dataset:
    """Two articles: Russia meets Israel twice (two dates), Qatar hosts talks (a month only)."""
    a1 = Article("a1", "...", date="2023-10-08")
    s1 = ["Russia met Israel on Sunday.", "Qatar hosted talks with Israel."]
    a2 = Article("a2", "...", date="2023-11-02")
    s2 = ["Russia met Israel again."]
    return kgraph.build_graph([
        ArticleResult(a1, [Event("a1", 0, s1[0], RUSSIA, "meet", object=ISRAEL, cameo="042", date="2023-10-08"),
                           Event("a1", 1, s1[1], QATAR, "host", object=ISRAEL, cameo="043", date="2023-10")], s1),
        ArticleResult(a2, [Event("a2", 0, s2[0], RUSSIA, "meet", object=ISRAEL, cameo="042", date="2023-11-02")], s2),
    ])


def cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def trig(ds: Dataset, tmp_path: Path) -> Path:
    path = tmp_path / "g.trig"
    path.write_text(export_graph(ds, "trig"), encoding="utf-8")
    return path


# ---------------------------------------------------------------- format names

@pytest.mark.parametrize("name, short", [("turtle", "ttl"), ("json-ld", "jsonld"), ("nquads", "nq"),
                                         ("ntriples", "nt"), ("xml", "xml"), ("trig", "trig"), ("Turtle", "ttl"),
                                         ("N-Triples", "nt"), ("gexf", "gexf")])
def test_rdflib_format_names_are_accepted(name: str, short: str) -> None:
    assert export_format(name) == short


@pytest.mark.parametrize("name", ["turtle", "json-ld", "nquads", "ntriples", "xml", "trig"])
def test_kg_export_with_rdflib_names_round_trips(ds: Dataset, trig: Path, name: str) -> None:
    result = cli("export", trig, "--format", name)
    assert result.exit_code == 0, result.output
    parsed = Dataset()
    parsed.parse(data=result.output, format=name)
    assert isomorphic(kgraph.merged(parsed), kgraph.merged(ds))


def test_an_unknown_format_is_one_line_and_exit_2(trig: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(trig), "--format", "yaml", "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "unknown export format 'yaml'" in result.output and "json-ld" in result.output
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("suffix, fmt", [(".ttl", "ttl"), (".jsonld", "jsonld"), (".nq", "nq"), (".trig", "trig"),
                                         (".rdf", "xml"), (".nt", "nt"), (".gexf", "gexf"), (".graphml", "graphml")])
def test_the_format_is_inferred_from_the_suffix(ds: Dataset, trig: Path, tmp_path: Path, suffix: str, fmt: str) -> None:
    assert format_for_path(f"out{suffix}") == fmt
    out = tmp_path / f"out{suffix}"
    result = cli("export", trig, "-o", out)
    assert result.exit_code == 0 and result.output == "", result.output
    assert out.read_text(encoding="utf-8").strip() != ""
    if fmt in ("ttl", "jsonld", "nq", "trig", "xml", "nt"):
        parsed = Dataset()
        parsed.parse(out)  # rdflib infers the same format from the suffix
        assert isomorphic(kgraph.merged(parsed), kgraph.merged(ds))


def test_a_suffix_and_a_format_that_disagree_are_refused(trig: Path, tmp_path: Path) -> None:
    result = cli("export", trig, "--format", "turtle", "-o", tmp_path / "out.jsonld")
    assert result.exit_code == 2 and "says jsonld, not ttl" in result.output
    assert cli("export", trig, "--format", "turtle", "-o", tmp_path / "out.ttl").exit_code == 0


def test_csv_says_it_is_an_event_edge_list() -> None:
    result = cli("export", "--help")
    assert "csv is the network's event edge list, not RDF" in " ".join(result.output.split())


# ---------------------------------------------------------------- JSON-LD and TriG

def test_json_ld_is_compacted_with_the_ontology_prefixes(ds: Dataset) -> None:
    text = export_graph(ds, "json-ld")
    document = json.loads(text)
    context = document["@context"]
    assert context["kgo"] == str(vocab.KGO) and context["prov"] == "http://www.w3.org/ns/prov#"
    assert context == JSONLD_CONTEXT
    keys = {key for node in document["@graph"] for key in node}
    assert {"kgo:source", "kgo:cameoCode", "prov:wasDerivedFrom"} <= keys
    assert not any(key.startswith("http") for key in keys)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), kgraph.merged(ds))


def test_trig_keeps_one_named_graph_per_article(ds: Dataset) -> None:
    parsed = Dataset()
    parsed.parse(data=export_graph(ds, "trig"), format="trig")
    names = {g.identifier for g in parsed.graphs() if len(g)}
    assert {URIRef(vocab.article_iri("a1")), URIRef(vocab.article_iri("a2"))} <= names
    assert set(parsed.quads()) == set(ds.quads())


def test_build_writes_trig_beside_the_turtle(example_build, example_graph) -> None:
    trig = example_build.trig_path
    assert trig == example_build.graph_path.with_suffix(".trig") and trig.exists()
    parsed = Dataset()
    parsed.parse(trig, format="trig")
    article_graphs = [g for g in parsed.graphs() if len(g) and str(g.identifier).startswith(str(vocab.KGR["article/"]))]
    assert len(article_graphs) == 1 and EXAMPLE_ID in str(article_graphs[0].identifier)
    assert isomorphic(kgraph.merged(parsed), kgraph.merged(example_graph))  # the Turtle, merged


# ---------------------------------------------------------------- GraphML and GEXF

def test_date_spans() -> None:
    assert date_span("2023-10-08") == ("2023-10-08", "2023-10-08")
    assert date_span("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_span("2023") == ("2023-01-01", "2023-12-31")
    assert date_span(None) is None and date_span("soon") is None


def test_gexf_reads_back_with_weights_and_start_dates(ds: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "net.gexf"
    assert cli("export", _saved(ds, tmp_path), "-o", path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    net = nx.read_gexf(path)
    edges = {(d["cameo"], d["start"]): d for _, _, d in net.edges(data=True)}
    assert set(edges) == {("042", "2023-10-08"), ("042", "2023-11-02"), ("043", "2023-10-01")}
    assert edges[("043", "2023-10-01")]["end"] == "2023-10-31"  # a month spans its days
    assert all(d["weight"] == 1 for d in edges.values())
    dyad = net.get_edge_data(RUSSIA_IRI, ISRAEL_IRI)
    assert sum(d["weight"] for d in dyad.values()) == 2  # what Gephi shows once it merges them
    assert net.nodes[RUSSIA_IRI]["start"] == "2023-10-08" and net.nodes[QATAR_IRI]["start"] == "2023-10-01"


def test_graphml_carries_the_weight(ds: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    path.write_text(export_graph(ds, "graphml"), encoding="utf-8")
    net = nx.read_graphml(path)
    assert [d["weight"] for _, _, d in net.edges(data=True)] == [1, 1, 1]
    assert sum(d["weight"] for d in net.get_edge_data(RUSSIA_IRI, ISRAEL_IRI).values()) == 2


def test_an_undated_event_is_always_present(tmp_path: Path) -> None:
    article = Article("u", "...")
    sentences = ["Russia met Israel.", "Russia met Qatar on 2023-10-08."]
    ds = kgraph.build_graph([ArticleResult(article, [
        Event("u", 0, sentences[0], RUSSIA, "meet", object=ISRAEL, cameo="042"),
        Event("u", 1, sentences[1], RUSSIA, "meet", object=QATAR, cameo="042", date="2023-10-08")], sentences)])
    path = tmp_path / "u.gexf"
    path.write_text(export_graph(ds, "gexf"), encoding="utf-8")
    net = nx.read_gexf(path)
    assert "start" not in net.get_edge_data(RUSSIA_IRI, ISRAEL_IRI)[next(iter(net.get_edge_data(RUSSIA_IRI, ISRAEL_IRI)))]
    assert "start" not in net.nodes[RUSSIA_IRI]  # it has an undated event: present from the start
    assert net.nodes[QATAR_IRI]["start"] == "2023-10-08"


def _saved(ds: Dataset, tmp_path: Path) -> Path:
    path = tmp_path / "saved.trig"
    path.write_text(export_graph(ds, "trig"), encoding="utf-8")
    return path
