"""SPARQL queries, result formats and RDF exports over a small hand-built graph."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.graph import build as kgraph
from kg.query import formats as kquery
from kg import vocab
from kg.errors import KgError, QueryError
from kg.views.export import CSV_COLUMNS, EXPORT_FORMATS, RDF_FORMATS, export_graph
from kg.model import Actor, Article, ArticleResult, Event
from kg.query import QueryResult, format_result, run_query
from kg.vocab import KGO

RUSSIA = Actor("Russia", "Russia", "State", "RUS")
HAMAS = Actor("Hamas", "Hamas", "ArmedGroup", "PSE")
ISRAEL = Actor("Israel", "Israel", "State", "ISR")
HOSTAGES = Actor("release of hostages", "hostage release")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    a1 = Article("a1", "...", title='Russia urges "Hamas", again', date="2023-10-08")
    s1 = ["Russia called on Hamas to release the hostages.", "Russia did not criticize Israel."]
    a2 = Article("a2", "...", date="2023-10-09")
    s2 = ["Russia met Israel, and Hamas."]
    return kgraph.build_graph([
        ArticleResult(a1, [
            Event("a1", 0, s1[0], RUSSIA, "call on", target=HAMAS, theme=HOSTAGES, cameo="0253"),
            Event("a1", 1, s1[1], RUSSIA, "criticize", object=ISRAEL, cameo="111", negated=True),
        ], s1),
        ArticleResult(a2, [Event("a2", 0, s2[0], RUSSIA, "meet", object=ISRAEL, cameo="042")], s2),
    ])


ONTO_EDGES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?src ?p ?dst WHERE { ?src ?p ?dst . FILTER(?p IN (kgo:appealsTo, kgo:consultsWith,
  kgo:disapprovesOf)) } ORDER BY ?p"""


def test_select(ds: Dataset) -> None:
    result = run_query(ds, ONTO_EDGES)
    assert result.kind == "select"
    assert result.columns == ["src", "p", "dst"]
    assert result.rows == [
        (URIRef(vocab.actor_iri("Russia", "State")), KGO.appealsTo,
         URIRef(vocab.actor_iri("Hamas", "State"))),
        (URIRef(vocab.actor_iri("Russia", "State")), KGO.consultsWith,
         URIRef(vocab.actor_iri("Israel", "State"))),
    ]


def test_select_uses_bound_prefixes_and_named_graphs(ds: Dataset) -> None:
    result = run_query(ds, "SELECT ?g (COUNT(?e) AS ?n) WHERE { GRAPH ?g { ?e kgo:action ?a } } "
                           "GROUP BY ?g ORDER BY ?g")
    assert [(str(g), int(n)) for g, n in result.rows] == sorted(
        [(vocab.article_iri("a1"), 2), (vocab.article_iri("a2"), 1)])


def test_from_named_graph_in_dataset(ds: Dataset) -> None:
    name = vocab.article_iri("a2")
    result = run_query(ds, f"SELECT ?e FROM <{name}> WHERE {{ ?e kgo:action ?a }}")
    assert len(result.rows) == 1


def test_unbound_values_are_none(ds: Dataset) -> None:
    result = run_query(ds, "SELECT ?e ?t WHERE { ?e kgo:action ?a OPTIONAL { ?e kgo:target ?t } }")
    assert sorted(row[1] is None for row in result.rows) == [False, True, True]


def test_ask(ds: Dataset) -> None:
    yes = run_query(ds, "ASK { ?s kgo:appealsTo ?o }")
    no = run_query(ds, "ASK { ?s kgo:disapprovesOf ?o }")
    assert (yes.kind, yes.boolean, no.boolean) == ("ask", True, False)


def test_construct(ds: Dataset) -> None:
    result = run_query(ds, "CONSTRUCT { ?s kgo:interactsWith ?o } WHERE { ?s kgo:appealsTo ?o }")
    assert result.kind == "graph"
    assert result.graph is not None and len(result.graph) == 1
    assert (URIRef(vocab.actor_iri("Russia", "State")), KGO.interactsWith,
            URIRef(vocab.actor_iri("Hamas", "State"))) in result.graph


