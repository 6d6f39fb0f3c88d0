"""The extractor's Doc cache gives spaCy's own answers, and lives no longer than an extraction."""
from __future__ import annotations

import pytest

from kg.extract import extract_events
from kg.extract.doc_cache import (children, doc_cache, drop_cache, entity_of, ents_in, sentence_of, span_text,
                                  subtree, token_at, tokens_of)
from kg.ingest.articles import read_articles
from kg.nlp.parse import parse_article


@pytest.fixture(scope="module")
def parsed(nlp, example_path):
    """The example article, parsed; its Doc cache is dropped after the module."""
    article = next(iter(read_articles([example_path])))
    parsed = parse_article(article, nlp)
    yield parsed
    drop_cache(parsed.doc)


def test_tokens_children_subtrees_and_sentences_are_spacys(parsed):
    doc = parsed.doc
    for token in doc:
        assert token_at(doc, token.i) == token
        assert children(token) == tuple(token.children)
        assert subtree(token) == tuple(token.subtree)
        sentence, expected = sentence_of(token), token.sent
        assert (sentence.start, sentence.end) == (expected.start, expected.end)


def test_span_texts_and_entities_are_spacys(parsed):
    doc = parsed.doc
    spans = [s.span for s in parsed.sentences] + list(doc.ents) + [doc[:0], doc[:]]
    spans += [doc[t.left_edge.i: t.right_edge.i + 1] for t in doc]
    for span in spans:
        assert span_text(span) == span.text
        assert tokens_of(span) == list(span)
        assert [(e.start, e.end, e.label_) for e in ents_in(span)] == [(e.start, e.end, e.label_) for e in span.ents]
    for token in doc:
        expected = next(((e.start, e.end) for e in doc.ents if e.start <= token.i < e.end), None)
        found = entity_of(token)
        assert ((found.start, found.end) if found is not None else None) == expected


def test_the_cache_is_kept_in_the_doc_and_dropped_after_extraction(nlp, example_path):
    parsed = parse_article(next(iter(read_articles([example_path]))), nlp)
    as_parsed = dict(parsed.doc.user_data)
    cache = doc_cache(parsed.doc)
    assert doc_cache(parsed.doc) is cache  # one per Doc
    drop_cache(parsed.doc)
    assert doc_cache(parsed.doc) is not cache
    assert extract_events(parsed)
    assert parsed.doc.user_data == as_parsed  # extraction drops the cache, its own and any made before
