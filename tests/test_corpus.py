"""Corpora: parallel workers give the same results as one, bad articles are skipped and
summarised, a progress bar on request, --resume. Real files, real parses, the real CLI."""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner, Result
from rdflib import URIRef
from spacy.language import Language

import kg
from kg.cli import main
from kg.ingest.corpus import SKIPPED_EXIT
from kg.errors import KgError
from kg.ingest.articles import Skipped
from kg.model import Article
from kg.nlp.parse import DEFAULT_MODEL, combine_lines, finish_lines, parse_articles, separable_tail, unpack_lines
from kg.pipeline.parallel import parse_chunk
from kg.pipeline.run import build_into, process_articles
from kg.vocab import article_iri

from conftest import EXAMPLE, ROOT

OWN_SENTENCES = [
    "Egypt and Qatar hosted talks between Israel and Hamas in Cairo on Tuesday.",
    "The European Union condemned the attack on the convoy.",
    "Turkey urged Sweden to extradite the suspects.",
    "Japan and South Korea agreed to resume their security dialogue.",
    "Iran denied the accusations made by the United States.",
    "China called for restraint on both sides.",
]


def corpus_lines() -> list[str]:
    """Real sentences: the example article, the evaluation article of tests/data, and our own."""
    lines = []
    for path in (EXAMPLE, ROOT / "tests" / "data" / "evaluate-article.txt"):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return lines + OWN_SENTENCES


def make_corpus(count: int) -> list[dict]:
    """`count` JSON Lines records, each a different window of 2 to 5 of the corpus lines."""
    lines = corpus_lines()
    records = []
    for i in range(count):
        start, size = (7 * i) % len(lines), 2 + i % 4
        text = "\n".join(lines[(start + k) % len(lines)] for k in range(size))
        records.append({"id": f"doc-{i:03d}", "text": text, "date": f"2024-03-{1 + i % 28:02d}"})
    return records


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def kg_cli(*args: str | Path, input: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input, prog_name="kg")


def records(results) -> list[dict]:
    return [event.to_record() for result in results for event in result.events]


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return [Article(id=r["id"], text=r["text"], date=r["date"]) for r in make_corpus(40)]


@pytest.fixture(scope="module")
def serial_results(corpus, nlp):
    return list(process_articles(corpus))


# --------------------------------------------------------------------------- workers

def test_two_workers_give_the_same_results_in_the_same_order(corpus, serial_results):
    parallel = list(process_articles(corpus, workers=2))  # 3 chunks of 16 over 2 processes
    assert [r.article.id for r in parallel] == [a.id for a in corpus]
    assert [r.sentences for r in parallel] == [r.sentences for r in serial_results]
    events = records(parallel)
    assert len(events) > 60
    assert events == records(serial_results)


def test_one_background_worker_parses_and_this_process_extracts_the_same_events(corpus, serial_results):
    # kg build's default: the worker process only parses and sends its Docs back packed
    background = list(process_articles(corpus, background=True))
    assert [r.article.id for r in background] == [a.id for a in corpus]
    assert [r.sentences for r in background] == [r.sentences for r in serial_results]
    assert records(background) == records(serial_results) and len(records(background)) > 60


