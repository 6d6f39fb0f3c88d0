"""The queries shipped in ontology/queries/ return the expected rows on the example graph."""
from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Literal, URIRef

import kg
from kg.errors import QueryError
from kg.graph.build import new_graph
from kg.query.parameters import bind_parameters, event_classes, parse_assignments, query_parameters
from kg.vocab import KGO

from conftest import EXAMPLE

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def rows(graph, name: str) -> list[tuple[str, ...]]:
    result = kg.run_query(graph, kg.canned_query(name))
    return [tuple("" if v is None else str(v) for v in row) for row in result.rows]


def test_every_shipped_query_is_listed_and_runs(example_graph):
    assert set(kg.list_queries()) >= {"who-did-what", "actors-by-type", "persons", "appeals", "evidence"}
    for name in kg.list_queries():
        assert rows(example_graph, name), name


def test_persons_with_roles_and_affiliations(example_graph):
    persons = {row[0]: row[1:] for row in rows(example_graph, "persons")}
    assert persons["Mikhail Bogdanov"] == ("Deputy Foreign Minister", "RUS", "")
    assert persons["Mousa Abu Marzouk"] == ("Deputy Chairman", "PSE", "Hamas")
    assert persons["Benjamin Netanyahu"][:2] == ("Prime Minister", "ISR")


def test_actors_by_type_counts_initiated_events(example_graph):
    table = {(row[0], row[1]): int(row[3]) for row in rows(example_graph, "actors-by-type")}
    assert table[("Person", "Mikhail Bogdanov")] == 10  # met, discussed, spoke with three, released a statement, reported
    assert table[("State", "Russia")] >= 6
    assert ("ArmedGroup", "Hamas") in table and ("MediaOrganization", "TASS") in table


def test_appeals_name_addressee_and_subject_matter(example_graph):
    appeals = rows(example_graph, "appeals")
    assert ("Russia", "call on", "Hamas") in {row[:3] for row in appeals}
    assert any(row[:2] == ("Russia", "call for") and row[3] == "cessation of hostilities" for row in appeals)
    assert all(row[4][:2] in {"02", "10"} for row in appeals)


def test_evidence_gives_the_sentence_behind_each_edge(example_graph):
    evidence = {(row[0], row[1], row[2]): row[3] for row in rows(example_graph, "evidence")}
    text = " ".join(EXAMPLE.read_text(encoding="utf-8").split())
    # the evidence is a whole sentence of the article that names both actors and the act
    for (source, action, target), sentence in evidence.items():
        assert " ".join(sentence.split()) in text
    lavrov = evidence[("Sergei Lavrov", "condemn", "Hamas")]
    assert "Lavrov" in lavrov and "condemn" in lavrov and "Hamas" in lavrov
    assert "Roni Krivoi" in evidence[("Hamas", "release", "Roni Krivoi")]


def test_dyad_balance_sums_goldstein_by_quad_class(example_graph):
    balance = {(row[0], row[1]): row[2:] for row in rows(example_graph, "dyad-balance")}
    # Russia told and called on Hamas: two appeals, Goldstein +3.0 each, verbal cooperation
    assert balance[("Russia", "Hamas")] == ("6.0", "2", "2", "0", "0", "0")
    assert balance[("Benjamin Netanyahu", "Vladimir Putin")] == ("-2.0", "1", "0", "0", "1", "0")
    # each source in name order, its dyads from the most events to the fewest
    order = [(row[0], -int(row[3]), row[1]) for row in rows(example_graph, "dyad-balance")]
    assert order == sorted(order) and len({row[0] for row in order}) > 1


def test_dyad_timeline_lists_each_pair_with_evidence(example_graph):
    timeline = [row for row in rows(example_graph, "dyad-timeline") if row[:2] == ("Sergei Lavrov", "Hamas")]
    assert [(row[3], row[4]) for row in timeline] == [("condemn", "111")]


# ---------------------------------------------------------------- parameters (--param)

