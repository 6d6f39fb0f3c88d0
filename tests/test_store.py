"""Stores: the embedded Oxigraph store and a real Oxigraph server on loopback, against rdflib.

The canned queries give the same rows everywhere; adding an article twice or replacing it
never duplicates; an interrupted `kg build --store` keeps whole articles only.
"""
from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal

import kg
from kg.graph.mentions import EventIndex
from kg.cli import main
from kg.errors import QueryError
from kg.store.embedded import KEY_CACHE, next_batch
from kg.store import MemoryStore, OxigraphStore, RemoteStore, open_store
from kg.errors import StoreError
from kg.store.base import article_triples

from conftest import EXAMPLE, EXAMPLE_ID, ROOT

ARTICLES = [
    {"id": "talks-1", "date": "2023-11-02", "title": "Talks",
     "text": "Russia called on Hamas to release the hostages. Israel condemned Iran."},
    {"id": "talks-2", "date": "2023-11-03",
     "text": "Qatar met Hamas in Doha. Israel condemned Iran. Egypt urged Israel to accept a ceasefire."},
    {"id": "talks-3", "date": "2023-11-04",
     "text": "Turkey criticized Israel. The United States met Qatar."},
]


def kg_cli(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kg")


def value_rows(result: kg.QueryResult) -> list[tuple]:
    """Rows compared by value (Oxigraph writes 6.0 as 6), in a stable order."""
    rows = [tuple(None if t is None else (t.toPython() if isinstance(t, Literal) else str(t)) for t in row)
            for row in result.rows]
    return sorted(rows, key=repr)


def by_value(statements) -> set[tuple]:
    """Triples or quads with literals as values (Oxigraph writes the decimal 6.0 as 6)."""
    return {tuple(t.toPython() if isinstance(t, Literal) else t for t in st) for st in statements}


@pytest.fixture(scope="module")
def corpus_results(nlp) -> list[kg.ArticleResult]:
    articles = [kg.Article(id=a["id"], title=a.get("title"), text=a["text"], date=a["date"]) for a in ARTICLES]
    return list(kg.process_articles(articles))


@pytest.fixture(scope="module")
def all_results(example_results, corpus_results) -> list[kg.ArticleResult]:
    return [*example_results, *corpus_results]


@pytest.fixture(scope="module")
def oxigraph_store(tmp_path_factory, all_results):
    store = OxigraphStore(tmp_path_factory.mktemp("ox") / "store", create=True)
    store.add_results(all_results)
    yield store
    store.close()


def test_canned_queries_give_the_same_rows_on_the_embedded_store(oxigraph_store, all_results):
    memory = MemoryStore(kg.build_graph(all_results))
    for name in kg.list_queries():
        expected = memory.query(kg.canned_query(name))
        got = oxigraph_store.query(kg.canned_query(name))
        assert got.columns == expected.columns, name
        assert value_rows(got) == value_rows(expected), name
        assert got.rows, name
    # through the library entry point, as the CLI calls it
    assert kg.run_query(oxigraph_store, kg.canned_query("persons")).rows == \
        oxigraph_store.query(kg.canned_query("persons")).rows


# events-by-class narrowed by its parameters: still paged by article, in publication order
NARROWED = [("events-by-class", {"class": "Disapprove"}), ("events-by-class", {"since": "2023-11-03"}),
            ("events-by-class", {"class": "11", "until": "2023-11-03"}), ("dyad-balance", {}),
            ("dyad-timeline", {"target": "Hamas"})]


def test_a_first_page_is_the_first_rows_of_the_whole_result(oxigraph_store, all_results):
    memory = MemoryStore(kg.build_graph(all_results))
    paged = [name for name in kg.list_queries() if kg.store.paging.page_variable(kg.canned_query(name))]
    assert paged == kg.list_queries()
    # the example article has no date: its events come first, before the dated articles'
    reported = oxigraph_store.query(kg.canned_query("events-by-class")).rows
    assert reported[0][0] is None and reported[-1][0] is not None
    queries = [(name, kg.canned_query(name)) for name in kg.list_queries()]
    queries += [(f"{name} {params}", kg.bind_parameters(kg.canned_query(name), params)) for name, params in NARROWED]
    for name, sparql in queries:
        whole = oxigraph_store.query(sparql)
        assert not whole.more and whole.rows, name
        for limit in range(len(whole.rows) + 2):
            page = oxigraph_store.query(sparql, limit=limit)
            assert page.columns == whole.columns
            assert len(page.rows) == min(limit, len(whole.rows)) and page.more == (limit < len(whole.rows))
            # the same rows as the whole result's first ones
            assert value_rows(page) == value_rows(replace(whole, rows=whole.rows[:limit])), (name, limit)
        on_rdflib = memory.query(sparql, limit=3)
        assert len(on_rdflib.rows) == min(3, len(whole.rows)) and on_rdflib.more == (3 < len(whole.rows))


def test_paging_by_article_needs_the_order_it_declares(oxigraph_store):
    query = ("# page by ?article\nSELECT ?article ?n WHERE { ?s dcterms:isPartOf ?article ; "
             "kgo:sentenceIndex ?n } ORDER BY ")
    assert oxigraph_store.query(query + "?article ?n", limit=2).more
    with pytest.raises(QueryError, match="not ordered by it first"):
        oxigraph_store.query(query + "?n ?article", limit=2)
    with pytest.raises(QueryError, match="not ordered by it first"):
        oxigraph_store.query(query + "DESC(?article)", limit=2)
    rows = oxigraph_store.query(query + "ASC(?article) ?n", limit=1000).rows
    assert rows == oxigraph_store.query(query + "?article ?n").rows


def evaluations(store, monkeypatch) -> list[str]:
    """The SPARQL texts the embedded store evaluates from now on, recorded as it runs them."""
    seen: list[str] = []
    evaluate = store._evaluate

    def recorded(sparql, **options):
        seen.append(sparql)
        return evaluate(sparql, **options)

    monkeypatch.setattr(store, "_evaluate", recorded)
    return seen


def values_sizes(texts: list[str]) -> list[int]:
    """How many values each injected `VALUES ?var { ... }` line names."""
    sizes = []
    for text in texts:
        match = re.search(r"VALUES \?\w+ \{ (.*?) \}(?=\s*\n|\s*VALUES|\s*\?)", text)
        if match:
            sizes.append(len(re.findall(r'"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?|<[^>]*>', match.group(1))))
    return sizes


def batches(rows_per_key: list[int], needed: int) -> list[int]:
    """The sizes of the key batches (1, 2, 4, ..., see next_batch) read until `needed` rows are in hand."""
    sizes, done, got, size = [], 0, 0, 1
    while done < len(rows_per_key) and got < needed:
        size = min(size, len(rows_per_key) - done)
        got += sum(rows_per_key[done:done + size])
        sizes.append(size)
        done += size
        size = next_batch(size, done, got, needed)
    return sizes


def test_key_batches_double_until_the_rows_per_key_say_fewer_will_do():
    assert [next_batch(size, size * 2 - 1, 0, 101) for size in (1, 2, 4)] == [2, 4, 8]  # no rows yet
    assert next_batch(1, 1, 22, 101) == 2  # 22 rows a key: 4 more keys would do, but at most twice as many
    assert next_batch(2, 3, 66, 101) == 2  # 35 rows to go at 22 a key: 2 keys
    assert next_batch(32, 63, 63, 101) == 38  # one row a key: the 38 keys still needed, not 64
    assert next_batch(4, 7, 100, 101) == 1 and next_batch(4, 7, 300, 101) == 1


def test_paging_by_key_reads_the_first_keys_only(oxigraph_store, monkeypatch):
    sparql = kg.canned_query("dyad-timeline")
    assert kg.store.paging.page_keys(sparql) is not None
    whole = oxigraph_store.query(sparql)
    # every key the key query names, also a source none of whose events has a row (no target, no code)
    sources = sorted({str(row[0]) for row in oxigraph_store.query(kg.store.paging.page_keys(sparql)).rows})
    per_source = [sum(1 for row in whole.rows if str(row[0]) == source) for source in sources]
    seen = evaluations(oxigraph_store, monkeypatch)
    for limit in (1, 3, len(whole.rows) // 2, len(whole.rows)):
        seen.clear()
        page = oxigraph_store.query(sparql, limit=limit)
        # the key query, then the rows of 1, 2, 4, ... sources (or fewer) until limit + 1 rows are read
        assert "SELECT DISTINCT ?source" in seen[0]  # source names: put in order by kg, not the store
        assert values_sizes(seen[1:]) == batches(per_source, limit + 1), limit
        assert value_rows(page) == value_rows(replace(whole, rows=whole.rows[:limit]))
        assert page.more == (limit < len(whole.rows))
    assert len(batches(per_source, 2)) < len(batches(per_source, len(whole.rows)))  # fewer for a first page
    # narrowed by a parameter, most sources give nothing: still few evaluations, same rows
    narrowed = kg.bind_parameters(sparql, {"target": "Hamas"})
    seen.clear()
    page = oxigraph_store.query(narrowed, limit=100)
    assert len(seen) - 1 <= len(sources).bit_length()
    assert value_rows(page) == value_rows(oxigraph_store.query(narrowed)) and page.rows


def test_paging_by_key_checks_its_declaration(oxigraph_store, tmp_path):
    query = ("# page by ?label in { ?actor a kgo:State ; rdfs:label ?label }\n"
             "SELECT ?label ?country WHERE { ?a a kgo:State ; rdfs:label ?label ; kgo:country ?country } ORDER BY ")
    page = oxigraph_store.query(query + "?label", limit=2)
    assert [str(r[0]) for r in page.rows] == sorted(str(r[0]) for r in oxigraph_store.query(query + "?label").rows)[:2]
    with pytest.raises(QueryError, match="not ordered by it first"):
        oxigraph_store.query(query + "?country ?label", limit=2)
    with pytest.raises(QueryError, match="only a SELECT"):
        kg.store.paging.with_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "s", ["<urn:x>"])
    # keys that are blank nodes cannot be named in VALUES: the query is then read whole
    with OxigraphStore(tmp_path / "bnodes", create=True) as store:
        store.update('INSERT DATA { _:a rdfs:label "a" . _:b rdfs:label "b" . _:c rdfs:label "c" }')
        paged = "# page by ?s in { ?s rdfs:label ?l }\nSELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s"
        first = store.query(paged, limit=2)
        assert len(first.rows) == 2 and first.more
        assert sorted(str(r[0]) for r in store.query(paged).rows) == ["a", "b", "c"]
        # plain-string keys are put in order by kg: the same order as the store's ORDER BY
        names = ["Zagreb", "Ärzte", "zebra", "Éire", "apple", "Åland", "Łódź", "東京", "Z"]
        store.update("INSERT DATA { " + " ".join(f'<urn:n{i}> rdfs:label "{n}" .' for i, n in enumerate(names)) + " }")
        ordered = "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(isIRI(?s)) } ORDER BY ?l"
        by_key = store.query("# page by ?l in { ?s rdfs:label ?l FILTER(isIRI(?s)) }\n" + ordered, limit=len(names))
        assert [str(r[0]) for r in by_key.rows] == [str(r[0]) for r in store.query(ordered).rows] == sorted(names)


BY_PUBLICATION = ("# page by ?article in { ?article a kgo:Article OPTIONAL { ?article dcterms:date ?published } }\n"
                  "SELECT ?published ?article ?n WHERE { ?s dcterms:isPartOf ?article ; kgo:sentenceIndex ?n "
                  "OPTIONAL { ?article dcterms:date ?published } } ORDER BY ")


def test_paging_by_key_in_the_order_of_variables_the_keys_bind(oxigraph_store, monkeypatch):
    query = BY_PUBLICATION + "?published ?article ?n"
    assert kg.store.paging.page_order(query) == ["published", "article"]
    assert "SELECT DISTINCT ?article ?published WHERE" in kg.store.paging.page_keys(query)
    whole = oxigraph_store.query(query)
    published = [row[0] for row in whole.rows]
    assert published[0] is None and published[-1] is not None  # the undated example article first
    seen = evaluations(oxigraph_store, monkeypatch)
    for limit in (1, 5, len(whole.rows) // 2, len(whole.rows)):
        seen.clear()
        page = oxigraph_store.query(query, limit=limit)
        assert page.rows == whole.rows[:limit] and page.more == (limit < len(whole.rows))  # same order too
        assert "SELECT DISTINCT ?article ?published" in seen[0]  # the keys first
        assert not any(text.endswith("ORDER BY ?published ?article") for text in seen)  # put in order by kg
    # the leading variables must be bound by the key pattern and end with the paging variable,
    # each ascending
    for order, words in [("?n ?article", "its ORDER BY begins with \\?n, which the key pattern does not bind"),
                         ("?published ?n ?article", "begins with \\?n, which the key pattern does not bind"),
                         ("DESC(?published) ?article", "not ordered by it first"),
                         ("?published DESC(?article)", "not ordered by it first"),
                         ("?published", "not ordered by it first")]:
        with pytest.raises(QueryError, match=words):
            oxigraph_store.query(BY_PUBLICATION + order, limit=2)
    article_only = "# page by ?article\n" + BY_PUBLICATION.split("\n", 1)[1]
    with pytest.raises(QueryError, match="paging by article cannot order by"):
        oxigraph_store.query(article_only + "?published ?article ?n", limit=2)


def test_keys_are_put_in_the_stores_order(tmp_path, monkeypatch):
    """The keys kg sorts itself (IRIs, plain strings, days) come in the store's ORDER BY order;
    a column it cannot be sure of (a month among days) is sorted by the store."""
    dates = ['"2023-11-02"^^xsd:date', None, '"2023-01-15"^^xsd:date', '"2023-11-02"^^xsd:date',
             '"2022-12-31"^^xsd:date', None]
    iris = ["urn:b", "urn:Z", "urn:\u00e4", "http://x/\u00e9", "urn:a", "urn:a1"]
    with OxigraphStore(tmp_path / "dates", create=True) as store:
        def insert(iri, date, n):
            published = f" ; dcterms:date {date}" if date else ""
            store.update(f"INSERT DATA {{ <{iri}> a kgo:Article{published} . "
                         f"<{iri}#s> dcterms:isPartOf <{iri}> ; kgo:sentenceIndex {n} }}")
        for n, (iri, date) in enumerate(zip(iris, dates)):
            insert(iri, date, n)
        query = BY_PUBLICATION + "?published ?article ?n"
        seen = evaluations(store, monkeypatch)
        for kg_sorts in (True, False):
            whole = store.query(query.split("\n", 1)[1])  # without the paging line: the store's order
            assert len(whole.rows) == len(iris) + (not kg_sorts)
            for limit in range(1, len(whole.rows) + 1):
                seen.clear()
                assert store.query(query, limit=limit).rows == whole.rows[:limit], limit
                assert any(text.endswith("ORDER BY ?published ?article") for text in seen) != kg_sorts
            insert("urn:m", '"2023-06"^^xsd:gYearMonth', 9)  # a month: the store sorts the keys


def test_a_read_only_store_keeps_the_keys_of_paged_queries_until_it_is_written(tmp_path, corpus_results,
                                                                                monkeypatch):
    first, second, third = corpus_results
    location = tmp_path / "s"
    with OxigraphStore(location, create=True) as store:
        store.add_results([first, second])
    sparql = kg.canned_query("dyad-balance")

    def first_page() -> tuple[list[tuple], bool]:
        """dyad-balance's first rows on the store opened read-only, as kg query and kg serve
        open it, and whether the source names were listed from the store."""
        with OxigraphStore(location, read_only=True) as store:
            seen = evaluations(store, monkeypatch)
            rows = value_rows(store.query(sparql, limit=100))
        return rows, any("SELECT DISTINCT ?source" in text for text in seen)

    def expected(results) -> list[tuple]:
        return value_rows(MemoryStore(kg.build_graph(results)).query(sparql))

    assert first_page() == (expected([first, second]), True)
    assert (location / KEY_CACHE).is_file()
    assert first_page() == (expected([first, second]), False)  # the same names, kept
    # a new article with new sources: the names are listed again, and theirs are in them
    with OxigraphStore(location) as store:
        assert not (location / KEY_CACHE).exists()
        store.add_result(third)
    rows, listed = first_page()
    assert listed and rows == expected(corpus_results)
    assert {"Turkey", "United States"} <= {row[0] for row in rows} - {row[0] for row in expected([first, second])}
    assert first_page() == (rows, False)
    # names kept for another state of the store, or a damaged cache, are not used
    saved = json.loads((location / KEY_CACHE).read_text(encoding="utf-8"))
    (entry, names), = saved["keys"].items()
    for damaged in ({"state": "another", "keys": {entry: ['"Turkey"']}}, {"state": saved["state"], "keys": []},
                    {"state": saved["state"], "keys": {entry: [1, 2]}}, "not JSON {"):
        (location / KEY_CACHE).write_text(damaged if isinstance(damaged, str) else json.dumps(damaged))
        assert first_page() == (rows, True)
    # a cache that cannot be written is no cache: the query still answers
    (location / KEY_CACHE).unlink()
    (location / KEY_CACHE).mkdir()
    assert first_page() == (rows, True) and first_page() == (rows, True)


def test_values_go_at_the_start_of_the_where_clause():
    sparql = ('PREFIX ex: <http://example.org/#>\n# a comment { with braces }\n'
              'SELECT ?s WHERE { ?s ex:p "a { b" . ?s ex:q ?o } ORDER BY ?s')
    bound = kg.store.paging.with_values(sparql, "s", ["<urn:a>", '"x"'])
    assert bound == sparql.replace('WHERE { ?s ex:p', 'WHERE { VALUES ?s { <urn:a> "x" } ?s ex:p')


def test_rdflib_joins_give_the_same_rows_as_rdflib_own(all_results, monkeypatch):
    """kg's join of sub-queries on rdflib (kg.graph.sparql.hash_join) against rdflib's own, on real
    extractions: every shipped query, and joins whose shared variables are not always bound."""
    from rdflib.plugins.sparql import CUSTOM_EVALS

    graph = kg.build_graph(all_results)
    kg.run_query(graph, "ASK {}")  # kg registers its join when it first parses a query
    assert CUSTOM_EVALS["kg_hash_join"] is kg.graph.sparql.hash_join
    handled = []

    def spied(ctx, part):
        result = kg.graph.sparql.hash_join(ctx, part)  # NotImplementedError: rdflib's own evaluation
        handled.append((part.p2.name if part.name == "Join" else part.name, part))
        return result

    partial = """SELECT ?e ?t ?a WHERE {
      { SELECT ?e ?t WHERE { { SELECT ?e WHERE { ?e kgo:action ?x } } { SELECT ?e WHERE { ?e kgo:negated ?n } }
                             OPTIONAL { ?e kgo:target ?t } } }
      { SELECT ?e ?t ?a WHERE { ?e kgo:action ?a OPTIONAL { ?e kgo:object ?t } } } }"""
    # MINUS of rows whose shared variables are not always bound (?t), and of rows sharing none
    minus = """SELECT ?e ?t WHERE {
      { SELECT ?e ?t WHERE { { SELECT ?e WHERE { ?e kgo:action ?x } } OPTIONAL { ?e kgo:target ?t } } }
      MINUS { SELECT ?e ?t WHERE { ?e kgo:cameoCode ?c FILTER(STRSTARTS(?c, "11")) OPTIONAL { ?e kgo:object ?t } } } }"""
    disjoint = "SELECT ?e WHERE { { SELECT ?e WHERE { ?e kgo:action ?x } } MINUS { ?s kgo:text ?text } }"
    queries = [kg.canned_query(name) for name in kg.list_queries()] + [partial, minus, disjoint]
    monkeypatch.setitem(CUSTOM_EVALS, "kg_hash_join", spied)
    ours = [kg.run_query(graph, q) for q in queries]
    assert {"BGP", "ToMultiSet", "Minus"} <= {name for name, _ in handled}  # every way was used
    monkeypatch.delitem(CUSTOM_EVALS, "kg_hash_join")
    for query, got in zip(queries, ours):
        expected = kg.run_query(graph, query)
        assert sorted(map(repr, got.rows)) == sorted(map(repr, expected.rows)), query[:80]
    assert ours[-3].rows and any(row[1] is None for row in ours[-3].rows)
    assert ours[-2].rows and len(ours[-2].rows) < len(kg.run_query(graph, minus.split("MINUS")[0] + "}").rows)
    assert ours[-1].rows


def test_kgs_join_acts_in_kgs_own_queries_only(all_results, monkeypatch):
    """rdflib's query engine is not patched for everyone: kg's join, registered once, handles
    the parts of kg's own queries, never those of a query run on rdflib directly."""
    from rdflib.plugins.sparql import CUSTOM_EVALS

    graph = kg.build_graph(all_results)
    kg.run_query(graph, "ASK {}")
    handled = []

    def spied(ctx, part):
        result = kg.graph.sparql.hash_join(ctx, part)  # NotImplementedError: rdflib's own evaluation
        handled.append(part.name)
        return result

    monkeypatch.setitem(CUSTOM_EVALS, "kg_hash_join", spied)
    query = ("PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#>\n"
             "SELECT ?e WHERE { { SELECT ?e WHERE { ?e kgo:action ?x } } MINUS { ?s kgo:text ?text } }")
    theirs = sorted(map(repr, (tuple(row) for row in graph.query(query))))
    assert handled == []
    ours = sorted(map(repr, kg.run_query(graph, query).rows))
    assert handled and ours == theirs


def test_statements_shared_by_articles_are_seen_once(oxigraph_store):
    # Israel is named in all four articles: its label is in each graph, once in the union
    labels = oxigraph_store.query(
        "SELECT ?l (COUNT(*) AS ?n) WHERE { <https://w3id.org/kg-diplomacy/resource/actor/israel> "
        "rdfs:label ?l } GROUP BY ?l")
    assert [(str(r[0]), int(r[1])) for r in labels.rows] == [("Israel", 1)]
    graphs = oxigraph_store.query(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?a rdfs:label \"Israel\" } }")
    assert int(graphs.rows[0][0]) == 4  # the example article and the three talks


def test_adding_again_or_replacing_an_article_never_duplicates(tmp_path, corpus_results):
    first, second, _ = corpus_results
    with OxigraphStore(tmp_path / "s", create=True) as store:
        store.add_results([first, second])
        quads = len(store.to_dataset())
        store.add_results([first, second, first])
        assert len(store.to_dataset()) == quads
        assert store.has_article("talks-1") and not store.has_article("talks-3")
        # a new version of talks-1 without its events: its old event triples go, shared ones stay
        store.add_result(replace(first, events=[]))
        assert store.query("ASK { ?e kgo:target <https://w3id.org/kg-diplomacy/resource/actor/hamas> ; "
                           "kgo:action \"call on\" }").boolean is False
        assert store.query("ASK { ?e kgo:action \"condemn\" }").boolean is True  # still in talks-2
        assert store.query("ASK { ?e kgo:action \"call on\" }").boolean is False
        dataset = store.to_dataset()
    name, triples = article_triples(replace(first, events=[]))
    assert by_value(dataset.graph(name)) == by_value(triples)


def test_a_store_is_compacted_after_a_session_that_wrote_much_of_it(tmp_path, corpus_results, monkeypatch):
    monkeypatch.setattr(kg.store.embedded, "COMPACT_AFTER", 2)
    compacted = []

    class Watched:  # the pyoxigraph store, with its optimize() calls recorded
        def __init__(self, store):
            self.store = store

        def __getattr__(self, name):
            return getattr(self.store, name)

        def optimize(self):
            compacted.append(True)
            self.store.optimize()

    monkeypatch.setattr(kg.store.embedded, "COMPACT_SHARE", 0.5)
    # sessions writing: 1 article (too few), 3 (all), 1 again (too few), 2 of 3 (over half)
    for results, compacts in ((corpus_results[:1], False), (corpus_results, True),
                              (corpus_results[:1], False), (corpus_results[1:], True)):
        compacted.clear()
        store = OxigraphStore(tmp_path / "s", create=True)
        store._store = Watched(store._store)
        store.add_results(results)
        store.close()
        assert compacted == ([True] if compacts else [])
    with OxigraphStore(tmp_path / "s", read_only=True) as store:
        assert len(store.to_dataset()) == len(kg.build_graph(corpus_results))


def test_store_round_trips_to_the_same_graph_as_rdflib(oxigraph_store, all_results):
    expected = kg.build_graph(all_results)
    got = oxigraph_store.to_dataset()
    assert {g.identifier for g in got.graphs()} == {g.identifier for g in expected.graphs()}
    assert len(got) == len(expected)
    assert by_value(got.quads()) == by_value(expected.quads())


def test_query_refusals_and_errors_match_rdflib(oxigraph_store):
    with pytest.raises(QueryError, match="SERVICE"):
        oxigraph_store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="syntax error at line 1"):
        oxigraph_store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="Update is not supported"):
        oxigraph_store.query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="syntax error"):
        oxigraph_store.query("SELECT * WHERE { ?s ?p ?o } ORDER")
    assert not oxigraph_store.query("SELECT * FROM <http://example.org/nothing> WHERE { ?s ?p ?o }").rows
    assert oxigraph_store.query("SELECT ?service WHERE { ?service a kgo:Person }").rows  # not the keyword
    with pytest.raises(kg.errors.ResultTooLarge, match="more than 5 rows"):
        oxigraph_store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    construct = oxigraph_store.query("CONSTRUCT { ?a a kgo:Person } WHERE { ?a a kgo:Person }")
    assert construct.kind == "graph" and len(construct.graph) == 8