@pytest.mark.parametrize("leave_out", [(), ("ner",)])
def test_packed_lines_unpack_to_the_same_annotations(corpus, nlp, leave_out):
    # a worker's chunk, whole or without the named entities, which this process then adds
    parsed = list(parse_articles(corpus[:6], nlp))
    order, packed = parse_chunk(corpus[:6], DEFAULT_MODEL, leave_out)
    packed = pickle.loads(pickle.dumps(packed))  # as it crosses processes
    assert order == [None] * 6 and packed.left_out == leave_out
    as_sent = list(unpack_lines(packed, nlp))
    assert any(doc.ents for lines in as_sent for doc in lines.docs) == (not leave_out)
    unpacked = [combine_lines(lines, nlp) for lines in finish_lines(as_sent, nlp, packed.left_out)]
    assert [p.article for p in unpacked] == [p.article for p in parsed]
    for before, after in zip(parsed, unpacked):
        assert [(s.index, s.role, s.text, s.span.text) for s in after.sentences] == \
            [(s.index, s.role, s.text, s.span.text) for s in before.sentences]
        assert [(t.text, t.whitespace_, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.norm_, str(t.morph),
                 t.ent_iob_, t.ent_type_, t.is_sent_start) for t in after.doc] == \
            [(t.text, t.whitespace_, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.norm_, str(t.morph),
              t.ent_iob_, t.ent_type_, t.is_sent_start) for t in before.doc]
        assert [(e.start, e.end, e.label_) for e in after.doc.ents] == [(e.start, e.end, e.label_) for e in before.doc.ents]


def test_the_named_entities_can_run_apart_from_the_rest_of_the_pipeline(nlp):
    assert separable_tail(nlp) == ("ner",)  # en_core_web_sm's ner has its own embeddings
    assert separable_tail(spacy.load(DEFAULT_MODEL, exclude=["ner"])) == ("lemmatizer",)
    # the parser listens to the shared tok2vec, whose output does not cross processes
    assert separable_tail(spacy.load(DEFAULT_MODEL, exclude=["attribute_ruler", "lemmatizer", "ner"])) == ()
    # a custom component may read what earlier ones left in doc._ or doc.user_data, which a DocBin drops
    custom = spacy.load(DEFAULT_MODEL)
    custom.add_pipe("kg_test_sentence_count")
    assert separable_tail(custom) == ()


@Language.component("kg_test_sentence_count")
def _sentence_count(doc):
    doc.user_data["sentences"] = len(list(doc.sents))
    return doc


def test_workers_must_be_positive(corpus):
    with pytest.raises(KgError, match="at least 1"):
        list(process_articles(corpus[:1], workers=0))


def test_cli_build_with_two_workers_writes_the_same_graph(tmp_path, nlp):
    feed = write_jsonl(tmp_path / "feed.jsonl", make_corpus(20))
    graphs = []
    for workers in ("1", "2"):
        result = kg_cli("build", feed, EXAMPLE, "-o", tmp_path / workers, "--workers", workers)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("articles: 21  sentences: ")
        graphs.append(kg.load_graph(tmp_path / workers / "graph.ttl"))
    assert len(graphs[0]) > 1000
    assert set(graphs[0]) == set(graphs[1])


