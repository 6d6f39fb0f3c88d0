"""Python users' API on real text through the real pipeline: kg.events_frame of events, a graph
and a store; QueryResult iteration and to_dataframe; the spaCy component `kg_events`."""
from __future__ import annotations

import importlib.metadata
import sys

import pandas as pd  # the analysis extra, which the test set-up installs: never skipped
import pytest
import spacy

import kg
from kg.errors import PandasMissing
from kg.views.event_table import COLUMNS
from kg.store import open_store

TEXT = ("Russian Foreign Minister Sergei Lavrov condemned the attack on the embassy.\n"
        "Egypt and Qatar agreed to host new talks on the ceasefire.\n"
        "Japan sent humanitarian aid to the Philippines.\n"
        "The minister opened a new bridge in the capital.")
CODES = ["111", "036", "036", "073"]


@pytest.fixture(scope="module")
def results(nlp) -> list[kg.ArticleResult]:
    article = kg.Article(id="brief-2024-06-03", text=TEXT, date="2024-06-03", url="https://example.org/brief",
                         source="Example Briefing")
    return list(kg.process_articles([article]))


@pytest.fixture(scope="module")
def graph(results):
    return kg.build_graph(results)


# ---------------------------------------------------------------- events_frame

def test_events_frame_of_results_has_the_table_dtypes(results) -> None:
    frame = kg.events_frame(results)
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["cameo_code"]) == CODES
    for column in ("event_id", "cameo_code", "root_code", "source_country", "source_code", "target_code"):
        assert pd.api.types.is_string_dtype(frame[column]), column
    assert list(frame["root_code"]) == ["11", "03", "03", "07"]
    assert pd.api.types.is_datetime64_any_dtype(frame["event_date"])
    assert (frame["pub_date"] == pd.Timestamp("2024-06-03")).all()
    assert str(frame["negated"].dtype) == "boolean" and str(frame["quad_class"].dtype) == "Int64"
    assert list(frame["quad_class"]) == [3, 1, 1, 2]
    assert frame.loc[0, "source_code"] == "RUSGOV"
    assert list(frame["target_name"][1:]) == ["Qatar", "Egypt", "Philippines"]
    assert (frame["publisher"] == "Example Briefing").all()


def test_events_frame_all_and_bare_events(results) -> None:
    every = kg.events_frame(results, include_all=True)
    assert len(every) == len(results[0].events) > len(CODES)
    assert every["cameo_code"].isna().sum() == len(every) - len(CODES)
    bare = kg.events_frame(results[0].events)  # no article: its columns are empty
    assert list(bare["cameo_code"]) == CODES
    assert bare["pub_date"].isna().all() and bare["url"].isna().all()
    dates = [e.date for e in results[0].events if e.cameo]  # the events' own dates (here the article's)
    assert list(bare["event_date"]) == [pd.Timestamp(d) for d in dates]


def test_events_frame_of_a_graph_and_a_store(results, graph, tmp_path) -> None:
    from_results = kg.events_frame(results).sort_values("event_id", ignore_index=True)
    from_graph = kg.events_frame(graph).sort_values("event_id", ignore_index=True)
    with open_store(tmp_path / "store", create=True) as store:
        store.add_results(results)
        from_store = kg.events_frame(store).sort_values("event_id", ignore_index=True)
    pd.testing.assert_frame_equal(from_graph, from_results)
    pd.testing.assert_frame_equal(from_store, from_graph)
    assert from_graph.loc[from_graph["cameo_code"] == "111", "source_code"].tolist() == ["RUSGOV"]


def test_events_frame_of_a_graph_file(graph, tmp_path) -> None:
    path = tmp_path / "brief.ttl"
    kg.save_graph(graph, path)
    frame = kg.events_frame(kg.load_graph(path))
    assert sorted(frame["cameo_code"]) == sorted(CODES)
    assert (frame["num_mentions"] == 1).all()
    pd.testing.assert_frame_equal(kg.events_frame(path), frame)  # where the graph is: a file ...
    pd.testing.assert_frame_equal(kg.events_frame(str(path)), frame)


