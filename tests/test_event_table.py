"""The event table (`kg extract --format csv|tsv`, kg.views.event_table) on real text through the real
pipeline, read back with pandas: column order, dtypes (codes stay strings), --all, errors."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd  # the analysis extra, which the test set-up installs: never skipped
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.views.event_table import COLUMNS, format_event_table, read_event_table, table_rows

EXPECTED_COLUMNS = [
    "event_id", "event_date", "pub_date",
    "source_name", "source_country", "source_sector", "source_code",
    "target_name", "target_country", "target_sector", "target_code",
    "cameo_code", "root_code", "quad_class", "goldstein", "negated", "modality", "attributed_to",
    "num_mentions", "confidence", "sentence", "article_id", "url", "publisher",
]
CODE_COLUMNS = ["source_country", "source_sector", "source_code", "target_country", "target_sector",
                "target_code", "cameo_code", "root_code"]

# news-like text of our own: a condemnation (111), a mutual intent to negotiate (036, root 03),
# sanctions (163), a negated recognition (054), a sentence with no event and one with an act
# that is no political event (an event record without a CAMEO code)
ARTICLES = [
    {"id": "wire-0412", "date": "2024-04-12", "url": "https://news.example.org/2024/04/12/embassy",
     "source": "Example Wire",
     "text": "Russian Foreign Minister Sergei Lavrov condemned the attack on the embassy.\n"
             "China and India agreed to resume border talks.\n"
             "The weather in the capital was mild.\n"
             "The minister opened a new bridge in the capital."},
    {"id": "daily-0415", "date": "2024-04-15", "url": "https://daily.example.net/sanctions",
     "source": "Example Daily",
     "text": "The United States imposed sanctions on Iran.\n"
             "Germany did not recognise the new government."},
]


def run(*args: object, input: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, prog_name="kg")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("event-table") / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def csv_text(corpus, nlp) -> str:
    result = run("extract", corpus, "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_columns_in_the_documented_order(csv_text) -> None:
    header = next(csv.reader(io.StringIO(csv_text)))
    assert header == EXPECTED_COLUMNS == list(COLUMNS) == list(kg.EVENT_COLUMNS)


def test_csv_quotes_every_code(csv_text) -> None:
    lines = csv_text.splitlines()
    assert len(lines) == 1 + 5  # header + the five coded events
    intent = next(line for line in lines if "resume border talks" in line)
    assert ',"036","03",1,4.0,false,' in intent  # codes quoted, numbers and booleans bare
    assert '"China","CHN",,"CHN","India","IND",,"IND"' in intent


def test_csv_read_back_with_pandas_keeps_codes_as_strings(csv_text, tmp_path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(csv_text, encoding="utf-8")
    frame = read_event_table(path)
    assert list(frame.columns) == EXPECTED_COLUMNS
    for column in CODE_COLUMNS + ["event_id", "source_name", "sentence", "article_id", "url", "publisher"]:
        assert pd.api.types.is_string_dtype(frame[column]), column
    assert str(frame["quad_class"].dtype) == "Int64"
    assert str(frame["num_mentions"].dtype) == "Int64"
    assert str(frame["negated"].dtype) == "boolean"
    assert frame["goldstein"].dtype == "float64" and frame["confidence"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(frame["event_date"])
    assert pd.api.types.is_datetime64_any_dtype(frame["pub_date"])
    assert sorted(frame["cameo_code"]) == ["036", "036", "054", "111", "163"]  # leading zeros kept
    assert set(frame["root_code"]) == {"03", "05", "11", "16"}
    lavrov = frame[frame["cameo_code"] == "111"].iloc[0]
    assert (lavrov["source_name"], lavrov["source_country"], lavrov["source_sector"], lavrov["source_code"]) \
        == ("Sergei Lavrov", "RUS", "GOV", "RUSGOV")
    assert pd.isna(lavrov["target_name"])  # "the attack on the embassy" is a theme, not a target
    assert lavrov["quad_class"] == 3 and lavrov["goldstein"] == -2.0 and not lavrov["negated"]
    assert lavrov["pub_date"] == pd.Timestamp("2024-04-12") == lavrov["event_date"]
    assert (lavrov["article_id"], lavrov["publisher"]) == ("wire-0412", "Example Wire")
    assert lavrov["url"] == "https://news.example.org/2024/04/12/embassy"
    assert lavrov["sentence"] == "Russian Foreign Minister Sergei Lavrov condemned the attack on the embassy."
    assert lavrov["num_mentions"] == 1
    sanction = frame[frame["cameo_code"] == "163"].iloc[0]
    assert (sanction["source_code"], sanction["target_name"], sanction["target_code"]) \
        == ("USA", "Iran", "IRN")
    assert sanction["quad_class"] == 4
    recognition = frame[frame["cameo_code"] == "054"].iloc[0]
    assert bool(recognition["negated"]) is True


def test_plain_pandas_with_the_published_dtypes(csv_text) -> None:
    """What the README tells a pandas user who does not import kg's reader."""
    frame = pd.read_csv(io.StringIO(csv_text), dtype=kg.views.event_table.DTYPES, keep_default_na=False,
                        na_values=[""], parse_dates=["event_date", "pub_date"])
    assert "036" in set(frame["cameo_code"])
    assert pd.api.types.is_datetime64_any_dtype(frame["event_date"])


