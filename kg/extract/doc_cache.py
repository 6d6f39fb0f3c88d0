"""What extraction reads of a parsed Doc again and again, computed once per Doc.

spaCy makes new objects on every access: `doc[i]` a new Token, `token.children` and
`token.sent` new Tokens and Spans, `Doc.ents` new Spans, and `Span.text` joins its tokens
each time. The extractor asks the same questions of the same tokens many times, and the
parse never changes once `kg.nlp` has made it, so the answers are kept in the Doc's own
`user_data`: they live and die with their Doc and cannot leak into another one.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from spacy.tokens import Doc, Span, Token

_KEY = "kg_extract_cache"


class DocCache:
    """Tokens, children, sentences, entities and text of one Doc, and per-function memos."""

    def __init__(self, doc: Doc):
        self.tokens: list[Token] = list(doc)
        self.text: str = "".join([t.text_with_ws for t in self.tokens])  # `doc.text`
        self.ents: tuple[Span, ...] = tuple(doc.ents)
        self.ent_starts: list[int] = [e.start for e in self.ents]  # in order, and entities never overlap
        self.children: list[tuple[Token, ...]] = [()] * len(self.tokens)  # in order, as `token.children`
        heads: dict[int, list[Token]] = {}
        for token in self.tokens:
            head = token.head.i
            if head != token.i:
                heads.setdefault(head, []).append(token)
        for head, dependents in heads.items():
            self.children[head] = tuple(dependents)
        self.subtrees: list[tuple[Token, ...] | None] = [None] * len(doc)
        self.sentences: list[Span] | None = None  # the sentence of each token, made on first use
        self.memos: dict[str, dict[Any, Any]] = {}


def doc_cache(doc: Doc) -> DocCache:
    """The cache of a Doc, made on first use."""
    cache = doc.user_data.get(_KEY)
    if cache is None:
        cache = doc.user_data[_KEY] = DocCache(doc)
    return cache


def drop_cache(doc: Doc) -> None:
    """Forget the cache of a Doc. It refers to the Doc, so without this the two are freed only
    by the garbage collector, whose full passes grow slow as caches pile up."""
    doc.user_data.pop(_KEY, None)


def memo(doc: Doc, name: str) -> dict[Any, Any]:
    """A dict in which one function keeps its answers for this Doc."""
    memos = doc_cache(doc).memos
    found = memos.get(name)
    if found is None:
        found = memos[name] = {}
    return found


def token_at(doc: Doc, i: int) -> Token:
    """`doc[i]`, without making a new Token."""
    return doc_cache(doc).tokens[i]


def tokens_of(span: Span) -> list[Token]:
    """The tokens of a span, in order."""
    return doc_cache(span.doc).tokens[span.start:span.end]


def children(token: Token) -> tuple[Token, ...]:
    """`token.children`."""
    return doc_cache(token.doc).children[token.i]


def subtree(token: Token) -> tuple[Token, ...]:
    """`token.subtree`, made once per token (from the subtrees of its children, as spaCy does)."""
    cache = doc_cache(token.doc)
    found = cache.subtrees[token.i]
    if found is None:
        dependents = cache.children[token.i]
        found = cache.subtrees[token.i] = (*[t for c in dependents if c.i < token.i for t in subtree(c)], token,
                                           *[t for c in dependents if c.i > token.i for t in subtree(c)])
    return found


def sentence_of(token: Token) -> Span:
    """`token.sent`, made once per sentence."""
    cache = doc_cache(token.doc)
    if cache.sentences is None:
        cache.sentences = [sent for sent in token.doc.sents for _ in range(len(sent))]
    return cache.sentences[token.i]


def span_text(span: Span) -> str:
    """`span.text`, sliced from the Doc's text."""
    if span.start == span.end:
        return ""
    return doc_cache(span.doc).text[span.start_char:span.end_char]


def ents_in(span: Span) -> list[Span]:
    """The named entities inside a span, in order (`span.ents`)."""
    cache = doc_cache(span.doc)
    start, end = span.start, span.end
    found = []
    for ent in cache.ents[bisect_left(cache.ent_starts, start):]:
        if ent.end > end:
            break
        found.append(ent)
    return found


def entity_of(token: Token) -> Span | None:
    """The named entity a token is part of, if any."""
    cache = doc_cache(token.doc)
    at = bisect_right(cache.ent_starts, token.i) - 1
    return cache.ents[at] if at >= 0 and cache.ents[at].end > token.i else None