def test_events_frame_of_a_store_directory(results, tmp_path) -> None:
    with open_store(tmp_path / "store", create=True) as store:
        store.add_results(results)
    frame = kg.events_frame(tmp_path / "store")  # ... or a store directory, as GRAPH on the CLI
    assert sorted(frame["cameo_code"]) == sorted(CODES)


def test_event_table_text(graph) -> None:
    text = kg.events_table(graph, "tsv")
    assert text.splitlines()[0].split("\t") == list(COLUMNS)
    assert len(text.splitlines()) == 1 + len(CODES)


def test_events_frame_refuses_other_things() -> None:
    with pytest.raises(kg.KgError, match="cannot make an event table of int"):
        kg.events_frame(42)
    with pytest.raises(kg.KgError, match="graph file or store not found"):
        kg.events_frame("no/such/store")


def test_a_clear_error_without_pandas(results, graph, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails
    with pytest.raises(PandasMissing, match=r"pandas is not installed; install kg's analysis extra") as caught:
        kg.events_frame(results)
    assert isinstance(caught.value, kg.KgError) and isinstance(caught.value, ImportError)
    with pytest.raises(PandasMissing):
        kg.run_query(graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 1").to_dataframe()


# ---------------------------------------------------------------- QueryResult

def test_query_result_iterates_rows_by_name_and_index(graph) -> None:
    result = kg.run_query(graph, kg.canned_query("who-did-what"))  # asserted events: not the intended talks
    rows = list(result)
    assert len(rows) == len(result.rows) == 2
    first = rows[0]
    assert str(first.source) == str(first["source"]) == str(first[0]) == "Sergei Lavrov"
    assert str(first.cameo) == "111" and first.get("nothing") is None
    assert tuple(first) == result.rows[0]
    assert [str(row.cameo) for row in result] == ["111", "073"]  # iterable again


def test_query_result_iterates_ask_and_graph(graph) -> None:
    assert list(kg.run_query(graph, "ASK { ?s ?p ?o }")) == [True]
    construct = kg.run_query(graph, "PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#> "
                                    "CONSTRUCT { ?e kgo:cameoCode ?c } WHERE { ?e kgo:cameoCode ?c }")
    assert sorted(str(o) for _, _, o in construct) == sorted(CODES)
    frame = construct.to_dataframe()
    assert list(frame.columns) == ["subject", "predicate", "object"]
    assert sorted(frame["object"]) == sorted(CODES)
    ask = kg.run_query(graph, "ASK { ?s ?p ?o }").to_dataframe()
    assert ask["boolean"].tolist() == [True] and str(ask["boolean"].dtype) == "boolean"


SELECT_TYPED = """
PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event ?source ?cameo ?quad ?goldstein ?negated ?date ?modality WHERE {
  ?event kgo:cameoCode ?cameo ; kgo:quadClass ?quad ; kgo:goldstein ?goldstein ; kgo:negated ?negated ;
         kgo:date ?date ; kgo:source/rdfs:label ?source .
  OPTIONAL { ?event kgo:modality ?modality }
} ORDER BY ?cameo ?source
"""


def test_query_result_to_dataframe_types_columns(graph, results, tmp_path) -> None:
    frame = kg.run_query(graph, SELECT_TYPED).to_dataframe()
    assert list(frame.columns) == ["event", "source", "cameo", "quad", "goldstein", "negated", "date", "modality"]
    assert list(frame["cameo"]) == sorted(CODES)  # codes stay strings: "030", not 30
    assert pd.api.types.is_string_dtype(frame["cameo"]) and pd.api.types.is_string_dtype(frame["event"])
    assert frame["event"][0].startswith("https://w3id.org/kg-diplomacy/resource/event/")
    assert str(frame["quad"].dtype) == "Int64"
    assert frame["goldstein"].dtype == "float64" and frame["goldstein"].tolist()[0] == 4.0
    assert str(frame["negated"].dtype) == "boolean"
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert (frame["date"] == pd.Timestamp("2024-06-03")).all()
    assert frame["modality"].tolist()[:2] == ["intended", "intended"]  # "agreed to host new talks"
    assert frame["modality"][2:].isna().all()  # unbound: <NA>
    with open_store(tmp_path / "store", create=True) as store:
        store.add_results(results)
        from_store = kg.run_query(store, SELECT_TYPED).to_dataframe()
    pd.testing.assert_frame_equal(from_store, frame)


def test_an_empty_select_gives_an_empty_frame_with_its_columns(graph) -> None:
    frame = kg.run_query(graph, "SELECT ?a ?b WHERE { ?a <urn:x:none> ?b }").to_dataframe()
    assert list(frame.columns) == ["a", "b"] and len(frame) == 0
    assert list(kg.run_query(graph, "SELECT ?a WHERE { ?a <urn:x:none> ?b }")) == []


# ---------------------------------------------------------------- the spaCy component

@pytest.fixture(scope="module")
def own_nlp():
    """A spaCy pipeline of the user's own (not kg's cached one, which the component would change)."""
    return spacy.load(kg.DEFAULT_MODEL)


def test_the_factory_is_an_entry_point() -> None:
    found = [ep for ep in importlib.metadata.entry_points(group="spacy_factories") if ep.name == "kg_events"]
    assert [ep.value for ep in found] == ["kg.pipeline.spacy_component:make_events_component"]


def test_add_pipe_sets_doc_events(own_nlp, results) -> None:
    own_nlp.add_pipe("kg_events", config={"article_id": "brief-2024-06-03", "date": "2024-06-03"})
    try:
        doc = own_nlp(TEXT)
        assert [e.cameo for e in doc._.events if e.cameo] == CODES
        assert all(isinstance(e, kg.Event) for e in doc._.events)
        lavrov = doc._.events[0]
        assert (lavrov.subject.name, lavrov.subject.code, lavrov.action) == ("Sergei Lavrov", "RUSGOV", "condemn")
        # the same events, with the same ids, as kg's own reading of the article
        assert [e.iri for e in doc._.events] == [e.iri for e in results[0].events]
        assert lavrov.to_record()["cameo"] == "111"
        frame = kg.events_frame(doc._.events)
        assert list(frame["cameo_code"]) == CODES
        assert own_nlp.make_doc("Nothing ran on this one.")._.events is None
        docs = list(own_nlp.pipe(["Turkey expelled the Swedish ambassador.", "The sky was blue."]))
        assert [[(e.subject.name, e.cameo, e.target.code) for e in d._.events] for d in docs] \
            == [[("Turkey", "161", "SWEGOV")], []]  # expel an ambassador: reduce relations
    finally:
        own_nlp.remove_pipe("kg_events")


def test_default_article_ids_differ_by_text(own_nlp) -> None:
    own_nlp.add_pipe("kg_events")
    try:
        one, two = own_nlp.pipe(["Turkey expelled the Swedish ambassador.", "Chile expelled the Swedish ambassador."])
        assert one._.events and two._.events
        assert one._.events[0].article_id != two._.events[0].article_id
        assert one._.events[0].date is None
    finally:
        own_nlp.remove_pipe("kg_events")


def test_the_component_needs_a_parse() -> None:
    blank = spacy.blank("en")
    blank.add_pipe("kg_events")
    with pytest.raises(kg.KgError, match="needs a Doc with a dependency parse"):
        blank("Russia condemned the attack.")
    assert blank("")._.events == []


def test_a_bad_date_in_the_config() -> None:
    with pytest.raises(kg.KgError, match="date"):
        spacy.blank("en").add_pipe("kg_events", config={"date": "June 3rd"})
