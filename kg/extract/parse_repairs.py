"""Readings of parses the small model gets wrong, shared by the syntax step and actor resolution:
a sentence read as one long noun phrase, and a closing report ("..., officials said") hung on a
noun. Pure syntax: no lexicon, no CAMEO, no gazetteer."""
from __future__ import annotations

from spacy.tokens import Span, Token

from .doc_cache import children, doc_cache, memo, sentence_of, tokens_of
from .words import word_list

__all__ = ["fragment_verb", "reported_fragment", "reporting_tail"]


def fragment_verb(verb: Token) -> bool:
    """Whether a verb the parser attached to a noun (`acl`) is really the main verb of a sentence
    it read as one noun phrase ("Striking miners blocked the road ..."): a past-tense verb (or one
    coordinated with one), or a participle on the root noun of a sentence without a finite verb;
    or of a reported clause whose subject the parser gave to the reporting verb ("Striking
    miners blocked the road ..., officials said")."""
    if verb.dep_ != "acl":
        return False
    if reported_fragment(verb):
        return True
    sentence = sentence_of(verb)
    root = sentence.root
    if root.pos_ not in {"NOUN", "PROPN"}:
        return False
    if verb.tag_ == "VBD" or any(c.dep_ == "conj" and c.tag_ == "VBD" for c in children(verb)):
        return True
    return verb.tag_ == "VBN" and verb.head.i == root.i \
        and not any(c.dep_ in {"aux", "auxpass"} for c in children(verb)) \
        and not any(t.tag_ in {"VBD", "VBZ", "VBP"} for t in tokens_of(sentence))


# Verbs of a closing report: "X did Y, a rights group charged on Saturday."
REPORT_TAIL_VERBS = word_list("report_tail_verbs")
# A participle with one of these phrases describes its noun ("a man accused of fraud", "a group
# charged with arson", "a lawyer described as ..."): it reports nothing.
DESCRIBING_PREPS = {"of", "with", "by", "as", "for"}


def reporting_tail(sentence: Span) -> Token | None:
    """The verb of a report closing a sentence that the parser hung on a noun as a participle
    ("Belgrade is ignoring the court's ruling, an opposition party charged on Monday"):
    a reporting verb, with no object, on a noun after a comma, reaching the end of the sentence."""
    known = memo(sentence.doc, "reporting_tail")
    bounds = (sentence.start, sentence.end)
    if bounds not in known:
        known[bounds] = _reporting_tail(sentence)
    return known[bounds]


def _reporting_tail(sentence: Span) -> Token | None:
    tokens = doc_cache(sentence.doc).tokens
    for verb in tokens[sentence.start:sentence.end]:
        if verb.dep_ != "acl" or verb.tag_ not in {"VBD", "VBN"} or verb.lemma_.lower() not in REPORT_TAIL_VERBS \
                or any(c.dep_ in {"dobj", "ccomp", "auxpass", "agent", "xcomp", "oprd"} for c in children(verb)) \
                or any(c.dep_ == "prep" and c.lower_ in DESCRIBING_PREPS for c in children(verb)) or verb.i < verb.head.i:
            continue
        left = verb.head.left_edge.i
        if left > sentence.start + 2 and tokens[left - 1].text == "," \
                and all(t.is_punct for t in tokens[verb.right_edge.i + 1: sentence.end]):
            return verb
    return None


def reported_fragment(verb: Token) -> bool:
    """A past-tense `acl` on a subject of a verb that has another subject after it: the parser
    read "X blocked the road ..., officials said" as "X ... officials said"."""
    noun = verb.head
    return verb.dep_ == "acl" and verb.tag_ in {"VBD", "VBN"} and verb.i == noun.i + 1 \
        and noun.dep_ == "nsubj" and not any(c.dep_ in {"aux", "auxpass"} for c in children(verb)) \
        and any(c.dep_ == "nsubj" and c.i > verb.i for c in children(noun.head))
