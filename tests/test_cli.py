"""The `kg` command line on real text with the real spaCy model (no mocks of the pipeline).

Good input: every command and output format. Bad input: exactly one `kg: error:` line on
stderr, a non-zero exit code, no traceback and no output file left behind.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph

import kg
from kg.cli import INTERNAL_ERROR_EXIT, main

from conftest import EXAMPLE, EXAMPLE_ID, ROOT

RECORD_FIELDS = {"article_id", "sentence_id", "sentence", "subject", "action", "object", "target", "theme",
                 "event_type", "cameo", "goldstein", "quad_class", "negated", "modality", "date",
                 "attributed_to", "confidence"}
ACTOR_FIELDS = {"text", "name", "type", "country", "iri"}

PERSONS = """PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?role WHERE { ?p a kgo:Person ; rdfs:label ?name . OPTIONAL { ?p kgo:role ?role } }
ORDER BY ?name"""


def kg_cli(*args: str | Path, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input, env=env, prog_name="kg")


def ok(result: Result) -> Result:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    return result


def assert_one_line_error(result: Result, *fragments: str, exit_code: int | None = None) -> str:
    """Non-zero exit, exactly one 'kg: error:' line on stderr, no traceback; returns the line."""
    assert result.exit_code != 0, result.output
    if exit_code is not None:
        assert result.exit_code == exit_code
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not an uncaught exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error:"), lines[0]
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), (fragment, lines[0])
    return lines[0]


def records(result: Result) -> list[dict]:
    return [json.loads(line) for line in ok(result).stdout.splitlines()]


def find(events: list[dict], subject: str, action: str, other: str | None = None,
         role: str = "target") -> list[dict]:
    return [e for e in events
            if e["subject"] and e["subject"]["name"] == subject and e["action"] == action
            and (other is None or (e[role] or {}).get("name") == other)]


# --------------------------------------------------------------------------- extract

@pytest.fixture(scope="module")
def example_records(nlp) -> list[dict]:
    return records(kg_cli("extract", EXAMPLE, "--format", "jsonl"))


def test_extract_jsonl_fields(example_records: list[dict]) -> None:
    assert len(example_records) >= 10
    for record in example_records:
        assert RECORD_FIELDS <= set(record), RECORD_FIELDS - set(record)
        assert record["article_id"] == EXAMPLE_ID
        assert isinstance(record["sentence_id"], int) and record["sentence"]
        assert ACTOR_FIELDS <= set(record["subject"])
        assert record["cameo"] is None or re.fullmatch(r"\d{2,4}", record["cameo"])
        assert isinstance(record["negated"], bool)
        for role in ("object", "target", "theme", "attributed_to"):
            assert record[role] is None or {"text", "name"} <= set(record[role])


def test_extract_lavrov_condemns_hamas(example_records: list[dict]) -> None:
    [event] = find(example_records, "Sergei Lavrov", "condemn", "Hamas")
    assert event["cameo"].startswith("11")
    assert event["subject"]["type"] == "Person"
    assert event["subject"]["role"] == "Foreign Minister"
    assert event["target"]["country"] == "PSE"
    assert "Lavrov" in event["sentence"] and "condemned" in event["sentence"]
    assert event["negated"] is False


def test_extract_russia_calls_on_hamas(example_records: list[dict]) -> None:
    [event] = find(example_records, "Russia", "call on", "Hamas", role="object")
    assert event["cameo"] == "020"
    assert event["event_type"] == "AppealGeneral"
    assert event["subject"]["country"] == "RUS"
    assert event["target"]["name"] == "Hamas"
    assert "release" in event["theme"]["text"]
    assert event["goldstein"] == 3.0 and event["quad_class"] == 1


def test_extract_bogdanov_meets_hamas(example_records: list[dict]) -> None:
    [event] = find(example_records, "Mikhail Bogdanov", "meet with", "Hamas")
    assert event["cameo"].startswith("04")
    assert (event["subject"]["type"], event["subject"]["country"]) == ("Person", "RUS")


def test_extract_hamas_releases_krivoi(example_records: list[dict]) -> None:
    [event] = find(example_records, "Hamas", "release", "Roni Krivoi", role="object")
    assert event["cameo"] == "084"


def test_extract_table(nlp) -> None:
    out = ok(kg_cli("extract", EXAMPLE, "--format", "table")).stdout
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["article", "sent", "subject", "action"]
    assert any("Sergei Lavrov" in r and "condemn" in r and "Hamas" in r and " 111" in r for r in rows)
    assert any("Hamas" in r and "release" in r and "Roni Krivoi" in r and "084" in r for r in rows)


def test_extract_jsonl_input_ids_and_dates(tmp_path: Path, nlp) -> None:
    source = tmp_path / "feed.jsonl"
    source.write_text(
        json.dumps({"id": "art-1", "date": "2023-10-11", "title": "Appeal",
                    "text": "Russia called on Hamas on Monday to release the hostages."}) + "\n\n"
        + json.dumps({"id": "art-2", "text": "France condemned the attack on Monday."}) + "\n",
        encoding="utf-8")
    events = records(kg_cli("extract", source, "--date", "2023-11-01"))
    by_id = {e["article_id"]: e for e in events}
    assert set(by_id) == {"art-1", "art-2"}
    assert (by_id["art-1"]["subject"]["name"], by_id["art-1"]["action"], by_id["art-1"]["target"]["name"],
            by_id["art-1"]["cameo"]) == ("Russia", "call on", "Hamas", "020")
    assert by_id["art-1"]["date"] == "2023-10-09"  # 'Monday' before the record's own date (it wins)
    assert by_id["art-2"]["date"] == "2023-10-30"  # 'Monday' before --date
    assert by_id["art-2"]["cameo"].startswith("11")


def test_extract_directory(tmp_path: Path, nlp) -> None:
    (tmp_path / "a.txt").write_text("Egypt met Qatar in Cairo.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Talks\n\nFrance condemned the attack.\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    events = records(kg_cli("extract", tmp_path))
    assert {e["article_id"] for e in events} == {"a", "b"}
    assert find(events, "Egypt", "meet", "Qatar", role="object")


def test_extract_stdin_text_and_jsonl(nlp) -> None:
    events = records(kg_cli("extract", "-", input="Egypt met Qatar in Cairo.\n"))
    assert [(e["article_id"], e["subject"]["name"], e["object"]["name"]) for e in events] == \
        [("stdin", "Egypt", "Qatar")]
    line = json.dumps({"id": "wire-7", "text": "Russia called on Hamas to release the hostages."})
    events = records(kg_cli("extract", "-", input=line + "\n"))
    assert {e["article_id"] for e in events} == {"wire-7"}


# --------------------------------------------------------------------------- build

@pytest.fixture(scope="module")
def cli_build(tmp_path_factory, nlp) -> tuple[Path, Result]:
    outdir = tmp_path_factory.mktemp("cli-build") / "out"
    return outdir, ok(kg_cli("build", EXAMPLE, "-o", outdir))


def test_build_writes_graph_and_view(cli_build) -> None:
    outdir, _ = cli_build
    assert sorted(p.name for p in outdir.iterdir()) == [f"{EXAMPLE_ID}.html", f"{EXAMPLE_ID}.trig", f"{EXAMPLE_ID}.ttl"]
    assert not [p for p in outdir.parent.iterdir() if p.name.startswith(".")]  # no staging left
    graph = kg.load_graph(outdir / f"{EXAMPLE_ID}.ttl")
    assert len(graph) > 100
    html = (outdir / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    assert "Sergei Lavrov" in html
    assert not re.search(r"<script[^>]+src=[\"']https?:", html)  # offline: scripts inlined


def test_build_prints_summary_and_example_rows(cli_build) -> None:
    outdir, result = cli_build
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"articles: 1  sentences: \d+  events: \d+ \(\d+ diplomatic\)  actors: \d+", lines[0])
    assert f"graph: {outdir / EXAMPLE_ID}.ttl" in result.stdout
    assert "Who did what to whom" in result.stdout
    # the first rows of who-did-what, in reading order (all of them: kg query GRAPH --name who-did-what)
    assert any(re.search(r"Russia\s+tell\s+Hamas\s+kgo:\w+\s+020", line) for line in lines)
    assert any(re.search(r"Mikhail Bogdanov\s+meet with\s+Hamas\s+kgo:\w+\s+040", line) for line in lines)
    assert result.stderr == ""  # no progress lines when stderr is not a terminal


def test_build_from_stdin_with_name_and_progress(tmp_path: Path, nlp) -> None:
    result = ok(kg_cli("build", "-", "-o", tmp_path / "o", "--name", "wire", "--progress",
                       input="Egypt met Qatar in Cairo.\n"))
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["wire.html", "wire.trig", "wire.ttl"]
    assert re.search(r"kg build: 1 articles \[.*1 sentences, 1 events\]", result.stderr)  # the progress bar
    assert "articles: 1" in result.stdout


# --------------------------------------------------------------------------- query

def _who_did_what_rows(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return [(r["source"], r["action"], r["target"], r["cameo"]) for r in rows]


@pytest.mark.parametrize("how", ["sparql", "file", "name"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_sources_and_formats(example_graph_path: Path, tmp_path: Path, how: str, fmt: str) -> None:
    text = kg.canned_query("who-did-what")
    if how == "sparql":
        args = [text]
    elif how == "file":
        (tmp_path / "q.rq").write_text(text, encoding="utf-8")
        args = ["-f", tmp_path / "q.rq"]
    else:
        args = ["--name", "who-did-what"]
    out = ok(kg_cli("query", example_graph_path, *args, "--format", fmt)).stdout
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
    elif fmt == "json":
        doc = json.loads(out)
        assert doc["head"]["vars"][:3] == ["source", "action", "target"]
        rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    else:
        assert out.splitlines()[0].split()[:3] == ["source", "action", "target"]
        assert re.search(r"\(\d+ rows\)\n$", out)
        assert re.search(r"Sergei Lavrov\s+condemn\s+Hamas", out)
        return
    triples = _who_did_what_rows(rows)
    assert ("Sergei Lavrov", "condemn", "Hamas", "111") in triples
    assert ("Russia", "call on", "Hamas", "020") in triples
    assert ("Hamas", "release", "Roni Krivoi", "084") in triples


def test_query_persons_csv(example_graph_path: Path) -> None:
    out = ok(kg_cli("query", example_graph_path, PERSONS, "--format", "csv")).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    names = [r["name"] for r in rows]
    assert {"Sergei Lavrov", "Mikhail Bogdanov", "Vladimir Putin"} <= set(names)
    assert names == sorted(names)


def test_query_ask_and_stdin_query(example_graph_path: Path) -> None:
    ask = "PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#> ASK { ?e kgo:cameoCode \"084\" }"
    assert ok(kg_cli("query", example_graph_path, ask)).stdout == "true\n"
    out = ok(kg_cli("query", example_graph_path, "-f", "-", "--format", "json", input=ask)).stdout
    assert json.loads(out)["boolean"] is True


def test_query_list() -> None:
    out = ok(kg_cli("query", "--list")).stdout
    listed = {line.split()[0]: line for line in out.splitlines()}
    assert "Who did what" in listed["who-did-what"]
    assert set(kg.list_queries()) <= {line.split()[0] for line in out.splitlines()}


# --------------------------------------------------------------------------- export

QUAD_FORMATS = {"nq": "nquads", "trig": "trig"}
TRIPLE_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


def _triples(graph) -> set:
    return set(graph.triples((None, None, None)))


@pytest.mark.parametrize("fmt", [*TRIPLE_FORMATS, *QUAD_FORMATS])
def test_export_round_trips(example_graph, example_graph_path: Path, fmt: str) -> None:
    out = ok(kg_cli("export", example_graph_path, "--format", fmt)).stdout
    if fmt in QUAD_FORMATS:
        parsed = Dataset(default_union=True)
        parsed.parse(data=out, format=QUAD_FORMATS[fmt])
    else:
        parsed = Graph().parse(data=out, format=TRIPLE_FORMATS[fmt])
    expected = _triples(example_graph)
    assert len(_triples(parsed)) == len(expected)
    assert _triples(parsed) == expected  # no blank nodes: the sets compare directly


def test_export_to_file(example_graph, example_graph_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "copy.nt"
    result = ok(kg_cli("export", example_graph_path, "--format", "NT", "-o", target))
    assert result.stdout == ""
    assert len(Graph().parse(target, format="nt")) == len(_triples(example_graph))
    assert [p.name for p in target.parent.iterdir()] == ["copy.nt"]  # no temp file left


# --------------------------------------------------------------------------- viz, stats, help

def test_viz_to_file(example_graph_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "view.html"
    out = ok(kg_cli("viz", example_graph_path, "-o", target, "--title", "Hostages")).stdout
    match = re.fullmatch(rf"{re.escape(str(target))}: (\d+) nodes, (\d+) edges\n", out)
    assert match and int(match[1]) > 5
    html = target.read_text(encoding="utf-8")
    assert "Hostages" in html and "Sergei Lavrov" in html
    filtered = ok(kg_cli("viz", example_graph_path, "-o", tmp_path / "hamas.html", "--actor", "Hamas",
                         "--event-type", "11")).stdout
    nodes = int(re.search(r"(\d+) nodes", filtered)[1])
    assert 2 <= nodes < int(match[1])


def test_stats(example_graph_path: Path) -> None:
    out = ok(kg_cli("stats", example_graph_path)).stdout
    assert re.search(r"^articles:\s+1$", out, re.M)
    assert re.search(r"^events:\s+\d+$", out, re.M)
    assert "Sergei Lavrov" in out or "Russia" in out
    numbers = json.loads(ok(kg_cli("stats", example_graph_path, "--format", "json")).stdout)
    assert numbers["articles"] == 1 and numbers["events"] >= numbers["diplomatic_events"] > 10


def test_help_and_version() -> None:
    out = ok(kg_cli("--help")).stdout
    for command in ("extract", "build", "query", "export", "viz", "stats"):
        assert command in out
    assert kg.__version__ in ok(kg_cli("--version")).stdout


def test_python_dash_m_kg(tmp_path: Path) -> None:
    help_ = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert help_.returncode == 0 and "Usage: kg" in help_.stdout and "extract" in help_.stdout
    # a real process: strict UTF-8 on stdin, one error line, no traceback
    bad = subprocess.run([sys.executable, "-m", "kg", "extract", "-"], input=b"caf\xe9 Russia met Israel.",
                         capture_output=True, cwd=tmp_path)
    stderr = bad.stderr.decode()
    assert bad.returncode != 0 and bad.stdout == b""
    assert len(stderr.splitlines()) == 1 and stderr.startswith("kg: error: <stdin> is not UTF-8"), stderr


# --------------------------------------------------------------------------- bad input

@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": ("empty.txt", b""),
        "blank": ("blank.txt", b"  \n\n \t\n"),
        "binary": ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        "latin1": ("latin1.txt", "Le ministre fran\u00e7ais a rencontr\u00e9 Lavrov.".encode("latin-1")),
        "jsonl": ("feed.jsonl", b'{"id": "a", "text": "Russia met Israel."}\n{"id": "b", "text": oops}\n'),
        "jsonl_no_text": ("notext.jsonl", b'{"id": "a", "title": "no text"}\n'),
        "bad_graph": ("broken.ttl", b"@prefix kgo: <https://w3id.org/kg-diplomacy/ontology#> .\nkgo:a kgo:b\n"),
        "binary_graph": ("binary.ttl", b"\x00\x01\x02\xff"),
        "unknown_suffix": ("graph.xyz", b"whatever"),
    }
    out = {}
    for key, (name, data) in files.items():
        out[key] = tmp_path / name
        out[key].write_bytes(data)
    return out


def _before(tmp_path: Path) -> set[str]:
    return {p.name for p in tmp_path.iterdir()}


@pytest.mark.parametrize("command", ["extract", "build"])
@pytest.mark.parametrize("case, fragments", [
    ("missing", ["no such file", "missing.txt"]),
    ("empty", ["empty.txt", "empty"]),
    ("blank", ["blank.txt", "empty"]),
    ("binary", ["binary.txt", "binary"]),
    ("latin1", ["latin1.txt", "not UTF-8", "0xe7"]),
    ("jsonl", ["feed.jsonl", "line 2", "invalid JSON"]),
    ("jsonl_no_text", ["notext.jsonl", "line 1", "text"]),
])
def test_bad_articles(command: str, case: str, fragments: list[str], bad_files: dict[str, Path],
                      tmp_path: Path, nlp) -> None:
    path = bad_files.get(case, tmp_path / "missing.txt")
    before = _before(tmp_path)
    outdir = tmp_path / "out"
    args = ["-o", outdir] if command == "build" else []
    result = kg_cli(command, path, *args)
    if command == "build" and case == "jsonl":  # its good line 1 is built, line 2 skipped (tests/test_corpus.py)
        assert result.exit_code == 3 and "line 2" in result.stderr
        return
    assert_one_line_error(result, *fragments)
    assert result.stdout == ""
    assert _before(tmp_path) == before  # no OUTDIR, no staging directory


def test_build_failure_keeps_existing_outdir_untouched(bad_files: dict[str, Path], tmp_path: Path, nlp) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "keep.ttl").write_text("# old\n", encoding="utf-8")
    # every article is skipped, so nothing is built: the skips are listed, then one error line
    result = kg_cli("build", bad_files["jsonl_no_text"], bad_files["empty"], "-o", outdir, "--name", "keep")
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines()[-1].startswith("kg: error: no article could be read: all 2 were skipped")
    assert [p.name for p in outdir.iterdir()] == ["keep.ttl"]
    assert (outdir / "keep.ttl").read_text(encoding="utf-8") == "# old\n"


@pytest.mark.parametrize("stdin, fragments", [
    (b"", ["<stdin>", "empty"]),
    (b"caf\xe9 au lait", ["<stdin>", "not UTF-8"]),
    (b"abc\x00def", ["<stdin>", "binary"]),
    (b'{"id": "x", "text": "Russia met Israel."}\n{"id": \n', ["<stdin> line 2"]),
])
def test_bad_stdin(stdin: bytes, fragments: list[str], nlp) -> None:
    assert_one_line_error(kg_cli("extract", "-", input=stdin), *fragments)


@pytest.mark.parametrize("command", ["extract", "build"])
@pytest.mark.parametrize("value", ["yesterday", "2023-13-01", "07/10/2023"])
def test_bad_date(command: str, value: str, tmp_path: Path) -> None:
    args = ["-o", tmp_path / "out"] if command == "build" else []
    assert_one_line_error(kg_cli(command, EXAMPLE, "--date", value, *args), "date", value)
    assert not (tmp_path / "out").exists()


def test_build_outdir_under_a_file(bad_files: dict[str, Path], tmp_path: Path) -> None:
    assert_one_line_error(kg_cli("build", EXAMPLE, "-o", bad_files["empty"] / "out"), "not a directory")


@pytest.mark.parametrize("sparql, fragments", [
    ("SELECT ?x WHERE {\n  ?x ?y .\n}", ["syntax error", "line 2", "column"]),
    ("SELECT ?x WHERE { ?x ?y ?z ", ["syntax error", "line 1", "column", "end of query"]),
    ("SELECT ?x WHERE { ?x nope:p ?z }", ["unknown prefix", "nope", "line 1", "column"]),
    ("DELETE WHERE { ?s ?p ?o }", ["read-only"]),
])
def test_bad_sparql(example_graph_path: Path, sparql: str, fragments: list[str]) -> None:
    result = kg_cli("query", example_graph_path, sparql)
    assert_one_line_error(result, *fragments)
    assert result.stdout == ""


def test_bad_query_arguments(example_graph_path: Path, tmp_path: Path) -> None:
    assert_one_line_error(kg_cli("query", example_graph_path, "--name", "no-such-query"),
                          "no canned query", "no-such-query", "who-did-what")
    assert_one_line_error(kg_cli("query", example_graph_path), "exactly one query")
    assert_one_line_error(kg_cli("query", example_graph_path, "ASK {}", "--name", "who-did-what"),
                          "exactly one query")
    assert_one_line_error(kg_cli("query", example_graph_path, "-f", tmp_path / "none.rq"),
                          "cannot read query file", "none.rq")
    (tmp_path / "latin.rq").write_bytes(b"SELECT * WHERE { ?s ?p \"\xe9\" }")
    assert_one_line_error(kg_cli("query", example_graph_path, "-f", tmp_path / "latin.rq"), "not UTF-8")
    # click's own usage errors are one line too (exit code 2)
    assert_one_line_error(kg_cli("query", example_graph_path, "ASK {}", "--format", "xml"),
                          "--format", "kg query --help", exit_code=2)
    assert_one_line_error(kg_cli("query"), "Missing argument 'GRAPH'", exit_code=2)


@pytest.mark.parametrize("case, fragments", [
    ("missing", ["not found", "missing.ttl"]),
    ("bad_graph", ["cannot parse", "broken.ttl", "turtle"]),
    ("binary_graph", ["cannot parse", "binary.ttl"]),
    ("unknown_suffix", ["graph.xyz", "suffix"]),
])
@pytest.mark.parametrize("command", ["query", "export", "viz", "stats"])
def test_bad_graph(command: str, case: str, fragments: list[str], bad_files: dict[str, Path],
                   tmp_path: Path) -> None:
    graph = bad_files.get(case, tmp_path / "missing.ttl")
    args = {"query": ["ASK {}"], "export": ["--format", "ttl", "-o", tmp_path / "o.ttl"],
            "viz": ["-o", tmp_path / "o.html"], "stats": []}[command]
    before = _before(tmp_path)
    result = kg_cli(command, graph, *args)
    assert_one_line_error(result, *fragments)
    assert result.stdout == ""
    assert _before(tmp_path) == before


def test_bad_export_arguments(example_graph_path: Path, bad_files: dict[str, Path], tmp_path: Path) -> None:
    before = _before(tmp_path)
    assert_one_line_error(kg_cli("export", example_graph_path, "--format", "yaml", "-o", tmp_path / "g.yaml"),
                          "unknown export format", "yaml", "ttl")
    assert_one_line_error(kg_cli("export", example_graph_path, "--format", "ttl", "-o",
                                 bad_files["empty"] / "g.ttl"), "not a directory")
    assert_one_line_error(kg_cli("export", example_graph_path), "Missing option '--format'", exit_code=2)
    assert _before(tmp_path) == before


def test_bad_viz_arguments(example_graph_path: Path, tmp_path: Path) -> None:
    before = _before(tmp_path)
    assert_one_line_error(kg_cli("viz", example_graph_path, "-o", tmp_path / "v.html", "--actor", "Nobody"),
                          "no events match")
    assert_one_line_error(kg_cli("viz", example_graph_path, "-o", tmp_path / "v.html", "--since", "soon"),
                          "--since", "not a date")
    assert_one_line_error(kg_cli("viz", example_graph_path, "-o", tmp_path / "v.html", "--max-nodes", "0"),
                          "--max-nodes", exit_code=2)
    assert _before(tmp_path) == before


def test_unknown_command_and_option() -> None:
    assert_one_line_error(kg_cli("frobnicate"), "No such command", exit_code=2)
    assert_one_line_error(kg_cli("extract", EXAMPLE, "--bogus"), "--bogus", exit_code=2)
    assert_one_line_error(kg_cli("extract", EXAMPLE, "--model", "no_such_model"), "no_such_model", "not installed")


def test_unexpected_errors_are_one_line(example_graph_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.views.network

    def boom(*args, **kwargs):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(kg.views.network, "graph_stats", boom)
    result = kg_cli("stats", example_graph_path)
    assert_one_line_error(result, "internal error", "RuntimeError: something broke", "KG_DEBUG",
                          exit_code=INTERNAL_ERROR_EXIT)
    debug = kg_cli("stats", example_graph_path, env={"KG_DEBUG": "1"})
    assert isinstance(debug.exception, RuntimeError)  # the traceback is there when asked for


def test_a_graph_result_as_csv_says_it_prints_n_triples(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    result = CliRunner().invoke(
        main, ["query", str(graph), "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "<http://example.org/a> <http://example.org/p> <http://example.org/b> ."
    assert "printed as N-Triples" in result.stderr


def test_build_says_its_phases_and_prints_the_first_rows_of_its_summary(tmp_path):
    out = tmp_path / "out"
    result = kg_cli("build", EXAMPLE, "-o", out, "--progress")
    assert result.exit_code == 0, result.output
    text = result.output
    # after the bar: the steps that follow the reading, each on its own line
    assert text.index("kg build: writing the graph ...") < text.index("kg build: drawing the view ...")
    summary = text[text.index("Who did what to whom"):].splitlines()
    assert len([line for line in summary if " kgo:" in line]) == 10  # the first rows, not all
    assert "(the first 10 rows; there are more)" in text and f"all rows: kg query {out}" in text


def test_lexicon_prints_the_library_s_coverage_report():
    """`kg lexicon` is a wrapper over kg.extract.coverage.lexicon_coverage: the same report as
    text (a line per code, then the summary) and as JSON, --missing keeping the codes without rows."""
    from kg.extract.coverage import lexicon_coverage

    report = lexicon_coverage()
    summary = report.summary()
    assert summary["codes"] == len(report.rows_per_code) and summary["rows"] >= summary["coded_rows"]
    assert summary["codes_with_rows"] + sum(1 for n in report.rows_per_code.values() if not n) == summary["codes"]
    text = ok(kg_cli("lexicon")).stdout.splitlines()
    assert text == report.text_lines() and len(text) == summary["codes"] + 1
    assert text[-1].startswith(f"{summary['rows']} rows ({summary['coded_rows']} with a code); ")
    missing = json.loads(ok(kg_cli("lexicon", "--missing", "--format", "json")).stdout)
    assert missing["summary"] == summary
    assert missing["rows_per_code"] == {c: 0 for c, n in report.rows_per_code.items() if not n}
    assert all(code in report.rows_per_code and not report.rows_per_code[code] for code in report.by_coding_rules)
