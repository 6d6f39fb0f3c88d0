"""Issue 20, inputs: no command destroys its own input, and one bad record never stops a build.

Real files and real runs: click's CliRunner over `kg.cli.main`, and `kg` subprocesses where the
process itself matters (a closed standard input, Ctrl-C).
"""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.errors import KgError
from kg.ingest.articles import Limits, Skipped, _bounded_lines, read_articles
from kg.pipeline.parallel import Workers, _chunks_in_parallel

from conftest import EXAMPLE

KG = [sys.executable, "-m", "kg"]
GOOD = ["Russia condemned Israel on Monday.", "Hamas released two hostages.",
        "France met with Germany in Paris.", "China criticized Japan."]


def kg_cli(*args, input=None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input, prog_name="kg")


def one_error(result: Result, *fragments: str, exit_code: int = 2) -> str:
    assert result.exit_code == exit_code, (result.exit_code, result.output, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:"), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture()
def graph(example_graph_path: Path, tmp_path: Path) -> Path:
    """A copy of the example graph that a test may try to destroy."""
    copy = tmp_path / "g.ttl"
    shutil.copyfile(example_graph_path, copy)
    return copy


# --------------------------------------------------------------------------- never destroy an input

def test_build_store_that_is_an_rdf_file_is_refused(graph: Path) -> None:
    before = graph.read_bytes()
    one_error(kg_cli("build", EXAMPLE, "--store", graph), "is a file", "directory")
    assert graph.read_bytes() == before


@pytest.mark.parametrize("args, fragment", [
    (["viz", "{g}", "-o", "{g}"], "HTML"),
    (["viz", "{g}", "-o", "{d}/./g.ttl"], "HTML"),
    (["export", "{g}", "--format", "xml", "-o", "{g}"], "says ttl, not xml"),
    (["export", "{g}", "--format", "ttl", "-o", "{d}/./g.ttl"], "is an input"),
    (["export", "{d}/link.ttl", "--format", "ttl", "-o", "{g}"], "is an input"),  # a hard link: the same file
    (["export", "{g}", "-o", "{g}"], "is an input"),
])
def test_viz_and_export_never_replace_their_input(graph: Path, args: list[str], fragment: str) -> None:
    os.link(graph, graph.parent / "link.ttl")
    before = graph.read_bytes()
    one_error(kg_cli(*(a.format(g=graph, d=graph.parent) for a in args)), fragment)
    assert graph.read_bytes() == before


@pytest.mark.parametrize("args, fragment", [
    (["export", "{g}", "--format", "xml", "-o", "{d}/out.ttl"], "name the file out.rdf"),
    (["export", "{g}", "--format", "ttl", "-o", "{d}/out.nt"], "says nt, not ttl"),
    (["viz", "{g}", "-o", "{d}/view.ttl"], "name it view.html"),
    (["viz", "{g}", "-o", "{d}/view.csv"], "HTML"),
])
def test_a_suffix_that_contradicts_the_format_is_refused(graph: Path, args: list[str], fragment: str) -> None:
    one_error(kg_cli(*(a.format(g=graph, d=graph.parent) for a in args)), fragment)
    assert sorted(p.name for p in graph.parent.iterdir()) == ["g.ttl"]


def test_export_follows_the_suffix_without_format(graph: Path) -> None:
    result = kg_cli("export", graph, "-o", graph.parent / "out.nt")
    assert result.exit_code == 0, result.output
    assert (graph.parent / "out.nt").read_text().startswith("<")
    one_error(kg_cli("export", graph, "-o", graph.parent / "out.txt"), "--format", exit_code=2)


def test_build_never_replaces_an_input_page(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    page = pages / "page.html"
    page.write_text("<html><head><title>Talks</title></head><body><article><p>Russia condemned Israel "
                    "after the talks in Moscow.</p></article></body></html>")
    before = page.read_bytes()
    one_error(kg_cli("build", page, "-o", pages), "page.html is an input")
    one_error(kg_cli("build", pages, "-o", pages, "--name", "page"), "is an input (")
    assert page.read_bytes() == before and sorted(p.name for p in pages.iterdir()) == ["page.html"]


# --------------------------------------------------------------------------- one bad record

def poisoned(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """Good records with bad ones between them; returns the file and the line of each bad one."""
    bad = {
        "text": '{"id": "bad-text", "text": "Russia \\ud800 met Israel."}',
        "title": '{"id": "bad-title", "title": "T \\udfff", "text": "Russia met Israel."}',
        "url": '{"id": "bad-url", "url": "http://x/\\ud800", "text": "Russia met Israel."}',
        "id": '{"id": "\\ud83d", "text": "Russia met Israel."}',
        "nested": "[" * 100_000 + "]" * 100_000,
        "long": json.dumps({"id": "long", "text": "Russia met Israel. " * 3000}),  # over --max-line-size
        "latin1": '{"id": "latin1", "text": "caf\xe9"}',
    }
    lines, where = [], {}
    for i, text in enumerate(GOOD):
        lines.append(json.dumps({"id": f"good{i}", "text": text}).encode())
        for key in list(bad)[i * 2:i * 2 + 2]:
            lines.append(bad[key].encode("latin-1"))
            where[key] = len(lines)
    path = tmp_path / "poisoned.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, where


LIMITS = ["--max-line-size", "20000"]


def assert_skips_listed(result: Result, path: Path, where: dict[str, int]) -> None:
    assert result.exit_code == 3, (result.output, result.stderr)
    for key, line in where.items():
        assert f"kg: skipped: {path} line {line}:" in result.stderr, (key, result.stderr)
    assert result.stderr.splitlines()[-1].startswith(f"kg: error: {len(where)} articles skipped")
    assert "installed" not in result.stderr and "internal error" not in result.stderr


def store_articles(store: Path) -> set[str]:
    result = kg_cli("query", store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return {line.rsplit("/", 1)[-1].rsplit("-", 1)[0] for line in result.stdout.splitlines()[1:]}


def test_poisoned_corpus_builds_its_good_records_into_files(tmp_path: Path, nlp) -> None:
    path, where = poisoned(tmp_path)
    result = kg_cli("build", path, "-o", tmp_path / "out", *LIMITS)
    assert_skips_listed(result, path, where)
    turtle = (tmp_path / "out" / "poisoned.ttl").read_text(encoding="utf-8")
    assert all(f"article/good{i}-" in turtle for i in range(len(GOOD)))
    assert "bad-" not in turtle and (tmp_path / "out" / "poisoned.html").exists()
    extract = kg_cli("extract", path, *LIMITS)  # strict: the first bad record, exit 2 as well
    one_error(extract, f"line {where['text']}", "lone surrogate")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_poisoned_corpus_builds_into_a_store_and_resumes(tmp_path: Path, workers: str, nlp) -> None:
    path, where = poisoned(tmp_path)
    store = tmp_path / "store"
    result = kg_cli("build", path, "--store", store, "--workers", workers, *LIMITS)
    assert_skips_listed(result, path, where)
    assert store_articles(store) == {f"good{i}" for i in range(len(GOOD))}
    again = kg_cli("build", path, "--store", store, "--resume", "--workers", workers, *LIMITS)
    assert_skips_listed(again, path, where)
    assert f"already in the store (left out): {len(GOOD)}" in again.stdout
    assert store_articles(store) == {f"good{i}" for i in range(len(GOOD))}


def test_poisoned_corpus_on_stdin(tmp_path: Path, nlp) -> None:
    path, where = poisoned(tmp_path)
    result = kg_cli("build", "-", "-o", tmp_path / "out", *LIMITS, input=path.read_bytes())
    assert result.exit_code == 3 and all(f"<stdin> line {line}:" in result.stderr for line in where.values())
    assert "article/good3-" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", ["text", "title", "url", "nested"])
def test_one_bad_record_alone_is_exit_2_in_extract_and_build(tmp_path: Path, case: str, nlp) -> None:
    path, where = poisoned(tmp_path)
    single = tmp_path / f"{case}.jsonl"
    single.write_bytes(path.read_bytes().split(b"\n")[where[case] - 1] + b"\n")
    one_error(kg_cli("extract", single), "line 1")
    build = kg_cli("build", single, "-o", tmp_path / "out")
    one_error(build, "line 1")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, option, fragment", [
    (b"Russia met Israel. " * 100 + b"\n", "--max-article-size", "article size limit"),
    (json.dumps({"text": "Russia met Israel. " * 100}).encode() + b"\n", "--max-line-size", "line size limit"),
    (json.dumps({"text": "Russia met Israel. " * 100}).encode() + b"\n", "--max-article-size", "article size limit"),
])
def test_size_limits_give_the_same_exit_code_in_extract_and_build(tmp_path: Path, content: bytes, option: str,
                                                                  fragment: str, nlp) -> None:
    path = tmp_path / ("big.jsonl" if content.startswith(b"{") else "big.txt")
    path.write_bytes(content)
    one_error(kg_cli("extract", path, option, "1000"), fragment)
    one_error(kg_cli("build", path, "-o", tmp_path / "out", option, "1000"), fragment)
    assert "--max-article-size" in kg_cli("extract", "--help").output
    assert "--max-line-size" in kg_cli("build", "--help").output


def test_a_line_over_spacys_limit_is_named_by_its_line_and_exit_2_in_both(tmp_path: Path, nlp) -> None:
    path = tmp_path / "long.jsonl"  # 1.08 M characters on one line: spaCy refuses it when parsing
    path.write_text(json.dumps({"id": "big", "text": "Russia met Israel " * 60_000 + "."}) + "\n")
    first = one_error(kg_cli("extract", path), f"{path} line 1 (article 'big'): a line of")
    assert one_error(kg_cli("build", path, "-o", tmp_path / "out")) == first
    path.write_text(json.dumps({"id": "good", "text": GOOD[0]}) + "\n" + path.read_text())
    result = kg_cli("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 3 and f"kg: skipped: {path} line 2 (article 'big'): a line of" in result.stderr


def test_devices_and_fifos_are_bounded(tmp_path: Path, nlp) -> None:
    for command in ("extract", "build"):
        one_error(kg_cli(command, "/dev/zero", *(["-o", tmp_path / "o"] if command == "build" else [])),
                  "/dev/zero is a character device")
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    one_error(kg_cli("build", tmp_path / "zero.jsonl", "-o", tmp_path / "o"), "character device")
    fifo = tmp_path / "endless.txt"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        with open(fifo, "wb") as handle:
            try:
                while not stop.is_set():
                    handle.write(b"Russia met Israel.\n" * 1000)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    one_error(kg_cli("extract", fifo, "--max-article-size", "100000"), "article size limit")
    stop.set()


def test_closed_stdin_is_one_error() -> None:
    for command in ("extract -", "build - -o /nonexistent-kg-out"):
        done = subprocess.run(f"{' '.join(KG)} {command} <&-", shell=True, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 2, done.stderr
        assert done.stderr.splitlines() == ["kg: error: <stdin> is closed; pipe in article text or JSON Lines"]


def test_stdin_jsonl_is_streamed_with_its_limits() -> None:
    stream = io.BytesIO(b'\n{"text": "one"}\n' + b"[" * 500 + b"\n" + b'{"text": "two"}')
    skipped: list[Skipped] = []
    articles = list(read_articles(["-"], stdin=stream, on_error=skipped.append, limits=Limits(100, 100)))
    assert [a.text for a in articles] == ["one", "two"]
    assert [s.where for s in skipped] == ["<stdin> line 3"] and "line size limit" in skipped[0].reason


def test_bounded_lines_reads_long_lines_through() -> None:
    data = b"ab\n" + b"x" * 50 + b"\ncd\n" + b"y" * 9 + b"\nlast"
    for chunk in (1, 4, 64):
        import kg.ingest.articles as ingest
        old, ingest._READ_CHUNK = ingest._READ_CHUNK, chunk
        try:
            assert list(_bounded_lines(io.BytesIO(data[5:]), 10, data[:5])) == [
                b"ab\n", None, b"cd\n", b"y" * 9 + b"\n", b"last"]
        finally:
            ingest._READ_CHUNK = old


@pytest.mark.parametrize("value", ["2023-13", "2023-02-30", "2023-13-45", "soon"])
def test_viz_dates_are_checked_as_query_params(graph: Path, value: str) -> None:
    viz = one_error(kg_cli("viz", graph, "-o", graph.parent / "v.html", "--since", value), exit_code=1)
    query = kg_cli("query", graph, "--name", "events-by-class", "--param", f"since={value}")
    assert query.exit_code == 1 and query.stderr.strip() == viz.replace("--since", "since")
    assert not (graph.parent / "v.html").exists()


def test_actors_line_with_a_line_separator_is_named(tmp_path: Path) -> None:
    actors = tmp_path / "actors.tsv"
    actors.write_text("name\ttype\tcountry\n# a comment\nGood Name\tPerson\tRUS\nBad\u2028Name\tPerson\tRUS\n",
                      encoding="utf-8")
    one_error(kg_cli("extract", EXAMPLE, "--actors", actors), "actors.tsv, line 4", "U+2028")


# --------------------------------------------------------------------------- a task fails on one record

def _task(chunk: list, fail_on: str) -> list:
    if any(a == fail_on or fail_on == "*" for a in chunk):
        raise ValueError(f"cannot take {fail_on}")
    return [a.upper() for a in chunk]


class _Article(str):
    @property
    def id(self) -> str:
        return str(self)


def test_a_failing_task_is_retried_article_by_article() -> None:
    articles = [_Article(x) for x in "abcdefg"]
    with ThreadPoolExecutor(2) as pool:
        workers = Workers(pool, 2, "2 test threads")
        results = [r for chunk in _chunks_in_parallel(articles, workers, 3, _task, "e", failed=lambda s: [s])
                   for r in chunk]
        assert [r if isinstance(r, str) else r.where for r in results] == [
            "A", "B", "C", "D", "article 'e'", "F", "G"]
        assert "ValueError: cannot take e" in results[4].reason
        with pytest.raises(KgError, match="installed on every worker"):  # every article fails: the task itself
            list(_chunks_in_parallel(articles, workers, 3, _task, "*", failed=lambda s: [s]))


def test_an_article_the_sink_cannot_take_is_skipped(tmp_path: Path, nlp) -> None:
    from kg.pipeline.run import build_into

    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(GOOD)))
    written, skipped = [], []

    def sink(result) -> None:
        if result.article.id == "a1":
            raise ValueError("no room for it")
        written.append(result.article.id)

    counts = build_into(sink, [feed], on_error=skipped.append, background=False)
    assert written == ["a0", "a2", "a3"] and counts.articles == 3
    assert [s.where for s in skipped] == [f"{feed} line 2"]
    assert skipped[0].reason.startswith(f"{feed} line 2 (article 'a1'): cannot be written (ValueError: no room")


# --------------------------------------------------------------------------- Ctrl-C

def test_ctrl_c_ends_with_a_kg_line_and_the_build_resumes(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    store = tmp_path / "store"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([*KG, "build", fifo, "--store", store], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        with open(fifo, "w") as handle:  # opens once kg reads it (after the model is loaded)
            handle.write(json.dumps({"id": "first", "text": GOOD[0]}) + "\n")
            handle.flush()
            time.sleep(1.0)
            proc.send_signal(signal.SIGINT)  # while kg waits for the next line
            _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert err.splitlines()[-1].startswith("kg: error: interrupted (Ctrl-C)"), err
    assert "Aborted" not in err and "Traceback" not in err
    feed = tmp_path / "all.jsonl"
    feed.write_text("".join(json.dumps({"id": f"good{i}", "text": t}) + "\n" for i, t in enumerate(GOOD)))
    done = subprocess.run([*KG, "build", feed, "--store", store, "--resume"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "already in the store (left out): 0" in done.stdout
    assert store_articles(store) >= {f"good{i}" for i in range(len(GOOD))}