def test_construct_where_with_limit_order_or_offset(ds: Dataset) -> None:
    """rdflib looks for a CONSTRUCT WHERE's template right under the projection, where a LIMIT
    puts another step: it failed with "'NoneType' object is not iterable"."""
    everything = run_query(ds, "CONSTRUCT WHERE { ?s ?p ?o }").graph
    assert everything is not None and len(everything) > 3
    one = run_query(ds, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1").graph
    assert one is not None and len(one) == 1 and next(iter(one)) in everything
    rest = run_query(ds, "CONSTRUCT WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o OFFSET 1").graph
    assert rest is not None and len(rest) == len(everything) - 1


# ---------------------------------------------------------------- errors

def test_syntax_error_mentions_line_and_column(ds: Dataset) -> None:
    with pytest.raises(QueryError) as info:
        run_query(ds, "SELECT ?s WHERE {\n  ?s ?p ?o\n")
    message = str(info.value)
    assert message == ("SPARQL syntax error at line 2, column 11: unexpected end of query "
                       "after '?s ?p ?o'")
    with pytest.raises(QueryError, match=r"line 1, column 1: unexpected 'SELEKT"):
        run_query(ds, "SELEKT ?s WHERE { ?s ?p ?o }")


def test_unknown_prefix_is_located(ds: Dataset) -> None:
    with pytest.raises(QueryError, match=r"at line 2, column 17: unknown prefix 'foo'"):
        run_query(ds, "SELECT * WHERE {\n  ?s ?p ?o . ?s foo:bar ?x }")


def test_update_is_refused(ds: Dataset) -> None:
    with pytest.raises(QueryError, match="SPARQL Update is not supported"):
        run_query(ds, "PREFIX ex: <http://ex/>\nINSERT DATA { ex:a ex:b ex:c }")


def test_service_and_remote_from_are_refused(ds: Dataset) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(ds, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="FROM <file:///etc/passwd>: no such named graph"):
        run_query(ds, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")


# ---------------------------------------------------------------- result formats

def test_table_format(ds: Dataset) -> None:
    text = format_result(run_query(ds, ONTO_EDGES), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["src", "p", "dst"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == ["kgr:actor/russia", "kgo:appealsTo", "kgr:actor/hamas"]
    assert lines[-1] == "(2 rows)"
    starts = [lines[0].index("p "), lines[2].index("kgo:")]
    assert starts[0] == starts[1]  # aligned columns


def test_table_literals_plain(ds: Dataset) -> None:
    result = run_query(ds, "SELECT ?t ?n WHERE { ?a dcterms:title ?t ; dcterms:date ?n }")
    assert format_result(result, "table").splitlines()[2].split("  ")[0] == \
        'Russia urges "Hamas", again'


def test_csv_format(ds: Dataset) -> None:
    result = run_query(ds, "SELECT ?t ?x WHERE { ?a dcterms:title ?t OPTIONAL { ?a kgo:url ?x } }")
    text = format_result(result, "csv")
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [["t", "x"], ['Russia urges "Hamas", again', ""]]


def test_json_format_select(ds: Dataset) -> None:
    result = run_query(ds, "SELECT ?a ?d ?x WHERE { ?a dcterms:identifier 'a1' ; dcterms:date ?d "
                           "OPTIONAL { ?a kgo:url ?x } }")
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == ["a", "d", "x"]
    assert data["results"]["bindings"] == [{
        "a": {"type": "uri", "value": vocab.article_iri("a1")},
        "d": {"type": "literal", "value": "2023-10-08",
              "datatype": "http://www.w3.org/2001/XMLSchema#date"},
    }]


def test_json_lang_literal() -> None:
    g = Graph()
    g.add((URIRef("http://ex/a"), URIRef("http://ex/b"), Literal("chat", lang="fr")))
    data = json.loads(format_result(run_query(g, "SELECT ?o WHERE { ?s ?p ?o }"), "json"))
    assert data["results"]["bindings"][0]["o"] == {"type": "literal", "value": "chat",
                                                   "xml:lang": "fr"}


def test_ask_formats(ds: Dataset) -> None:
    result = run_query(ds, "ASK { ?s kgo:appealsTo ?o }")
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}
    assert format_result(result, "table") == "true\n"
    assert format_result(result, "csv") == "boolean\r\ntrue\r\n"


def test_graph_result_formats(ds: Dataset) -> None:
    result = run_query(ds, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . ?s a kgo:State }")
    assert result.graph is not None
    for fmt, rdf in (("table", "turtle"), ("csv", "nt"), ("json", "json-ld")):
        parsed = Graph().parse(data=format_result(result, fmt), format=rdf)
        assert isomorphic(parsed, result.graph), fmt
    assert "@prefix kgo:" in format_result(result, "table")


def test_unknown_result_format(ds: Dataset) -> None:
    with pytest.raises(KgError, match="table, csv, json"):
        format_result(QueryResult("ask", boolean=True), "xml")


# ---------------------------------------------------------------- exports

@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_export_round_trips(ds: Dataset, fmt: str) -> None:
    text = export_graph(ds, fmt)
    parsed = Dataset()
    parsed.parse(data=text, format=RDF_FORMATS[fmt])
    assert isomorphic(kgraph.merged(parsed), kgraph.merged(ds))
    names = {g.identifier for g in parsed.graphs() if len(g)}
    if fmt in ("trig", "nq"):
        assert names == {URIRef(vocab.article_iri("a1")), URIRef(vocab.article_iri("a2"))}
        assert set(parsed.quads()) == set(ds.quads())
    else:
        assert URIRef(vocab.article_iri("a1")) not in names


def test_export_is_deterministic(ds: Dataset) -> None:
    for fmt in ("nt", "nq", "ttl"):
        assert export_graph(ds, fmt) == export_graph(ds, fmt)


def test_turtle_export_uses_prefixes(ds: Dataset) -> None:
    text = export_graph(ds, "ttl")
    assert "@prefix kgo: <https://w3id.org/kg-diplomacy/ontology#>" in text
    assert "kgo:appealsTo" in text


def test_unknown_export_format(ds: Dataset) -> None:
    with pytest.raises(KgError, match="unknown export format 'yaml'; use one of: ttl, nt, nq"):
        export_graph(ds, "yaml")


# ---------------------------------------------------------------- network exports

RUSSIA_IRI, ISRAEL_IRI = vocab.actor_iri("Russia", "State"), vocab.actor_iri("Israel", "State")


def test_export_formats_list_rdf_then_network_then_the_event_table() -> None:
    assert EXPORT_FORMATS == ("ttl", "nt", "nq", "jsonld", "xml", "trig", "graphml", "gexf", "csv",
                              "events-csv", "events-tsv")


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_export_reads_back_with_networkx(ds: Dataset, fmt: str, read, tmp_path) -> None:
    path = tmp_path / f"net.{fmt}"
    path.write_text(export_graph(ds, fmt), encoding="utf-8")
    net = read(path)
    assert isinstance(net, nx.MultiDiGraph)
    assert set(net) == {RUSSIA_IRI, ISRAEL_IRI, vocab.actor_iri("Hamas", "ArmedGroup")}
    assert net.number_of_edges() == 3  # one per event
    assert net.nodes[RUSSIA_IRI]["label"] == "Russia"
    assert net.nodes[RUSSIA_IRI]["country"] == "RUS"
    events = {d["action"]: (key, d) for _, _, key, d in net.edges(keys=True, data=True)}
    key, meet = events["meet"]
    assert key.startswith(str(vocab.KGR["event/"]))  # the event IRI is the edge id
    assert (meet["cameo"], meet["quad_class"], meet["date"]) == ("042", 1, "2023-10-09")
    assert meet["sentence"] == "Russia met Israel, and Hamas."
    assert events["criticize"][1]["negated"] in (True, "true")
    assert len(net.get_edge_data(RUSSIA_IRI, ISRAEL_IRI)) == 2


def test_csv_export_is_an_event_edge_list(ds: Dataset) -> None:
    rows = list(csv.DictReader(io.StringIO(export_graph(ds, "csv"))))
    assert len(rows) == 3
    assert tuple(rows[0]) == CSV_COLUMNS
    by_action = {r["action"]: r for r in rows}
    call = by_action["call on"]
    assert (call["source_label"], call["target_label"], call["target_type"]) == ("Russia", "Hamas", "ArmedGroup")
    assert (call["cameo"], call["article_title"], call["negated"]) == ("0253", 'Russia urges "Hamas", again', "false")
    assert call["sentence"] == "Russia called on Hamas to release the hostages."
    assert by_action["criticize"]["negated"] == "true"
    assert by_action["meet"]["date"] == "2023-10-09"


def test_cli_exports_a_network_file(ds: Dataset, tmp_path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    graph = tmp_path / "g.trig"
    graph.write_text(export_graph(ds, "trig"), encoding="utf-8")
    out = tmp_path / "g.graphml"
    result = CliRunner().invoke(main, ["export", str(graph), "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_edges() == 3


def test_the_cli_and_the_endpoint_share_one_serialiser(ds: Dataset) -> None:
    from kg.serve import endpoint as serve

    assert serve.serialize_result is kquery.serialize_result
    ask = run_query(ds, "ASK { ?s ?p ?o }")
    assert kquery.serialize_result(ask, "csv").decode() == format_result(ask, "csv") == "boolean\r\ntrue\r\n"
    assert kquery.serialize_result(ask, "tsv").decode() == "?boolean\ntrue\n"
