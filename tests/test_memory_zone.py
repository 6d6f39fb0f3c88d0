"""A long run's spaCy vocabulary stays flat: articles are parsed and extracted in memory zones.

Every word spaCy has not seen adds a lexeme and its strings to the pipeline's vocabulary, for
the life of the process, unless it is parsed inside `Language.memory_zone()`. These tests run
articles that each bring words never seen before (made-up names, all distinct) through kg's
parse-and-extract paths in many small zones, and check that the vocabulary does not keep
growing while the events are still extracted, the same as outside any zone.
"""
from __future__ import annotations

import random
import string

import pytest

import kg.nlp.parse as parse
from kg.extract.events import extract_events
from kg.model import Article
from kg.nlp.parse import DEFAULT_MODEL, load_model, memory_zone, parse_articles, zones
from kg.pipeline.parallel import extract_articles
from kg.pipeline.run import process_articles

ARTICLES = 60
ZONE = 10  # articles per zone in these tests (ZONE_ARTICLES is 1,000)


def made_up_words(seed: int, count: int) -> list[str]:
    """`count` capitalised letter strings no English vocabulary has (seeded: the same every run)."""
    rng = random.Random(seed)
    return ["Zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(9)) for _ in range(count)]


def corpus(first: int = 0) -> list[Article]:
    """Articles of real sentence frames around made-up names: six new words each."""
    articles = []
    for i in range(first, first + ARTICLES):
        a, b, c, d, e, f = made_up_words(i, 6)
        text = (f"Russia condemned the {a} attack on {b}.\n"
                f"President {c} {d} met Germany's foreign minister in {e} on Monday.\n"
                f"The {f} talks ended without an agreement.")
        articles.append(Article(id=f"zone-{i:03d}", text=text, date="2024-03-05"))
    return articles


def records(results) -> list[tuple[str, list[dict]]]:
    return [(r.article.id, [e.to_record() for e in r.events]) for r in results]


@pytest.fixture
def small_zones(monkeypatch):
    monkeypatch.setattr(parse, "ZONE_ARTICLES", ZONE)


@pytest.fixture
def nlp():
    """The pipeline kg's parse paths use (`load_model(DEFAULT_MODEL)`, cached apart from `load_model()`)."""
    return load_model(DEFAULT_MODEL)


def test_zones_cut_items_into_runs_read_lazily():
    read = []

    def items():
        for i in range(7):
            read.append(i)
            yield i

    runs = zones(items(), 3)
    first = next(runs)
    assert read == [0]  # a run is read as it is used
    assert list(first) == [0, 1, 2]
    assert [list(run) for run in runs] == [[3, 4, 5], [6]]


def test_the_vocabulary_does_not_keep_growing_over_many_zones(nlp, small_zones):
    def size() -> tuple[int, int]:  # lexemes (`len(nlp.vocab)` counts the freed ones too) and strings
        return sum(1 for _ in nlp.vocab), len(nlp.vocab.strings)

    def made_up_words_kept(first: int) -> list[str]:
        return [w for i in range(first, first + ARTICLES) for w in made_up_words(i, 6)
                if w in nlp.vocab or w in nlp.vocab.strings]

    expected = []  # the same kind of articles outside any zone: every made-up word stays
    before = size()
    for parsed in parse_articles(corpus(1000), nlp):
        expected.append((parsed.article.id, [e.to_record() for e in extract_events(parsed)]))
    after = size()
    assert after[0] - before[0] >= 6 * ARTICLES and after[1] - before[1] >= 6 * ARTICLES  # what zones prevent
    assert len(made_up_words_kept(1000)) == 6 * ARTICLES

    before = size()
    results = records(extract_articles(corpus(), DEFAULT_MODEL))  # six zones of ten articles
    # nothing of the 360 new words is left: not a lexeme, not a string
    assert made_up_words_kept(0) == []
    after = size()
    assert after[0] <= before[0] + 5 and after[1] <= before[1] + 5
    assert not nlp.vocab.in_memory_zone

    # the events are those found outside zones in articles of other made-up words
    assert len(results) == ARTICLES
    assert [[(e["action"], e["cameo"]) for e in events] for _, events in results] == \
           [[(e["action"], e["cameo"]) for e in events] for _, events in expected]
    condemned = [e for _, events in results for e in events if e["action"] == "condemn"]
    assert len(condemned) == ARTICLES and all(e["subject"]["name"] == "Russia" for e in condemned)
    # and a made-up name read in a zone is still in the event record after it closed
    assert any(made_up_words(0, 6)[0] in (e["object"] or {}).get("text", "") for e in results[0][1])


def test_a_zone_gives_the_events_found_outside_zones(nlp, small_zones):
    articles = corpus(2000)
    zoned = records(extract_articles(articles, DEFAULT_MODEL))  # first: every made-up word is new in its zone
    outside = [(p.article.id, [e.to_record() for e in extract_events(p)]) for p in parse_articles(articles, nlp)]
    assert zoned == outside


def test_the_background_parse_frees_what_it_unpacks(nlp, small_zones):
    """One worker parses (each chunk in a zone of its own, sent as bytes); this process unpacks,
    runs the named entities and extracts, a few chunks per zone."""
    articles = corpus(3000)
    serial = records(extract_articles(articles, DEFAULT_MODEL))
    background = records(process_articles(articles, background=True))
    assert background == serial
    assert not [w for i in range(3000, 3000 + ARTICLES) for w in made_up_words(i, 6)
                if w in nlp.vocab or w in nlp.vocab.strings]


def test_an_open_zone_is_not_nested(nlp):
    with nlp.memory_zone():
        with memory_zone(nlp):  # the caller's zone frees what is made here
            assert nlp.vocab.in_memory_zone
            nlp("Zqabcdefghi met Zqjklmnopqr.")
        assert nlp.vocab.in_memory_zone
    assert not nlp.vocab.in_memory_zone