def test_all_keeps_events_without_a_code(corpus, csv_text) -> None:
    result = run("extract", corpus, "--format", "csv", "--all")
    assert result.exit_code == 0, result.output
    frame = read_event_table(io.StringIO(result.stdout), "csv")
    coded = read_event_table(io.StringIO(csv_text), "csv")
    assert len(frame) > len(coded)
    assert frame["cameo_code"].isna().sum() == len(frame) - len(coded)
    assert frame["root_code"].isna().sum() == len(frame) - len(coded)
    uncoded = frame[frame["cameo_code"].isna()]
    assert uncoded["quad_class"].isna().all() and uncoded["goldstein"].isna().all()
    assert set(coded["event_id"]) <= set(frame["event_id"])


def test_tsv_matches_csv(corpus, csv_text) -> None:
    result = run("extract", corpus, "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split("\t") == EXPECTED_COLUMNS
    assert '"' not in result.stdout.splitlines()[1]  # TSV is not quoted
    from_tsv = read_event_table(io.StringIO(result.stdout), "tsv")
    from_csv = read_event_table(io.StringIO(csv_text), "csv")
    pd.testing.assert_frame_equal(from_tsv, from_csv)


def test_event_ids_are_those_of_the_jsonl_records(corpus, csv_text) -> None:
    result = run("extract", corpus, "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    coded = [r["iri"].rsplit("/", 1)[1] for r in records if r["cameo"]]
    frame = read_event_table(io.StringIO(csv_text), "csv")
    assert list(frame["event_id"]) == coded


def test_graph_rows_match_extraction_rows(corpus, nlp) -> None:
    """The table of a graph (as `kg export --format events-csv` will write it) holds the same
    events and values as the table of the extraction."""
    results = list(kg.extract_paths([corpus]))
    graph = kg.build_graph(results)
    key = lambda r: r["event_id"]  # noqa: E731
    from_events = sorted(table_rows(results, include_all=True), key=key)
    from_graph = sorted(table_rows(graph, include_all=True), key=key)
    assert [r["event_id"] for r in from_events] == [r["event_id"] for r in from_graph]
    assert from_events == from_graph
    assert format_event_table(table_rows(graph), "csv").count("\n") == 1 + 5


def test_partial_dates_and_missing_articles(nlp) -> None:
    events = kg.extract_from_text("Turkey expelled the Swedish ambassador.", article_id="note", nlp=nlp)
    [row] = table_rows(events)
    assert row["pub_date"] is None and row["url"] is None and row["publisher"] is None
    frame = kg.events_frame(events)
    assert frame["pub_date"].isna().all()
    text = format_event_table([{**row, "event_date": "2024-05"}], "csv")
    assert read_event_table(io.StringIO(text), "csv")["event_date"][0] == pd.Timestamp("2024-05-01")


def test_cells_with_quotes_commas_tabs_and_na(tmp_path) -> None:
    row = {c: None for c in COLUMNS}
    row.update(event_id="x1", cameo_code="040", root_code="04", negated=False, num_mentions=1, confidence=0.5,
               source_name="NA", target_name='the "Quartet", envoys', sentence="one\ttwo\nthree")
    for fmt in ("csv", "tsv"):
        path = tmp_path / f"t.{fmt}"
        path.write_text(format_event_table([row], fmt), encoding="utf-8")
        back = read_event_table(path).iloc[0]
        assert back["source_name"] == "NA"  # a name, not a missing value
        assert back["target_name"] == 'the "Quartet", envoys'
        assert back["sentence"] == "one two three" and back["cameo_code"] == "040"  # one line a row


def test_all_needs_a_table_format(corpus) -> None:
    result = run("extract", corpus, "--all")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("kg: error: --all applies to --format csv or tsv")
    assert "Traceback" not in result.output


def test_bad_input_is_one_error_line_and_no_header() -> None:
    result = run("extract", "-", "--format", "csv", input="")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("kg: error:")


def test_an_article_without_events_gives_the_header(tmp_path) -> None:
    path = tmp_path / "quiet.txt"
    path.write_text("The weather in the capital was mild.\n", encoding="utf-8")
    result = run("extract", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [",".join(EXPECTED_COLUMNS)]


def test_not_an_event_table(tmp_path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(kg.KgError, match="not an event table"):
        read_event_table(path)
    with pytest.raises(kg.KgError, match="unknown event table format"):
        format_event_table([], "xlsx")
    with pytest.raises(kg.KgError, match="cannot make an event table of int"):
        table_rows(7)
    with pytest.raises(kg.KgError, match="not found"):
        table_rows(tmp_path / "missing.ttl")
    with pytest.raises(kg.KgError, match="cannot tell the RDF format"):
        table_rows(path)


def test_walking_an_rdflib_graph_gives_the_query_solutions(corpus, nlp) -> None:
    """On an rdflib graph the rows come from walking its statements (rdflib's SPARQL engine is
    slow on the table's optional patterns): the same solutions as the query, also where a node
    has two values (a second label, country and sector) and rows multiply."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from kg.views.event_table import _GRAPH_QUERY, _graph_terms, graph_rows
    from kg.query import run_query
    from kg.vocab import KGO

    graph = kg.build_graph(kg.extract_paths([corpus]))
    lavrov = URIRef("https://w3id.org/kg-diplomacy/resource/actor/sergei-lavrov")
    graph.add((lavrov, RDFS.label, Literal("Sergey Lavrov")))
    graph.add((lavrov, KGO.country, Literal("AAA")))
    graph.add((lavrov, KGO.sector, Literal("ELI")))
    result = run_query(graph, _GRAPH_QUERY)

    def solutions(rows):
        return sorted(tuple(str(row[c]) if row[c] is not None else "" for c in result.columns) for row in rows)

    queried = solutions(dict(zip(result.columns, values)) for values in result.rows)
    assert solutions(_graph_terms(graph)) == queried
    assert len(queried) > 9  # the Lavrov event's rows multiplied: 2 labels x 2 countries x 2 sectors
    [row] = [r for r in graph_rows(graph) if r["cameo_code"] == "111"]
    assert (row["source_name"], row["source_country"], row["source_sector"]) == ("Sergei Lavrov", "AAA", "ELI")


def test_export_events_csv_of_a_graph_is_the_event_table(corpus, tmp_path) -> None:
    built = run("build", corpus, "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    graph = tmp_path / "out" / "articles.ttl"
    exported = run("export", graph, "--format", "events-csv", "-o", tmp_path / "events.csv")
    assert exported.exit_code == 0, exported.output
    frame = read_event_table(tmp_path / "events.csv")
    assert list(frame.columns) == EXPECTED_COLUMNS
    assert set(frame["cameo_code"]) >= {"111", "163"} and str(frame["cameo_code"].dtype) == "string"
    tsv = run("export", graph, "--format", "events-tsv")
    assert tsv.exit_code == 0 and tsv.stdout.splitlines()[0].split("\t") == EXPECTED_COLUMNS
    wrong = run("export", graph, "--format", "events-csv", "-o", tmp_path / "events.ttl")
    assert wrong.exit_code == 2 and "suffix" in wrong.output
