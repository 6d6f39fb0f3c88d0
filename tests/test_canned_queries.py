"""The queries shipped in ontology/queries/ return the expected rows on the example graph."""
from __future__ import annotations

import kg


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
    assert persons["Moussa Abu Marzouk"] == ("Deputy Chairman", "PSE", "Hamas")
    assert persons["Benjamin Netanyahu"][:2] == ("Prime Minister", "ISR")


def test_actors_by_type_counts_initiated_events(example_graph):
    table = {(row[0], row[1]): int(row[3]) for row in rows(example_graph, "actors-by-type")}
    assert table[("Person", "Mikhail Bogdanov")] == 8
    assert table[("State", "Russia")] >= 6
    assert ("ArmedGroup", "Hamas") in table and ("MediaOrganization", "TASS") in table


def test_appeals_name_addressee_and_subject_matter(example_graph):
    appeals = rows(example_graph, "appeals")
    assert ("Russia", "call on", "Hamas") in {row[:3] for row in appeals}
    assert any(row[:2] == ("Russia", "call for") and row[3] == "cessation of hostilities" for row in appeals)
    assert all(row[4][:2] in {"02", "10"} for row in appeals)


def test_evidence_gives_the_sentence_behind_each_edge(example_graph):
    evidence = {(row[0], row[1], row[2]): row[3] for row in rows(example_graph, "evidence")}
    assert evidence[("Sergei Lavrov", "condemn", "Hamas")].startswith("Although Foreign Minister Sergei Lavrov condemned")
    assert evidence[("Hamas", "release", "Roni Krivoi")].endswith("as a gesture of goodwill to Russia.")


def test_dyad_balance_sums_goldstein_by_quad_class(example_graph):
    balance = {(row[0], row[1]): row[2:] for row in rows(example_graph, "dyad-balance")}
    # Russia told and called on Hamas: two appeals, Goldstein +3.0 each, verbal cooperation
    assert balance[("Russia", "Hamas")] == ("6.0", "2", "2", "0", "0", "0")
    assert balance[("Benjamin Netanyahu", "Vladimir Putin")] == ("-2.0", "1", "0", "0", "1", "0")


def test_dyad_timeline_lists_each_pair_with_evidence(example_graph):
    timeline = [row for row in rows(example_graph, "dyad-timeline") if row[:2] == ("Sergei Lavrov", "Hamas")]
    assert [(row[3], row[4]) for row in timeline] == [("condemn", "111")]
