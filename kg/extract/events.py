"""Events (subject-action-object triples, typed with CAMEO) from parsed articles."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Collection, Iterator

from spacy.language import Language
from spacy.tokens import Span, Token

from ..cameo import cameo_code, class_name
from ..gazetteer import Gazetteer, actor_code, load_gazetteer
from ..model import ACTOR_TYPES, Actor, Event
from ..nlp import ParsedArticle, Sentence, load_model, parse_article
from ..vocab import actor_iri, event_iri
from .actors import ArticleActors, noun_phrase, register_persons, resolve_phrase, resolve_subject
from .clauses import Frame, group_members, list_items, sentence_frames
from .coding import code_event
from .doc_cache import drop_cache, span_text, tokens_of
from .lexicon import EventLexicon, load_lexicon
from .time import date_of
from .words import word_list

__all__ = ["extract_events", "extract_from_text"]

# Sentence roles that carry no events of their own.
SKIPPED_ROLES = {"byline", "dateline", "link"}
# "killed 23 people and themselves": acting on oneself is no event between actors
REFLEXIVES = word_list("reflexive_pronouns")
# Events complete without an object or theme ("the minister resigned", "protesters rioted").
INTRANSITIVE_EVENTS = word_list("intransitive_events")
# CAMEO roots whose events are mutual when two coordinated subjects act together.
SYMMETRIC_ROOTS = {"03", "04", "05", "06"}
# Roots of verbal acts: each thing stated, asked for, demanded, criticised, rejected or threatened is an event.
VERBAL_ROOTS = {"01", "02", "10", "11", "12", "13"}
# The words of "each other" and "one another".
RECIPROCALS = {"each", "other", "one", "another"}
# Verbs whose coordinated subjects act on each other whatever the act ("traded accusations", "exchanged fire").
MUTUAL_VERBS = word_list("mutual_verbs")
THIRD_PARTY_CODES = word_list("third_party_codes")
# A state's own organs: the local agents they act on, named without a country, are of their state
# ("the Kenyan president praised the police": Kenyan police), civilians aside.
STATE_SECTORS = {"GOV", "JUD", "LEG", "COP"}
# Sectors of a state's institutions: named without a country, they are the dateline's state's.
INSTITUTION_SECTORS = frozenset({"GOV", "JUD", "LEG"})
# Acts that are the same seen from either side: both directions are events.
SYMMETRIC_PREDICATES = word_list("symmetric_predicates")
# Heads of a phrase that names the two parties of an earlier event: "the two sides", "both countries".
PAIR_HEADS = word_list("pair_heads")
PARTY_TYPES = set(ACTOR_TYPES) - {"MediaOrganization", "Group"}  # parties an event can be between
# CAMEO sectors of agents who act where they are ("police", "protesters", "the court").
LOCATED_SECTORS = {w.upper() for w in word_list("located_sectors")}
CROWD_SECTORS = {w.upper() for w in word_list("crowd_sectors")}
def extract_events(parsed: ParsedArticle, gazetteer: Gazetteer | None = None,
                   lexicon: EventLexicon | None = None) -> list[Event]:
    """All events of one parsed article, in reading order."""
    gazetteer = gazetteer or load_gazetteer()
    lexicon = lexicon or load_lexicon()
    actors = ArticleActors(gazetteer, date=parsed.article.date)
    events: list[Event] = []
    readable = [s for s in parsed.sentences if s.role not in SKIPPED_ROLES]
    # "TBILISI, May 1 (Reuters) -": where the report is filed; agents named there without a
    # country (police, protesters, parliament) are of that country
    actors.home = next((c for s in parsed.sentences if s.role == "dateline"
                        if (c := _dateline_country(s.text, actors)) is not None), None)
    try:
        for sentence in readable:  # first pass: full names, so "Netanyahu" early on gets the full name
            register_persons(sentence.span, actors)
        for sentence in readable:
            found = [event for frame in sentence_frames(sentence.span, lexicon)
                     for event in _both_ways(parsed.doc[frame.predicate].lemma_.lower(),
                                                 _frame_events(frame, sentence, parsed, actors, lexicon))]
            actors.note_mentions(sentence.span, [e.subject for e in found if e.subject is not None],
                                 [a for e in found for a in (e.object, e.target) if a is not None])
            pairs = [(e.subject, e.target) for e in found if e.subject is not None and e.target is not None
                     and e.subject.is_actor and e.target.is_actor and e.subject.name != e.target.name
                     and e.subject.type in PARTY_TYPES and e.target.type in PARTY_TYPES]
            if pairs:
                actors.last_pair = pairs[-1]
            events.extend(found)
    finally:
        drop_cache(parsed.doc)
    return events


def extract_from_text(text: str, article_id: str = "text", date: str | None = None,
                      nlp: Language | None = None) -> list[Event]:
    """Convenience: extract events from a string (parses it with the default model)."""
    from ..ingest import article_from_text

    article = article_from_text(text, id=article_id, date=date)
    return extract_events(parse_article(article, nlp or load_model()))


def _both_ways(predicate_lemma: str, events: Iterator[Event]) -> list[Event]:
    """The events of a frame and, for a symmetric act of coordinated subjects ("X and Y met",
    "X and Y signed a treaty"), the same act seen from the other side."""
    out = list(events)
    if predicate_lemma not in SYMMETRIC_PREDICATES or not any("syn.mutual" in e.rules for e in out):
        return out  # "X met Y" reports X's initiative: one event; "X and Y met": both
    seen = {(e.subject.name, e.target.name) for e in out if e.subject is not None and e.target is not None}
    for event in list(out):
        other = event.target
        if event.cameo is None or event.subject is None or other is None or not other.is_actor \
                or (other.name, event.subject.name) in seen:
            continue
        seen.add((other.name, event.subject.name))
        out.append(replace(event, subject=other, object=event.subject, target=event.subject,
                           rules=(*event.rules, "syn.symmetric"),
                           iri=event_iri(event.article_id, event.sentence_id, other.name, event.action,
                                         event.subject.name, event.theme.name if event.theme else None)))
    return out


def _frame_events(frame: Frame, sentence: Sentence, parsed: ParsedArticle, actors: ArticleActors,
                  lexicon: EventLexicon) -> Iterator[Event]:
    doc = parsed.doc
    subjects = [t for t in (doc[i] for i in frame.subjects) if t.pos_ != "PRON" or t.lower_ not in {"this", "that", "which"}]
    if not subjects:
        return
    claimed = {t.i for s in subjects for t in tokens_of(noun_phrase(s))}
    object_heads = [item for i in frame.objects for item in list_items(doc[i], claimed) if item.lower_ not in REFLEXIVES]
    object_heads = list({t.i: t for t in object_heads}.values())  # "Israeli and Hamas": each party once
    exchange = frame.action.split()[0] in MUTUAL_VERBS  # "X and Y traded insults", "exchanged fire"
    coding = code_event(frame.cameo, frame.negated, frame.modality)
    code, negated = coding.code, coding.negated
    # "X and Y met", "X and Y agreed to cut tariffs" (an intent, 03x), "X and Y failed to agree" (a
    # failed joint act), not "X and Y brokered a truce"
    mutual_act = code is not None and (code.root in SYMMETRIC_ROOTS or frame.cameo[:2] in SYMMETRIC_ROOTS or exchange) \
        and code.code not in THIRD_PARTY_CODES
    paired = any(_is_pair_phrase(s, actors) for s in subjects)  # "the two sides will meet"
    mutual = (len(subjects) > 1 or paired or len(group_members(subjects[0])) > 1) and mutual_act
    if not object_heads and frame.theme is None and not (frame.cameo and frame.action in INTRANSITIVE_EVENTS) and not mutual:
        return
    subject_actors = [a for s in subjects for a in _member_parties(s, actors)]
    if not subject_actors:
        return
    pair_rule = ("syn.pair-antecedent",) if paired else ()
    if len(subject_actors) > len(subjects) and not paired:  # "the ministers of Egypt and Jordan"
        pair_rule = ("syn.coordinated-parties",)
    for actor in subject_actors:
        actors.remember(actor)
    object_actors: list[Actor | None] = [resolve_phrase(o, actors) for o in object_heads] or [None]
    list_rule: tuple[str, ...] = ()
    if len(object_actors) > 1 and not any(o is not None and o.is_actor for o in object_actors) \
            and frame.cameo and frame.cameo[:2] not in VERBAL_ROOTS:
        # "offered the US a regiment, helicopters and jets": one deed of giving, not one per thing,
        # and its object is the whole list ("called for a truce and the release of hostages" stays
        # two appeals: each thing asked for is an event of its own)
        first, last = min(object_heads, key=lambda t: t.i), max(object_heads, key=lambda t: t.i)
        object_actors = [_theme(doc[noun_phrase(first).start: noun_phrase(last).end])]
        list_rule = ("syn.one-deed-list",)
    theme = _theme(doc[frame.theme[0]:frame.theme[1]]) if frame.theme is not None else None
    pairs = [(s, o) for s in subject_actors for o in object_actors]
    mutual_rule: tuple[str, ...] = ()
    # "A and B pledged aid to C": each gives to C, not to the other
    reached = any(resolve_phrase(doc[i], actors).is_actor for i in frame.recipients)
    if len(subject_actors) > 1 and code and mutual_act \
            and (exchange or not (reached or any(o and o.is_actor for o in object_actors))):
        # "Serbia and Kosovo renewed negotiations": each side acts with the other, one event per pair
        # (one negotiation, not two); the thing negotiated is the theme
        if theme is None and object_actors[0] is not None:
            theme = object_actors[0]
        pairs = [(s, o) for i, s in enumerate(subject_actors) for o in subject_actors[i + 1:]]
        mutual_rule = ("syn.mutual",)
    reciprocal = any(o.lower_ in RECIPROCALS and any(c.lower_ in RECIPROCALS for c in o.children) for o in object_heads)
    if len(subject_actors) > 1 and reciprocal:
        # "both sides accused each other": each did it to the other, both ways
        theme = None
        object_actors = [None]
        pairs = [(s, o) for s in subject_actors for o in subject_actors if o is not s]
        mutual_rule = ("syn.reciprocal",)
    # the first recipient that is an actor, with those coordinated with it ("to the US and Australia")
    recipient_head = next((r for r in (doc[i] for i in frame.recipients) if resolve_phrase(r, actors).is_actor), None)
    recipients = [a for r in (list_items(recipient_head, claimed) if recipient_head is not None else [])
                  if (a := resolve_phrase(r, actors)).is_actor]
    recipient = recipients[0] if recipients else None
    # who the first object's act concerns ("the attack by X"): not the other objects' target
    concerned = next((a for a in (resolve_phrase(doc[i], actors) for i in frame.concerned) if a.is_actor), None)
    for other in [*object_actors, recipient, concerned]:
        actors.remember_people(other)
        actors.remember_object(other, sentence.span.start)
    place_rule: tuple[str, ...] = ()
    entry = lexicon.by_id(frame.lexicon) if frame.lexicon else None
    # "withdrew peacekeepers from a base in X": what is moved goes to or from X
    moved = entry is not None and bool(entry.object_classes) and bool(frame.recipients)
    if recipient is None and concerned is None and frame.cameo and not mutual_rule \
            and (moved or not any(o is not None and o.is_actor for o in object_actors)):  # "received X in Riyadh": X
        recipient = next((a for i in frame.places for a in [resolve_phrase(doc[i], actors)] if _names_place(doc[i], a, actors)),
                         None)
        recipients = [recipient] if recipient is not None else []
        place_rule = ("syn.place-target",) if recipient is not None else ()
    if recipient is None and concerned is None and theme is None and frame.recipients:
        theme = resolve_phrase(doc[frame.recipients[0]], actors)  # "set fire to the headquarters of ...": what was hit
    attributed = resolve_phrase(doc[frame.attributed_to], actors) if frame.attributed_to is not None else None
    predicate = doc[frame.predicate]
    date = date_of(predicate, sentence.span, parsed.article.date)
    if date is None and predicate.pos_ == "NOUN":
        date = date_of(predicate.head, sentence.span, parsed.article.date)
    date = date or parsed.article.date  # as event coders do: no date written means the report's date
    # a row that types its object ("withdrew peacekeepers from X", "sent tanks to X") names a thing
    # moved or given: the one reached is in the verb's phrases
    thing = entry is not None and bool(entry.object_classes) and bool(recipients)
    # "police fired tear gas at protesters in Nairobi": agents who act where they are, named
    # without a country, belong to the state of the event's place or of the other party
    place = next((a.country for i in frame.places for a in [resolve_phrase(doc[i], actors)]
                  if a.country and _names_place(doc[i], a, actors)), None)
    for subject, obj, target in _with_targets(pairs, recipients, object_actors[0], concerned, thing):
        where = place or next((a.country for a in (subject, target) if a is not None and a.country
                               and a.sector in LOCATED_SECTORS), None) or actors.home
        subject, obj, target = (_located(a, where) for a in (subject, obj, target))
        # "BEIJING (Reuters) - ... The commerce ministry said": a state institution named without a
        # country is the dateline's state's
        subject, obj, target = (_located(a, actors.home, INSTITUTION_SECTORS) for a in (subject, obj, target))
        if where is None and subject.country and (subject.type == "State" or (subject.sector or "")[:3] in STATE_SECTORS):
            # the state's own police, courts, opposition (not civilians: hostages, migrants and
            # tourists are often foreigners)
            obj, target = (a if a is None or a.sector == "CVL" else _located(a, subject.country) for a in (obj, target))
        if obj is not None and obj.name == subject.name and obj.type == subject.type:
            if theme is None:
                continue
            obj = None  # "X announced that it will ...": X does not act on itself; the clause is the theme
        if target is not None and (target.name, target.type) == (subject.name, subject.type):
            target = None  # "Egypt hosted talks in Cairo": the place is the subject's own, not a partner
        if target is not None and code and code.root == "13" and target.type == "State" \
                and target.country is not None and target.country == subject.country \
                and (subject.type == "State" or (subject.sector or "")[:3] in {"GOV", "MIL"}):
            # "Hunt warned that Britain would act": a threat by one's own state, not to it (an
            # opposition threatening its own government keeps its target)
            target = None
        pair_code, pair_rules = code, coding.rules
        if code and code.root == "19" and not negated and subject.type == "Group" and subject.sector in CROWD_SECTORS:
            # "protesters attacked the embassy": civilians' violence is a riot (145), not military force
            pair_code, pair_rules = cameo_code("145"), (*pair_rules, "code.crowd-violence")
        if code and code.root in {"01", "02"} and target is not None and target.type == "MediaOrganization":
            # "told AFP": talking to the press is the report itself, not an event
            pair_code, pair_rules = None, (*pair_rules, "code.press-is-report")
        confidence = (0.8 if pair_code else 0.5) - (0.2 if frame.repaired_subject else 0.0)
        yield Event(
            article_id=parsed.article.id,
            sentence_id=sentence.index,
            sentence=sentence.text,
            subject=subject,
            action=frame.action,
            object=obj,
            target=target,
            theme=theme,
            event_type=class_name(pair_code.code if pair_code else None),
            cameo=pair_code.code if pair_code else None,
            goldstein=pair_code.goldstein if pair_code else None,
            quad_class=pair_code.quad_class if pair_code else None,
            negated=negated,
            modality=frame.modality,
            date=date or None,
            attributed_to=attributed,
            confidence=round(confidence, 2),
            rules=(*frame.rules, *pair_rule, *mutual_rule, *list_rule,
                   *(place_rule if target is not None and target in recipients else ()), *pair_rules),
            lexicon=frame.lexicon,
            iri=event_iri(parsed.article.id, sentence.index, subject.name, frame.action,
                          obj.name if obj else None, theme.name if theme else None,
                          # the second and later recipients of one act are events of their own
                          *([target.name] if target is not None and target in recipients[1:] else [])),
        )


def _with_targets(pairs: list[tuple[Actor, Actor | None]], recipients: list[Actor], first_object: Actor | None,
                  concerned: Actor | None, thing: bool = False) -> Iterator[tuple[Actor, Actor | None, Actor | None]]:
    """Each subject-object pair with its target: the object when it is an actor (unless it is
    a thing moved or given, `thing`), else each of the coordinated recipients ("recalled its
    ambassadors to the US and Australia": two events), else who the first object's act concerns."""
    for subject, obj in pairs:
        itself = obj is not None and (obj.name, obj.type) == (subject.name, subject.type)
        if obj is not None and obj.is_actor and not itself and not thing:
            yield subject, obj, obj
        elif recipients:
            for recipient in recipients:
                yield subject, obj, recipient
        else:
            yield subject, obj, concerned if obj is first_object and not itself else None


def _parties(token: Token, actors: ArticleActors) -> list[Actor]:
    """The actor a subject names; "the two sides", "both countries": the two parties of the
    latest event between two actors (syn.pair-antecedent)."""
    if _is_pair_phrase(token, actors):
        return [replace(a, text=span_text(noun_phrase(token)), antecedent=a.text) for a in actors.last_pair]
    actor = resolve_subject(token, actors)
    return [actor] if actor.is_actor else []


def _member_parties(token: Token, actors: ArticleActors) -> list[Actor]:
    """The parties a subject names: "the foreign ministers of Egypt and Jordan" acts for Egypt and
    for Jordan, when each member names an actor; else the phrase's own actor."""
    members = group_members(token)
    if len(members) > 1:
        parties = [_parties(m, actors) for m in members]
        if all(parties):
            return [a for found in parties for a in found]
    return _parties(token, actors)


def _is_pair_phrase(token: Token, actors: ArticleActors) -> bool:
    return actors.last_pair is not None and token.lemma_.lower() in PAIR_HEADS and any(
        c.lower_ in {"two", "both"} for c in token.children if c.dep_ in {"nummod", "det", "predet"})


def _dateline_country(text: str, actors: ArticleActors) -> str | None:
    """The country of a dateline's place ("TBILISI, May 1 (Reuters)", "JEDDAH, Saudi Arabia (AP)")."""
    place = re.split(r"[,(]", text, maxsplit=1)[0].strip().title()
    entry = actors.lookup(place) if place else None
    if entry is not None and entry.type == "State":
        return entry.country
    known = actors.kb.place(place) if place else None
    return known.country if known is not None else None


def _names_place(token: Token, actor: Actor, actors: ArticleActors) -> bool:
    """Whether a place phrase names a state, or a region or city of one ("in Kharkiv")."""
    if actor.type == "State":
        return True
    # "in Kharkiv", "in the Kharkiv region": a known place is the phrase or names it
    names = [span_text(noun_phrase(token))] + [t.text for t in tokens_of(noun_phrase(token)) if t.pos_ == "PROPN"]
    return actor.country is not None and any(actors.known_place(n) for n in names)


def _located(actor: Actor | None, country: str | None, sectors: Collection[str] = LOCATED_SECTORS) -> Actor | None:
    """An agent of a located sector without a country, given the country where it acts."""
    if actor is None or country is None or actor.country is not None or actor.sector not in sectors:
        return actor
    return replace(actor, country=country, code=actor_code(country, actor.sector))


def _theme(span: Span) -> Actor:
    text = span_text(span).strip(" ,.;:\"'\u201c\u201d\u2018\u2019")
    return Actor(text=text, name=text, type=None, iri=actor_iri(text, None))