def test_service_hidden_by_punctuation_or_escapes_is_refused_on_the_store_and_nothing_is_sent(oxigraph_store):
    """`kg query STORE`: Oxigraph would send the request itself; rdflib's algebra finds SERVICE
    wherever it is, however written (a dot before it, a comment, \\u escapes, any case)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    forms = [f"SELECT * WHERE {{ ?s ?p ?o .SERVICE <{url}> {{ ?a ?b ?c }} }}",
             f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?p ?o .sErViCe SILENT <{url}> {{ ?s ?b ?c }} }} }}",
             f"ASK {{ ?s ?p ?o FILTER EXISTS {{ ?s ?p ?o .SERVICE#x\n<{url}> {{ ?s ?b ?c }} }} }}",
             f"DESCRIBE ?s WHERE {{ ?s ?p ?o .\\u0053ERVICE <{url}> {{ ?s ?b ?c }} }}"]
    try:
        for query in forms:
            with pytest.raises(QueryError, match="SERVICE"):
                oxigraph_store.query(query)
        with pytest.raises(socket.timeout):
            listener.accept()  # no connection was made
    finally:
        listener.close()
    assert kg.graph.sparql.mentions_service("SELECT * { ?s ?p ?o .\\u005Cu0053ERVICE <x> {} }")
    assert not kg.graph.sparql.mentions_service("SELECT * { ?s ?p ?o . ?s kgo:serves ?o }")


def test_an_embedded_store_is_not_opened_twice_for_writing(oxigraph_store, tmp_path):
    with pytest.raises(StoreError, match="cannot open the store"):
        OxigraphStore(oxigraph_store.location)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a kg store"):
        open_store(tmp_path, create=True)
    assert (tmp_path / "notes.txt").read_text() == "mine" and len(list(tmp_path.iterdir())) == 1


# ---------------------------------------------------------------- the CLI on a store

def test_cli_build_query_export_stats_viz_on_a_store(tmp_path):
    store = tmp_path / "store"
    built = kg_cli("build", EXAMPLE, "--store", store)
    assert built.exit_code == 0, built.output
    assert "articles: 1" in built.output and f"store: {store}" in built.output
    assert kg_cli("build", EXAMPLE, "--store", store).exit_code == 0  # idempotent
    persons = kg_cli("query", store, "--name", "persons", "--format", "json")
    assert persons.exit_code == 0, persons.output
    names = {b["person"]["value"] for b in json.loads(persons.output)["results"]["bindings"]}
    assert {"Mikhail Bogdanov", "Mousa Abu Marzouk"} <= names
    trig = kg_cli("export", store, "--format", "trig")
    ds = Dataset()
    ds.parse(data=trig.output, format="trig")
    assert [str(g.identifier) for g in ds.graphs() if len(g)] == [kg.vocab.article_iri(EXAMPLE_ID)]
    stats = kg_cli("stats", store, "--format", "json")
    assert json.loads(stats.output)["articles"] == 1
    view = kg_cli("viz", store, "-o", tmp_path / "view.html")
    assert view.exit_code == 0 and (tmp_path / "view.html").stat().st_size > 1000


def test_cli_query_shows_a_first_page_and_says_there_is_more(oxigraph_store):
    runner = CliRunner()
    every = kg.run_query(oxigraph_store, kg.canned_query("who-did-what")).rows
    paged = runner.invoke(main, ["query", oxigraph_store.location, "--name", "who-did-what", "--limit", "3"])
    assert paged.exit_code == 0, paged.output
    assert paged.stdout.rstrip().endswith("(the first 3 rows; there are more)")
    assert "only the first 3 rows are shown" in paged.stderr and "--limit 0" in paged.stderr
    whole = runner.invoke(main, ["query", oxigraph_store.location, "--name", "who-did-what", "--limit", "0"])
    assert whole.stdout.rstrip().endswith(f"({len(every)} rows)") and not whole.stderr
    csv_rows = runner.invoke(main, ["query", oxigraph_store.location, "--name", "who-did-what", "--format", "csv"])
    assert len(csv_rows.stdout.splitlines()) == len(every) + 1 and not csv_rows.stderr  # csv and json: all rows
    assert runner.invoke(main, ["query", oxigraph_store.location, "--name", "persons", "--limit", "-1"]).exit_code == 2


# spaCy, the network and HTML views, SHACL, and rdflib's SPARQL engine (a store runs its own)
HEAVY_MODULES = ("spacy", "thinc", "networkx", "pyvis", "jinja2", "pyshacl", "rdflib.plugins.sparql", "pyparsing")


@pytest.mark.parametrize("args", [["query", "{store}", "--name", "who-did-what", "--limit", "3"],
                                  ["export", "{store}", "--format", "ttl"],
                                  ["--help"]])
def test_commands_that_read_a_store_start_without_the_parsing_and_viewing_stack(tmp_path, corpus_results, args):
    with OxigraphStore(tmp_path / "store", create=True) as store:
        store.add_results(corpus_results)
    args = [a.format(store=tmp_path / "store") for a in args]
    script = ("import sys\nfrom kg.cli import main\n"
              f"try:\n    main({args!r}, prog_name='kg')\nexcept SystemExit as done:\n    code = done.code\n"
              f"print('exit', code, sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.rstrip().endswith("exit 0 []"), done.stdout[-500:] + done.stderr
    if args[0] == "query":
        assert "Qatar" in done.stdout and "meet" in done.stdout
    if args[0] == "export":
        assert "kgo:Article" in done.stdout


def test_cli_store_errors_are_one_line(tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "keep.txt").write_text("x")
    for args, fragment in ((["query", tmp_path / "dir", "--name", "persons"], "not a kg store"),
                           (["query", tmp_path / "missing", "--name", "persons"], "not found"),
                           (["build", EXAMPLE, "--store", tmp_path / "s", "-o", tmp_path / "o"], "not both"),
                           (["build", EXAMPLE, "--store", tmp_path / "dir"], "not a kg store")):
        result = kg_cli(*args)
        assert result.exit_code != 0
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: error:") and fragment in lines[0], result.stderr
    assert not (tmp_path / "o").exists() and sorted(p.name for p in (tmp_path / "dir").iterdir()) == ["keep.txt"]


def quads_of(result: kg.ArticleResult) -> int:
    """The statements a new article adds to a batch of the embedded store (its graph and union copy)."""
    return 2 * len(article_triples(result)[1])


def test_a_store_commits_new_articles_in_batches(tmp_path, corpus_results, monkeypatch):
    first, second, third = corpus_results
    monkeypatch.setattr(kg.store.embedded, "BATCH_QUADS", quads_of(first) + 1)  # a batch of two articles
    fourth = replace(second, article=replace(second.article, id="talks-4"))
    with OxigraphStore(tmp_path / "s", create=True) as store:
        in_database = lambda r: store._store.contains_named_graph(ox.NamedNode(kg.vocab.article_iri(r.article.id)))
        store.add_result(first)
        assert store.has_article("talks-1") and not in_database(first)  # in the batch, not yet loaded
        assert (tmp_path / "s" / f"{kg.store.embedded.JOURNAL}.tmp").is_file()  # written to a file as it grows
        store.add_result(second)  # the batch is full: committed
        assert in_database(first) and in_database(second)
        store.add_result(third)
        store.add_result(replace(third, events=[]))  # a new version of an article in the batch
        assert in_database(third)  # the batch went first
        assert store.query("ASK { ?e kgo:source ?a ; prov:wasDerivedFrom/dcterms:isPartOf ?art . "
                           "?art dcterms:identifier \"talks-3\" }").boolean is False
        store.add_result(replace(first, events=[]))  # in the store: replaced at once
        store.add_result(first)
        monkeypatch.setattr(kg.store.embedded, "BATCH_SECONDS", 0.0)  # a batch open that long is committed
        store.add_result(fourth)
        assert in_database(fourth)
    expected = kg.build_graph([first, second, replace(third, events=[]), fourth])
    with OxigraphStore(tmp_path / "s", read_only=True) as store:
        assert by_value(store.to_dataset().quads()) == by_value(expected.quads())
        israel = "SELECT (COUNT(*) AS ?n) WHERE { ?a rdfs:label \"Israel\" }"  # in 2 graphs, once in the union
        assert int(store.query(israel).rows[0][0]) == 1


def test_a_batch_holds_each_statement_of_the_union_once(tmp_path, corpus_results, monkeypatch):
    first, second, _ = corpus_results
    monkeypatch.setattr(kg.store.embedded, "BATCH_QUADS", 10 ** 9)
    label = '<http://www.w3.org/2000/01/rdf-schema#label> "Israel"'
    with OxigraphStore(tmp_path / "s", create=True) as store:
        store.add_result(first)
        store.add_result(second)
        store._batch.flush()
        lines = (tmp_path / "s" / f"{kg.store.embedded.JOURNAL}.tmp").read_text(encoding="utf-8").splitlines()
        israel = [line for line in lines if label in line]
        assert len(israel) == 3  # in each article's graph, and once in the union
        assert sum(1 for line in israel if line.endswith('"Israel" .')) == 1
    expected = kg.build_graph([first, second])
    with OxigraphStore(tmp_path / "s", read_only=True) as store:
        assert by_value(store.to_dataset().quads()) == by_value(expected.quads())
        triples = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
        assert int(triples) == len({(s, p, o) for s, p, o, _ in expected.quads()})  # the union: each statement once


class FailingLoads:
    """A pyoxigraph store whose bulk loads fail, as on a full disk."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def bulk_load(self, **_):
        raise OSError("No space left on device")


