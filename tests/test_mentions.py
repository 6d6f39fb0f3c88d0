"""One event, many reports (kg.graph.mentions): three articles of our own that report the same
meeting give one event with three mentions, in files, in a store, and in a store built one
article at a time; each mention keeps its sentence, article and confidence."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

import kg
from kg.cli import main
from kg.views.event_table import graph_rows
from kg.graph import mentions
from kg.graph.mentions import EventIndex, merge_date
from kg.views.network import graph_stats, to_networkx
from kg.store import OxigraphStore, open_store

# Our own sentences: three outlets on one meeting of two foreign ministers, a day apart at most.
ARTICLES = [
    {"id": "wire-a", "date": "2024-03-14", "source": "Wire A", "title": "Russia and Egypt discuss Gaza",
     "text": "Russia and Egypt discuss Gaza\n\nRussian Foreign Minister Sergei Lavrov met Egyptian Foreign "
             "Minister Sameh Shoukry in Moscow on 14 March 2024 to discuss aid deliveries to Gaza."},
    {"id": "paper-b", "date": "2024-03-15", "source": "Paper B", "title": "Lavrov hosts Shoukry",
     "text": "Lavrov hosts Shoukry\n\nSergei Lavrov met Sameh Shoukry on Thursday. The two ministers "
             "talked about humanitarian corridors."},
    {"id": "site-c", "date": "2024-03-15", "source": "Site C", "title": "Moscow talks on Gaza aid",
     "text": "Moscow talks on Gaza aid\n\nForeign Minister Sergei Lavrov met with Sameh Shoukry, his "
             "Egyptian counterpart, in the Russian capital."},
]
MEETING = ("Sergei Lavrov", "Sameh Shoukry")

MENTIONS_QUERY = """
SELECT ?event ?mention ?article ?n ?confidence ?text WHERE {
  ?mention a kgo:Mention ; kgo:mentionOf ?event ; kgo:inSentence ?s ; kgo:inArticle ?a ;
           kgo:mentionConfidence ?confidence .
  ?s kgo:text ?text ; kgo:sentenceIndex ?n .
  ?a dcterms:identifier ?article .
} ORDER BY ?article ?n"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("duplicates")
    files = []
    for record in ARTICLES:
        path = folder / f"{record['id']}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture(scope="module")
def results(nlp, corpus) -> list[kg.ArticleResult]:
    return list(kg.extract_paths(corpus))


def meeting_rows(source) -> list[dict]:
    return [r for r in graph_rows(source) if (r["source_name"], r["target_name"]) == MEETING]


def check_one_meeting(source) -> None:
    """One event for the meeting, three mentions from three articles, each with its own sentence."""
    [row] = meeting_rows(source)
    assert row["num_mentions"] == 3 and row["root_code"] == "04"
    mentions = [r for r in kg.run_query(source, MENTIONS_QUERY).rows if str(r[0]).endswith(row["event_id"])]
    assert [str(m[2]) for m in mentions] == ["paper-b", "site-c", "wire-a"]
    assert len({str(m[1]) for m in mentions}) == 3
    assert all(0 < float(m[4]) <= 1 for m in mentions)
    assert "Thursday" in str(mentions[0][5]) and "counterpart" in str(mentions[1][5]) and "14 March" in str(mentions[2][5])


def test_each_article_reports_the_meeting(results) -> None:
    for result in results:
        assert any((e.subject.name, (e.target or e.object).name) == MEETING and e.cameo.startswith("04")
                   for e in result.events if e.subject and (e.target or e.object) and e.cameo)


def test_in_memory_graph(results) -> None:
    graph = kg.build_graph(results)
    check_one_meeting(graph)
    # every article's own graph has the whole event it reports
    [row] = meeting_rows(graph)
    event = kg.vocab.KGR[f"event/{row['event_id']}"]
    for result in results:
        named = graph.graph(kg.vocab.URIRef(kg.vocab.article_iri(result.article.id)))
        assert (event, kg.vocab.KGO.cameoCode, None) in named and (event, kg.vocab.KGO.source, None) in named


def test_any_article_order_gives_one_event(results) -> None:
    for order in (results[::-1], results[1:] + results[:1]):
        [row] = meeting_rows(kg.build_graph(order))
        assert row["num_mentions"] == 3


