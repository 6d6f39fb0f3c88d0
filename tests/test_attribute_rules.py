"""The attribute_ruler's compiled matching gives exactly what spaCy's Matcher gives, on real parses."""
from __future__ import annotations

import copy
import pickle

import pytest
import spacy
from spacy.attrs import IDS
from spacy.pipeline import AttributeRuler

from kg.nlp.attribute_rules import FastAttributeRuler, speed_up_attribute_ruler
from kg.nlp.parse import DEFAULT_MODEL, _lines
from kg.model import Article

ANNOTATIONS = [IDS[name] for name in ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")]

# sentences written for the ruler's rarer rules: contractions and colloquial forms it fixes the
# lemmas of (ain't, gonna, gotta, let's, y'all, nothin'), and the first words of those rules
# without the second, "there is", auxiliaries, pronouns as objects, "that" and "which" as
# determiners or conjunctions, and runs of spaces
RULE_SENTENCES = [
    "The minister ain't gonna sign it, and the envoys gotta wait, let's be clear.",
    "Y'all know nothin' has changed since the talks, and he don't care whether they come.",
    "There is no deal yet, there were talks, and there's hope that it'll hold.",
    "Russia has asked Turkey to mediate, but Ankara had not answered, did it?",
    "Lavrov told him that the sanctions, which Washington imposed, hurt us and them.",
    "  Two   spaces  and\ta tab  between the words  of this line .  ",
    "I'd say it's the Kremlin's view, though officials won't confirm it til Monday.",
    "The envoys got the talks going again and let the observers in; y and all were there.",
]


def _texts(repo_root) -> list[str]:
    texts = list(RULE_SENTENCES)
    for path in (repo_root / "examples" / "russia-hamas-hostages.txt", repo_root / "tests" / "data" / "evaluate-article.txt"):
        article = Article(id=path.stem, text=path.read_text(encoding="utf-8"))
        texts += [line for line, _ in _lines(article)]
    return texts


@pytest.fixture(scope="module")
def spacy_pipeline():
    """The default model as spaCy loads it, with its own attribute_ruler matching."""
    return spacy.load(DEFAULT_MODEL)


def test_compiled_matches_are_spacys_own(nlp, spacy_pipeline, repo_root):
    ours, theirs = nlp.get_pipe("attribute_ruler"), spacy_pipeline.get_pipe("attribute_ruler")
    assert type(ours) is FastAttributeRuler and type(theirs) is AttributeRuler  # kg's model has the compiled matching
    with spacy_pipeline.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(spacy_pipeline.pipe(_texts(repo_root)))
    matched_rules = set()
    for doc in docs:
        expected = sorted(set(theirs.match(doc)))
        assert ours.match(doc) == expected, doc.text
        matched_rules.update(order for order, *_ in expected)
    # the texts exercise many of the ruler's rules, multi-token ones among them
    assert len(matched_rules) >= 60
    assert any(len(theirs.matcher.get(str(order))[1][0]) > 1 for order in matched_rules)


def test_parses_are_the_same_as_spacys(nlp, spacy_pipeline, repo_root):
    texts = _texts(repo_root)
    ours = [doc.to_array(ANNOTATIONS).tolist() for doc in nlp.pipe(texts)]
    theirs = [doc.to_array(ANNOTATIONS).tolist() for doc in spacy_pipeline.pipe(texts)]
    assert ours == theirs
    lemmas = {token.text.lower(): token.lemma_ for doc in nlp.pipe(RULE_SENTENCES[:2]) for token in doc}
    assert lemmas["ai"] == "be" and lemmas["gon"] == "go" and lemmas["na"] == "to"  # multi-token rules applied


def test_rules_added_after_the_speed_up_are_applied():
    nlp, plain = spacy.load(DEFAULT_MODEL), spacy.load(DEFAULT_MODEL)
    assert speed_up_attribute_ruler(nlp)
    text = "The envoy met the ambassador in Vienna."
    for pipeline in (nlp, plain):
        pipeline.get_pipe("attribute_ruler").add([[{"LOWER": "envoy"}]], {"LEMMA": "emissary"})
    assert [t.lemma_ for t in nlp(text)] == [t.lemma_ for t in plain(text)]
    assert nlp(text)[1].lemma_ == "emissary"
    # a copy (spaCy pickles the pipeline for its worker processes where they do not fork) keeps
    # the rules and its own later ones
    for clone in (pickle.loads(pickle.dumps(nlp)), copy.deepcopy(nlp)):
        assert type(clone.get_pipe("attribute_ruler")) is FastAttributeRuler
        clone.get_pipe("attribute_ruler").add([[{"LOWER": "ambassador"}]], {"LEMMA": "envoy"})
        assert [t.lemma_ for t in clone(text)][1:5] == ["emissary", "meet", "the", "envoy"]
    assert nlp(text)[4].lemma_ == "ambassador"


def test_a_ruler_with_operators_keeps_spacys_matcher():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], {"LEMMA": "great"}, index=-1)
    assert not speed_up_attribute_ruler(nlp)
    assert type(ruler) is AttributeRuler
    assert [t.lemma_ for t in nlp("a very very good plan")][3] == "great"


def test_a_blank_ruler_with_plain_patterns_is_compiled():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "UN"}], [{"LOWER": {"REGEX": "^nato$"}}]], {"LEMMA": "organisation"})
    ruler.add([[{"LOWER": "foreign"}, {"LOWER": "minister", "IS_TITLE": False}]], {"LEMMA": "FM"}, index=1)
    plain = spacy.blank("en")
    plain.add_pipe("attribute_ruler").initialize(None, patterns=ruler.patterns)
    assert speed_up_attribute_ruler(nlp)
    text = "The UN and Nato heard the foreign minister and the Foreign Minister ."
    assert [t.lemma_ for t in nlp(text)] == [t.lemma_ for t in plain(text)]
    assert [t.lemma_ for t in nlp(text)][1:4:2] == ["organisation", "organisation"]
    assert [t.lemma_ for t in nlp(text)][7] == "FM" and nlp(text)[11].lemma_ != "FM"