def test_a_committed_batch_whose_load_failed_is_loaded_when_the_store_next_opens(tmp_path, corpus_results):
    store = OxigraphStore(tmp_path / "s", create=True)
    store._store = FailingLoads(store._store)
    store.add_results(corpus_results)
    with pytest.raises(StoreError, match=r"No space left on device \(the articles are kept in .*kg-batch.nq"):
        store.close()
    journal = tmp_path / "s" / kg.store.embedded.JOURNAL
    assert journal.is_file()
    (tmp_path / "s" / f"{kg.store.embedded.JOURNAL}.tmp").write_text("<urn:cut> <urn:short")  # a journal never finished
    result = kg_cli("query", tmp_path / "s", "SELECT ?id WHERE { ?a dcterms:identifier ?id } ORDER BY ?id",
                    "--format", "csv")  # read-only, as kg export and kg serve open it
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["id", "talks-1", "talks-2", "talks-3"]
    assert not journal.exists() and not (tmp_path / "s" / f"{kg.store.embedded.JOURNAL}.tmp").exists()
    with OxigraphStore(tmp_path / "s", read_only=True) as reopened:
        assert by_value(reopened.to_dataset().quads()) == by_value(kg.build_graph(corpus_results).quads())


class FailingWrites:
    """A batch file whose writes fail, as on a full disk."""

    def __init__(self, file):
        self.file = file

    def writelines(self, lines):
        raise OSError(28, "No space left on device")

    def close(self):
        self.file.close()


