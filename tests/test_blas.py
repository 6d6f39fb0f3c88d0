"""kg's models multiply on numpy's BLAS, one thread while kg parses, and parse exactly as spaCy's own."""
from __future__ import annotations

import pytest
import spacy
from spacy.attrs import IDS
from threadpoolctl import threadpool_info

from kg.nlp.blas import OPTIMISED, numpy_blas
from kg.model import Article
from kg.nlp.parse import DEFAULT_MODEL, finish_lines, parse_lines, separable_tail

ANNOTATIONS = [IDS[name] for name in ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")]


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.fixture(scope="module")
def articles(repo_root) -> list[Article]:
    paths = [repo_root / "examples" / "russia-hamas-hostages.txt", repo_root / "tests" / "data" / "evaluate-article.txt"]
    return [Article(id=path.stem, text=path.read_text(encoding="utf-8")) for path in paths]


def test_numpy_blas_is_the_library_numpy_has_loaded():
    loaded = {pool["internal_api"] for pool in threadpool_info() if pool["user_api"] == "blas"}
    assert numpy_blas() in OPTIMISED  # numpy's wheels bundle OpenBLAS
    assert numpy_blas() in loaded


def test_the_models_use_numpys_blas_when_it_is_optimised(nlp):
    if numpy_blas() is None:
        pytest.skip("numpy has no optimised BLAS here: the models keep thinc's BLIS")
    assert {node.ops.use_blis for node in nlp.get_pipe("tok2vec").model.walk()} == {False}
    for name in ("ner", "parser"):  # their small output layer spaCy keeps on its own CPU ops
        model = nlp.get_pipe(name).model
        assert {node.ops.use_blis for ref in ("tok2vec", "lower") for node in model.get_ref(ref).walk()} == {False}
    assert {node.ops.use_blis for node in spacy.load(DEFAULT_MODEL).get_pipe("tok2vec").model.walk()} == {True}


def test_kg_parses_exactly_as_spacy_does(nlp, articles):
    """Both speed-ups (kg.nlp.blas, kg.nlp.attribute_rules) at once, through kg's own parse: the same
    annotations as spaCy's pipeline loaded by spaCy, line by line."""
    spacy_nlp = spacy.load(DEFAULT_MODEL)
    ours = [doc.to_array(ANNOTATIONS).tolist() for lines in parse_lines(articles, nlp) for doc in lines.docs]
    tail = separable_tail(nlp)
    split = finish_lines(parse_lines(articles, nlp, disable=tail), nlp, tail)  # the ner run apart, as a worker's chunk
    theirs = [doc.to_array(ANNOTATIONS).tolist() for lines in parse_lines(articles, spacy_nlp) for doc in lines.docs]
    assert len(ours) > 15 and ours == theirs
    assert [doc.to_array(ANNOTATIONS).tolist() for lines in split for doc in lines.docs] == theirs


def test_blas_runs_on_one_thread_while_kg_parses(nlp, articles):
    if numpy_blas() is None:
        pytest.skip("numpy has no optimised BLAS here")
    before = _blas_threads()
    during = [_blas_threads() for _ in parse_lines(articles, nlp)]
    assert during and all(threads and set(threads) == {1} for threads in during)
    assert _blas_threads() == before  # put back when the parse ends