def test_counts_in_the_network_and_stats(results) -> None:
    graph = kg.build_graph(results)
    net = to_networkx(graph)
    [data] = [d for u, v, d in net.edges(data=True)
              if (net.nodes[u]["label"], net.nodes[v]["label"]) == MEETING]
    assert (data["mentions"], data["articles"], data["sources"]) == (3, 3, 3)
    stats = graph_stats(graph)
    assert stats["events_reported_more_than_once"] >= 1
    assert stats["most_reported_events"][0]["mentions"] == 3
    assert stats["mentions"] == sum(1 for _ in kg.run_query(graph, MENTIONS_QUERY).rows)


@pytest.mark.parametrize("in_memory", [True, False])
def test_reports_far_apart_or_denied_stay_apart(in_memory, monkeypatch) -> None:
    if not in_memory:  # a long build's index: its events in a temporary file from the first one on
        monkeypatch.setattr(mentions, "MEMORY_EVENTS", 0)
    index = EventIndex()
    key = ("s", "t", "04", False, "")
    assert index.place(key, "2024-03-14", "e1", "g1") == ("e1", "g1")
    assert index.place(key, "2024-03-15", "e2", "g2") == ("e1", "g1")  # within a day
    assert index.place(key, "2024-03-17", "e3", "g3") == ("e3", "g3")  # three days later: another meeting
    assert index.place(("s", "t", "04", True, ""), "2024-03-14", "e4", "g4") == ("e4", "g4")  # a denial
    assert index.place(key, "2024-03", "e5", "g5") == ("e5", "g5")  # a month only matches itself
    assert merge_date("2024-03-14T10:00:00") == "2024-03-14" and merge_date(" ") is None


def test_a_long_builds_index_is_bounded_and_builds_the_same_graph(results, example_results, monkeypatch,
                                                                      tmp_path) -> None:
    """A build's index keeps MEMORY_EVENTS events and DESCRIPTIONS_KEPT descriptions in memory, the
    rest in a temporary file: on real articles (the example twice, dated, under two ids, so that every
    event of the second copy is a report of one of the first, and the three reports of one meeting) the
    graph and the store are the same as with everything in memory, and writing to the store reads
    nothing back from it (what made a store build's memory grow with its corpus)."""
    example = example_results[0]
    first, again = (replace(example, article=replace(example.article, id=name, date="2023-10-27"))
                    for name in ("example-dated", "example-again"))
    articles = [first, *results, again]

    def store_quads(name: str) -> tuple[set, EventIndex]:
        with OxigraphStore(tmp_path / name, create=True) as store:
            store.add_results(articles)
            return set(store.to_dataset().quads()), store.event_index()

    whole = set(kg.build_graph(articles).quads())
    whole_store, _ = store_quads("whole")
    monkeypatch.setattr(mentions, "MEMORY_EVENTS", 3)
    monkeypatch.setattr(mentions, "DESCRIPTIONS_KEPT", 2)
    reads = []
    monkeypatch.setattr(OxigraphStore, "_describe_event", lambda self, *args: reads.append(args))
    graph = kg.build_graph(articles)
    assert set(graph.quads()) == whole
    bounded_store, index = store_quads("bounded")
    assert bounded_store == whole_store and not reads
    assert index._events is None and len(index._descriptions) == 2 and len(index) > 3
    assert sum(1 for r in graph_rows(graph) if r["num_mentions"] > 1) > 3  # the second copy's reports merged


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_build_files(corpus, tmp_path, nlp) -> None:
    run("build", *map(str, corpus), "-o", str(tmp_path), "--name", "dup")
    check_one_meeting(kg.load_graph(tmp_path / "dup.ttl"))
    page = (tmp_path / "dup.html").read_text(encoding="utf-8")
    assert '"mentions": 3' in page


def test_build_store_at_once_and_incrementally(corpus, tmp_path, nlp) -> None:
    run("build", *map(str, corpus), "--store", str(tmp_path / "once"))
    for path in corpus:  # one article per build: each later one finds the meeting in the store
        run("build", str(path), "--store", str(tmp_path / "steps"))
    run("build", str(corpus[0]), "--store", str(tmp_path / "steps"))  # the first report again: replaced
    for name in ("once", "steps"):
        with open_store(tmp_path / name, read_only=True) as store:
            check_one_meeting(store)
            dataset: Dataset = store.to_dataset()
        assert meeting_rows(dataset)[0]["num_mentions"] == 3
    text = run("stats", str(tmp_path / "steps"))
    assert "3 mentions, 3 articles, 3 sources" in text