DATED_ARTICLES = [  # in no date order: events-by-class puts them in the order they were reported
    ("nov-article", "2023-11-05", "Turkey criticized the European Union. Jordan met with the Palestinian "
     "Authority. Iran threatened Israel with retaliation. On October 7th, Egypt condemned Hamas."),
    ("oct-article", "2023-10-20", "Russia condemned the Israeli strikes on Gaza. Egypt accused Hamas of "
     "breaking the truce. Qatar hosted talks with Hamas leaders."),
    ("undated-article", None, "Spain criticized Morocco. France met with Germany."),
]


@pytest.fixture(scope="module")
def dated_graph(nlp):
    """Three articles written for these tests, two dated and one not, extracted and built for real."""
    articles = [kg.article_from_text(text, id=id_, date=date) for id_, date, text in DATED_ARTICLES]
    return kg.build_graph(kg.process_articles(articles))


def by_class(graph, **params) -> list[dict[str, str]]:
    result = kg.run_query(graph, bind_parameters(kg.canned_query("events-by-class"), params))
    return [{c: "" if v is None else str(v) for c, v in zip(result.columns, row)} for row in result.rows]


def acts(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(row["source"], row["action"]) for row in rows}


def test_events_by_class_respects_the_class_hierarchy(dated_graph):
    rows = by_class(dated_graph, **{"class": "Disapprove"})
    found = {(row["source"], row["action"], row["class"].rsplit("#", 1)[-1]) for row in rows}
    assert found == {("Russia", "condemn", "CriticizeOrDenounce"), ("Egypt", "accuse", "Accuse"),
                     ("Turkey", "criticize", "CriticizeOrDenounce"), ("Egypt", "condemn", "CriticizeOrDenounce"),
                     ("Spain", "criticize", "CriticizeOrDenounce")}
    assert by_class(dated_graph, **{"class": "11"}) == rows  # the CAMEO root code, same answer
    assert by_class(dated_graph, **{"class": "kgo:Disapprove"}) == rows
    only_accuse = by_class(dated_graph, **{"class": "112"})
    assert [(row["source"], row["cameo"]) for row in only_accuse] == [("Egypt", "112")]


def test_events_by_class_default_is_every_coded_event(dated_graph):
    rows = by_class(dated_graph)
    assert {row["cameo"][:2] for row in rows} == {"11", "04", "13"}
    assert len(rows) == 9  # the uncoded "break the truce" is not listed
    assert ("Egypt", "break") not in acts(rows)


def test_events_by_class_lists_events_in_the_order_they_were_reported(dated_graph):
    rows = by_class(dated_graph)
    # by the article's publication date, the undated article first; not by the events' own dates
    assert [row["published"] for row in rows] == [""] * 2 + ["2023-10-20"] * 3 + ["2023-11-05"] * 4
    condemned = next(row for row in rows if (row["source"], row["action"]) == ("Egypt", "condemn"))
    assert (condemned["date"], condemned["published"]) == ("2023-10-07", "2023-11-05")
    assert rows.index(condemned) == len(rows) - 1  # reported last, though it happened first
    # each article's events in reading order
    for _, _, text in DATED_ARTICLES:
        sentences = [row["sentence"] for row in rows if row["sentence"] in text]
        assert sentences == sorted(sentences, key=text.index) and sentences


@pytest.mark.parametrize("since,until,expected", [
    ("2023-11-01", None, {("Turkey", "criticize")}),
    (None, "2023-10-31", {("Russia", "condemn"), ("Egypt", "accuse"), ("Egypt", "condemn")}),
    ("2023-10", "2023-10", {("Russia", "condemn"), ("Egypt", "accuse"), ("Egypt", "condemn")}),  # a month: first to last day
    ("2023", None, {("Russia", "condemn"), ("Egypt", "accuse"), ("Egypt", "condemn"), ("Turkey", "criticize")}),
    ("2023-10-21", "2023-11-04", set()),
    # the event's own date counts, not its article's (2023-11-05)
    ("2023-10-01", "2023-10-10", {("Egypt", "condemn")}),
])
def test_events_by_class_date_range(dated_graph, since, until, expected):
    params = {"class": "Disapprove", "since": since, "until": until}
    rows = by_class(dated_graph, **{k: v for k, v in params.items() if v})
    assert acts(rows) == expected  # never Spain's: its article has no date, nor has the event