def test_cli_extract_with_two_workers_prints_the_same_records(tmp_path, nlp):
    feed = write_jsonl(tmp_path / "feed.jsonl", make_corpus(18))
    one, two = kg_cli("extract", feed), kg_cli("extract", feed, "--workers", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and one.stdout.count("\n") > 30


def test_workers_and_dask_are_exclusive(tmp_path):
    result = kg_cli("build", EXAMPLE, "-o", tmp_path, "--workers", "2", "--dask", "tcp://127.0.0.1:1")
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: give either --workers (local processes) or --dask")


# --------------------------------------------------------------------------- skipping

LONG_LINE = "Russia met Israel. " * 55_000  # 1,044,999 characters once stripped: more than spaCy takes


def test_an_article_spacy_cannot_take_is_skipped_in_its_place(corpus, serial_results, nlp):
    articles = [corpus[0], Article(id="huge", text=LONG_LINE), corpus[1]]
    skipped: list[Skipped] = []
    results = list(process_articles(articles, on_error=skipped.append))
    assert [r.article.id for r in results] == [corpus[0].id, corpus[1].id]
    assert records(results) == records(serial_results[:2])
    assert [s.where for s in skipped] == ["article 'huge'"]
    assert skipped[0].reason == ("article 'huge': a line of 1044999 characters is longer than spaCy's limit "
                                 "of 1000000; split it into paragraphs")
    with pytest.raises(KgError, match="longer than spaCy's limit"):  # without on_error: an error
        list(process_articles(articles))
    skipped.clear()  # the same when a background worker parses
    results = list(process_articles(articles, on_error=skipped.append, background=True))
    assert [r.article.id for r in results] == [corpus[0].id, corpus[1].id]
    assert records(results) == records(serial_results[:2]) and [s.where for s in skipped] == ["article 'huge'"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_build_skips_bad_articles_lists_them_and_exits_3(tmp_path, workers, nlp):
    root = tmp_path / "corpus"
    good = make_corpus(3)
    write_jsonl(root / "a-feed.jsonl", [good[0], '{"id": "broken", "text": ', good[1],
                                        {"id": "huge", "text": LONG_LINE}])
    (root / "b-empty.txt").write_bytes(b"")
    (root / "c-story.txt").write_text(good[2]["text"], encoding="utf-8")
    outdir = tmp_path / "out"
    result = kg_cli("build", root, "-o", outdir, "--workers", workers)
    assert result.exit_code == SKIPPED_EXIT, result.output
    assert result.stdout.startswith("articles: 3  ")
    assert result.stderr.splitlines() == [
        f"kg: skipped: {root / 'a-feed.jsonl'} line 2: invalid JSON: Expecting value (column 26)",
        f"kg: skipped: {root / 'b-empty.txt'} is empty; remove it or add the article text",
        f"kg: skipped: {root / 'a-feed.jsonl'} line 4 (article 'huge'): a line of 1044999 characters is longer "
        "than spaCy's limit of 1000000; split it into paragraphs",  # named by the line it was read from
        f"kg: error: 3 articles skipped ({root / 'a-feed.jsonl'} line 2, {root / 'b-empty.txt'}, "
        f"{root / 'a-feed.jsonl'} line 4; listed above); the output holds the other 3",
    ]
    graph = kg.load_graph(outdir / "corpus.ttl")
    built = {str(s) for s in graph.subjects(None, URIRef("https://w3id.org/kg-diplomacy/ontology#Article"))}
    assert built == {article_iri(i) for i in ("doc-000", "doc-001", "c-story")}


def test_library_build_collects_skips_with_on_error(tmp_path, nlp):
    feed = write_jsonl(tmp_path / "feed.jsonl", [make_corpus(1)[0], "[1, 2]"])
    skipped: list[Skipped] = []
    summary = kg.build([feed], tmp_path / "out", on_error=skipped.append)
    assert summary.articles == 1
    assert [s.where for s in skipped] == [f"{feed} line 2"]


# --------------------------------------------------------------------------- progress

def test_progress_bar_counts_articles_sentences_events_with_a_total(tmp_path, nlp):
    feed = write_jsonl(tmp_path / "feed.jsonl", make_corpus(4) + ['{"oops"}'])
    result = kg_cli("build", feed, EXAMPLE, "-o", tmp_path / "out", "--progress")
    assert result.exit_code == SKIPPED_EXIT
    bar = result.stderr.split("\r")[-1].splitlines()[0]  # the bar's last state
    summary = re.match(r"articles: 5  sentences: (\d+)  events: (\d+)", result.stdout)
    assert re.fullmatch(rf"kg build: 100%\|\S+\| 6/6 \[\d\d:\d\d<00:00, +[\d.]+ articles/s, "
                        rf"{summary[1]} sentences, {summary[2]} events, 1 skipped\]", bar.strip()), bar


def test_progress_bar_without_a_known_total(tmp_path, nlp):
    result = kg_cli("build", "-", "--name", "wire", "-o", tmp_path, "--progress",
                    input=json.dumps(make_corpus(1)[0]) + "\n")
    *bar, steps = result.stderr.split("\r")[-1].strip().split("\n", 1)
    assert re.fullmatch(r"kg build: 1 articles \[\d\d:\d\d, +[\d.]+ articles/s, \d+ sentences, \d+ events\]", bar[0])
    assert steps.splitlines() == ["kg build: writing the graph ...", "kg build: drawing the view ..."]


# --------------------------------------------------------------------------- resume

def test_build_into_leaves_out_what_the_sink_already_has(tmp_path, corpus, serial_results, nlp):
    """A sink that already holds some articles (an interrupted build) gets only the others."""
    graph = kg.new_graph()
    for result in serial_results[:5]:
        kg.graph.build.add_article(graph, result.article, result.events, result.sentences)

    def has_article(article_id: str) -> bool:
        return any(graph.triples((URIRef(article_iri(article_id)), None, None)))

    feed = write_jsonl(tmp_path / "feed.jsonl", [{"id": a.id, "text": a.text, "date": a.date} for a in corpus[:8]])
    added = []
    counts = build_into(added.append, [feed], done=has_article)
    assert counts.articles == 3
    assert [r.article.id for r in added] == [a.id for a in corpus[5:8]]
    assert records(added) == records(serial_results[5:8])



def test_resume_continues_a_store_build_with_the_articles_it_lacks(tmp_path, nlp):
    corpus = make_corpus(6)
    interrupted = write_jsonl(tmp_path / "first-half.jsonl", corpus[:3])  # what the stopped run committed
    feed = write_jsonl(tmp_path / "feed.jsonl", corpus)
    store = tmp_path / "store"
    assert kg_cli("build", interrupted, "--store", store).exit_code == 0
    result = kg_cli("build", feed, "--store", store, "--resume", "--progress")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("articles: 3  ")
    assert "already in the store (left out): 3" in result.stdout
    assert "6/6" in result.stderr.split("\r")[-1]  # the bar counts the articles left out too
    count = kg_cli("query", store, "PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#> "
                   "SELECT ?id WHERE { ?a a kgo:Article ; <http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id",
                   "--format", "csv")
    assert count.stdout.split() == ["id", *(r["id"] for r in corpus)]


def test_resume_needs_a_store(tmp_path):
    result = kg_cli("build", EXAMPLE, "-o", tmp_path, "--resume")
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: --resume continues a build into a store; give --store too")


def test_store_build_where_every_article_is_skipped_is_an_input_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = kg_cli("build", tmp_path / "empty.txt", "--store", tmp_path / "store")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"kg: error: {tmp_path / 'empty.txt'} is empty; remove it or add the article text"]


def test_a_build_stopped_with_ctrl_c_is_finished_by_resume(tmp_path, nlp):
    """A real interruption: SIGINT once the progress bar shows 10 articles done, then --resume."""
    import os
    import signal
    import subprocess
    import sys

    ARTICLES = 200  # enough that the build is still going when Ctrl-C comes (chunks are parsed ahead)
    corpus = make_corpus(ARTICLES)
    feed = write_jsonl(tmp_path / "feed.jsonl", corpus)
    store = tmp_path / "store"
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(feed), "--store", str(store), "--progress"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    seen = b""
    while not re.search(rb"\b(\d\d+)/%d\b" % ARTICLES, seen) and build.poll() is None:
        seen += os.read(build.stderr.fileno(), 4096)
    build.send_signal(signal.SIGINT)
    build.communicate(timeout=120)
    assert build.returncode != 0, "the build ended before it could be interrupted"
    result = kg_cli("build", feed, "--store", store, "--resume")
    assert result.exit_code == 0, result.output
    done = int(re.search(r"already in the store \(left out\): (\d+)", result.stdout)[1])
    assert 10 <= done < ARTICLES
    assert result.stdout.startswith(f"articles: {ARTICLES - done}  ")
    ids = kg_cli("query", store, "SELECT ?id WHERE { ?a a <https://w3id.org/kg-diplomacy/ontology#Article> ; "
                 "<http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id", "--format", "csv")
    assert ids.stdout.split() == ["id", *(r["id"] for r in corpus)]  # every article once