def test_a_batch_that_cannot_be_written_is_dropped_whole(tmp_path, corpus_results):
    first, second, third = corpus_results
    with OxigraphStore(tmp_path / "s", create=True) as store:
        store.add_result(first)
        store.commit()
        store.add_result(second)  # in the batch file
        store._batch = FailingWrites(store._batch)
        with pytest.raises(StoreError, match=r"cannot write to the store .*: No space left on device"):
            store.add_result(third)
        assert not (tmp_path / "s" / f"{kg.store.embedded.JOURNAL}.tmp").exists()
        assert store.has_article("talks-1") and not store.has_article("talks-2") and not store.has_article("talks-3")
        store.add_result(third)  # the disk has room again: a new batch
    with OxigraphStore(tmp_path / "s", read_only=True) as store:
        assert by_value(store.to_dataset().quads()) == by_value(kg.build_graph([first, third]).quads())


def test_an_interrupted_build_keeps_whole_articles_only(tmp_path, corpus_results):
    """Kill `kg build --store` after its first batches: the store keeps them, and has complete articles only."""
    texts = [a["text"] for a in ARTICLES]
    total, batch = 400, 50
    lines = [json.dumps({"id": f"a{i:03d}", "date": "2023-11-01", "text": texts[i % 3] + f" Article {i}."})
             for i in range(total)]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n")
    store = tmp_path / "store"
    # the kg command, with batches of about `batch` of these articles instead of the default's hundreds
    quads = batch * sum(quads_of(r) for r in corpus_results) // len(corpus_results)
    kg_with_batches = ("import sys, kg.store; kg.store.embedded.BATCH_QUADS = int(sys.argv[1]); "
                       "from kg.cli import main; main(sys.argv[2:], prog_name='kg')")
    proc = subprocess.Popen([sys.executable, "-c", kg_with_batches, str(quads), "build", corpus, "--store", store,
                             "--progress"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, cwd=ROOT)
    seen, done = b"", 0
    deadline = time.monotonic() + 120
    while done < 2 * batch + 10 and proc.poll() is None and time.monotonic() < deadline:
        seen += proc.stderr.read1(4096)
        done = max([int(n) for n in re.findall(rb"(\d+)/%d\b" % total, seen)] or [0])
    workers = child_processes(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 2 * batch + 10 <= done < total, seen[-300:]
    assert workers  # the build parses in a worker process ...
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # ... which ends with it
    expected = {article.id: article for article in kg.read_articles([corpus])}
    with OxigraphStore(store) as opened:
        dataset = opened.to_dataset()
        present = [aid for aid in expected if opened.has_article(aid)]
    assert batch <= len(present) < total
    results = {r.article.id: r for r in kg.process_articles(expected[aid] for aid in present)}
    index = EventIndex()  # the articles repeat each other's events: later ones hold mentions (kg.graph.mentions)
    for aid in present:
        name, triples = article_triples(results[aid], index=index)
        assert by_value(dataset.graph(name)) == by_value(triples), aid


def child_processes(pid: int) -> list[int]:
    """The ids of the live processes whose parent is `pid` (from /proc)."""
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            children.append(int(status.parent.name))
    return children


# ---------------------------------------------------------------- a real Oxigraph server

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    """Start `oxigraph serve` on a free loopback port; yields a function (extra args) -> base URL."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "the oxigraph server (PyPI package oxigraph, test extra) is not installed"
    procs = []

    def start(*extra: str) -> str:
        port = free_port()
        proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / f"db{len(procs)}"),
                                 "--bind", f"127.0.0.1:{port}", *extra],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                return url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph server did not start")

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def test_remote_store_through_the_graph_store_protocol(oxigraph_server, all_results):
    url = oxigraph_server("--union-default-graph")
    store = open_store(url)
    assert isinstance(store, RemoteStore) and store.graph_store_url == f"{url}/store"
    store.add_results(all_results)
    store.add_results(all_results[:2])  # PUT replaces: no duplicates
    assert store.has_article(EXAMPLE_ID) and not store.has_article("nothing")
    expected = kg.build_graph(all_results)
    assert len(store.to_dataset()) == len(expected)
    # `kg query URL/query` through the CLI: the same rows as rdflib, though Oxigraph's union
    # default graph repeats a statement once per article graph that has it
    result = kg_cli("query", f"{url}/query", "--name", "persons", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {tuple(sorted((k, v["value"]) for k, v in b.items()))
            for b in json.loads(result.output)["results"]["bindings"]}
    expected_rows = kg.run_query(expected, kg.canned_query("persons"))
    assert rows == {tuple(sorted((c, str(v)) for c, v in zip(expected_rows.columns, row) if v is not None))
                    for row in expected_rows.rows}
    assert store.query("ASK { ?s kgo:action \"meet\" }").boolean is True
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_remote_store_through_sparql_update_matches_rdflib(oxigraph_server, all_results):
    url = oxigraph_server()
    built = kg_cli("build", EXAMPLE, "--store", f"{url}/update")
    assert built.exit_code == 0, built.output
    store = open_store(f"{url}/update")
    assert store.writes_with_update and store.query_url == f"{url}/query"
    store.add_results(all_results)  # the example again (replaced) and three more
    memory = MemoryStore(kg.build_graph(all_results))
    for name in kg.list_queries():
        assert value_rows(store.query(kg.canned_query(name))) == \
            value_rows(memory.query(kg.canned_query(name))), name
    construct = store.query("CONSTRUCT { ?a a kgo:Person } WHERE { ?a a kgo:Person }")
    assert len(construct.graph) == 8


def test_an_unreachable_remote_store_is_one_clear_error():
    result = kg_cli("query", f"http://127.0.0.1:{free_port()}/query", "--name", "persons")
    assert result.exit_code != 0
    assert result.stderr.startswith("kg: error: cannot reach the store") and len(result.stderr.splitlines()) == 1