def test_events_by_class_dates_an_event_without_its_own_date_by_its_article(dated_graph):
    # the same graph with no event dates (as a graph from elsewhere may be): each event then
    # counts as of its article's publication date
    undated = new_graph()
    undated.addN(quad for quad in dated_graph.quads((None, None, None, None)) if quad[1] != KGO.date)
    assert not by_class(undated, **{"class": "Disapprove"})[-1]["date"]
    assert acts(by_class(undated, **{"class": "Disapprove", "since": "2023-11-01"})) == {
        ("Turkey", "criticize"), ("Egypt", "condemn")}
    assert acts(by_class(undated, **{"class": "Disapprove", "until": "2023-10-31"})) == {
        ("Russia", "condemn"), ("Egypt", "accuse")}


def test_parameters_are_declared_by_the_values_line():
    query = kg.canned_query("events-by-class")
    assert [(p.name, p.default) for p in query_parameters(query)] == [
        ("class", "UNDEF"), ("since", "UNDEF"), ("until", "UNDEF")]
    assert [p.name for p in query_parameters(kg.canned_query("dyad-timeline"))] == ["source", "target"]
    assert query_parameters(kg.canned_query("who-did-what")) == []


def test_values_become_escaped_rdf_terms():
    bound = bind_parameters(kg.canned_query("dyad-timeline"), {"source": 'Russia" } ?x ?y ?z . {'})
    assert Literal('Russia" } ?x ?y ?z . {').n3() in bound
    assert 'VALUES (?source ?target) { ("Russia\\" } ?x ?y ?z . {" UNDEF) }' in bound
    dated = bind_parameters(kg.canned_query("events-by-class"), {"since": "2024-02", "until": "2024-02"})
    assert Literal("2024-02-01", datatype=XSD_DATE).n3() in dated
    assert Literal("2024-02-29", datatype=XSD_DATE).n3() in dated  # leap year: last day of the month


def test_class_expands_to_its_subclasses():
    classes = event_classes("Disapprove")
    assert classes[0] == KGO.Disapprove
    assert {KGO.CriticizeOrDenounce, KGO.Accuse, KGO.AccuseOfCrimeCorruption} <= set(classes)
    assert KGO.Consult not in classes
    assert event_classes("111") == [KGO.CriticizeOrDenounce]


def test_string_parameter_with_quotes_matches_nothing_and_breaks_nothing(example_graph):
    query = bind_parameters(kg.canned_query("dyad-timeline"), {"source": 'Russia" } ?x ?y ?z . {'})
    assert kg.run_query(example_graph, query).rows == []
    pair = bind_parameters(kg.canned_query("dyad-timeline"), {"source": "Russia", "target": "Hamas"})
    assert [str(row[3]) for row in kg.run_query(example_graph, pair).rows] == ["tell", "call on"]


@pytest.mark.parametrize("params,words", [
    ({"klass": "Disapprove"}, "unknown parameter 'klass'; this query takes: class, since, until"),
    ({"class": "Foo"}, "class 'Foo' is not an event class"),
    ({"class": "State"}, "class 'State' is not an event class"),
    ({"class": "999"}, "no such CAMEO code"),
    ({"since": "2023-13"}, "since '2023-13' is not a date"),
    ({"until": "last week"}, "until 'last week' is not a date"),
])
def test_bad_parameters_are_clear_errors(params, words):
    with pytest.raises(QueryError, match=words.replace("(", r"\(")):
        bind_parameters(kg.canned_query("events-by-class"), params)


def test_parameters_on_a_query_without_them():
    with pytest.raises(QueryError, match="declares no parameters"):
        bind_parameters(kg.canned_query("who-did-what"), {"since": "2023"})
    assert bind_parameters("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_assignments(["class"])


def test_cli_param(example_graph_path):
    run = [sys.executable, "-m", "kg", "query", str(example_graph_path), "--name"]
    done = subprocess.run([*run, "events-by-class", "--param", "class=Disapprove", "--format", "csv"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "published,date,class,cameo,source,action,target,negated,modality,sentence"
    assert {line.split(",")[4] for line in lines[1:]} == {"Benjamin Netanyahu", "Sergei Lavrov"}
    bad = subprocess.run([*run, "events-by-class", "--param", "class=Nope"], capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.startswith("kg: error: class 'Nope' is not an event class")
