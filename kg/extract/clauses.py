"""Predicate-argument structures from spaCy's dependency parse.

For each verb (and each event noun) of a sentence find its subjects, objects, target and
theme, following passives, prepositional verbs, control verbs, coordination and light
verbs, then flag negation, modality and attribution.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from .parse_repairs import fragment_verb, reported_fragment, reporting_tail
from .doc_cache import children, doc_cache, sentence_of, subtree, token_at, tokens_of
from ..cameo import CONFLICT_ROOTS, cameo_code
from .lexicon import EventLexicon, LexiconEntry, load_word_classes, refusal_codes
from .time import MONTHS, WEEKDAYS
from .words import word_list, word_values

SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
# Entity kinds that name actors: a word of one of them is a name, whatever part of speech the tagger gave it.
NAME_KINDS = {"ORG", "GPE", "PERSON", "NORP"}
# Entity kinds of an amount whose noun names what is measured ("94% of the equipment", "$5 million in aid").
AMOUNTS = {"MONEY", "PERCENT", "QUANTITY"}
ARGUMENT_PREPS = {"with", "to", "against", "on", "upon", "for", "about", "into", "over", "from", "toward",
                  "towards", "of", "at", "in", "between"}
LOCATIVE_PREPS = {"in", "at", "from", "during", "since", "throughout", "after", "before", "until", "as",
                  "by", "near", "across", "within", "under", "despite", "amid", "among"}
REASON_PREPS = {"for", "over", "about"}
# "fired rockets at Israel", "sent aid to Gaza": the prepositional object is hit or reached by the action.
AIMED_PREPS = {"at", "to", "against", "toward", "towards"}
TOPIC_PREPS = {"about", "over", "regarding", "concerning"}
# "After consultations with X, Russia called ...": an event noun in a time adjunct is an event of its own.
SEQUENCE_PREPS = {"after", "before", "during", "following", "since", "until", "amid", "ahead", "prior"}
# Roots of acts done with someone (consult, cooperate, agree): "after talks with Egypt, Qatar ...": Qatar
# took part; the doer of another act in a time adjunct ("after protests against X") is not the subject's.
JOINT_ROOTS = {"03", "04", "05", "06"}
RECIPIENT_PREPS = {"to", "against", "with", "toward", "towards", "on", "upon", "from", "into"}
REACHING_PREPS = RECIPIENT_PREPS | AIMED_PREPS
# The phrases of a call's or plan's own clause that name whom it is aimed at.
NESTED_TARGET_PREPS = {"in", "to", "against", "on", "into"}
# Prepositions whose object is the verb's argument when no lexicon entry names one ("met with X").
PLAIN_ARGUMENT_PREPS = ARGUMENT_PREPS - LOCATIVE_PREPS - REASON_PREPS
# Prepositions whose object can be what the act is about ("protested over X", "pressured X into a deal").
THEME_PREPS = REASON_PREPS | {"into"}
# Prepositions whose phrase may say what an act is for ("troops on a peacekeeping mission",
# "deployed as peacekeepers", "sent to the peacekeeping force"): its words may name the kind of act.
PURPOSE_PREPS = {"on", "as", "for", "to"}
# Verbs that only frame another verb: the attempt is the subject's, the event is the embedded verb.
TRANSPARENT = {w: v or None for w, v in word_values("transparent_verbs").items()}
# Adjectives of readiness: "X is ready to send troops" is an intention, not a deed.
READY = word_list("readiness_adjectives")
# Heads that measure an amount of the thing that matters: "two tonnes of flour".
MEASURES = word_list("measure_nouns")
LIGHT_VERBS = word_values("light_verbs")
# Nouns for the relations between parties: the partner is in their with-phrase.
RELATIONS = word_list("relation_nouns")
# "engaged in ethnic cleansing", "took part in talks": the event is the noun after "in".
PARTICIPATION = word_list("participation_verbs")
# Of these, the ones whose passive still names the participant ("was engaged in talks");
# "hostages were taken from X" names who was taken, not who took part.
PASSIVE_PARTICIPATION = word_list("passive_participation_verbs")
# Governors whose object is also the subject of their to-infinitive ("urged Israel to accept").
OBJECT_CONTROL = word_list("object_control_verbs")
COMMAND_VERBS = word_list("command_verbs")
DECISION_VERBS = word_list("decision_verbs")
# Acts whose doer, unwritten, is the authority of the place: arrests, detentions, expulsions, repression.
PLACE_DOER_ROOTS = {"17"}
FORCE_HEADS = word_list("force_heads")
FORCE_MOVES = word_list("force_moves")
CROWD_MOVERS = word_list("crowd_movers")
PEACEKEEPING = load_word_classes()["peacekeeper"]
# A visit or a trip: what officials make, not forces (code.force-arrival).
VISIT_CODES = {"042", "043"}
# "accused X of violating", "praised X for releasing", "barred X from entering": X does the -ing.
GERUND_CONTROL_PREPS = {"of", "for", "from", "with", "against", "into"}
# "barred X from entering": the -ing did not happen.
PREVENTING = word_list("preventing_verbs")
STANCE_NOUNS = word_list("stance_nouns")
# CAMEO roots of acts that can be the outcome of talks with someone (agreeing, cooperating,
# aiding, yielding): "called off the strike after talks with the government".
OUTCOME_ROOTS = {"03", "05", "06", "07", "08"}
# CAMEO roots whose embedded clause is content, not a deed: appeals, intents, demands,
# accusations, rejections, threats.
CONTENT_ROOTS = {"02", "03", "10", "11", "12", "13"}
# CAMEO roots of asking, demanding and warning: a gerund they govern is what is asked, not a deed.
ASKING_ROOTS = {"02", "10", "13"}
# Nouns whose infinitive says what is asked, offered or planned, not what their holder does.
CONTENT_NOUNS = word_list("content_nouns")
# Documents a party issues or adopts: "a resolution condemning X" is its author condemning X.
DOCUMENT_NOUNS = word_list("document_nouns")
# Nouns whose on- or over-phrase is their topic ("a deal on the border"), not the one they reach.
TOPIC_NOUNS = word_list("topic_nouns")
DEMAND_NOUNS = word_list("demand_nouns")
MODALS = word_list("modal_verbs")
UNCERTAIN = word_list("uncertainty_words")
REPORTING_VERBS = word_list("reporting_verbs")
# Weapons and blasts: when one is the subject, whoever used it acts ("missiles fired by X struck").
INSTRUMENTS = word_list("instrument_nouns")
# "received aid from X", "came under pressure from X": X is the one who acts.
CONVERSE_VERBS = word_list("converse_verbs")
# Verbs that take a recipient and a thing given ("gave Ukraine tanks", "offered Jordan aid").
DITRANSITIVE = word_list("ditransitive_verbs")
WITH_INSTRUMENT = word_list("with_instrument_verbs")
# "ordered the arrest of X", "authorised airstrikes on X": the one who orders does the act.
CAUSATIVE_VERBS = word_list("causative_verbs")
# "said X was responsible / behind the attack": a statement that blames X accuses X.
BLAME_WORDS = word_list("blame_words")
# "joint exercises", "bilateral talks": the coordinated parties act with each other.
JOINT_WORDS = word_list("joint_words")
# Heads naming people who act for a group ("representatives of A and B": one item per group).
GROUP_OF_HEADS = word_list("group_of_heads")
@dataclass(frozen=True)
class Frame:
    """One predicate with its arguments, as token indices of the sentence's Doc (the syntax
    step's output): no spaCy objects, so frames can be kept, compared and shown."""

    predicate: int  # the verb or event noun
    action: str  # lemma with its particle/preposition ("call on"), light verb first ("hold talk with")
    cameo: str | None  # the lexicon row's code, after the frame builder's own code.* rules
    subjects: tuple[int, ...]
    objects: tuple[int, ...]
    theme: tuple[int, int] | None = None  # start, end of the theme span
    negated: bool = False
    modality: str | None = None
    attributed_to: int | None = None
    repaired_subject: bool = False
    recipients: tuple[int, ...] = ()
    concerned: tuple[int, ...] = ()
    places: tuple[int, ...] = ()
    lexicon: str | None = None
    rules: tuple[str, ...] = ()


@dataclass
class FrameDraft:
    """A frame while it is built: its predicate and argument heads as tokens."""

    predicate: Token  # verb or event noun
    action: str
    cameo: str | None
    subjects: list[Token]
    objects: list[Token]
    theme: Span | None = None
    negated: bool = False
    modality: str | None = None
    attributed_to: Token | None = None
    repaired_subject: bool = False
    recipients: list[Token] = field(default_factory=list)  # "sent aid to X": the affected actor
    concerned: list[Token] = field(default_factory=list)  # "the attack by X", "the release of X": the target if an actor
    places: list[Token] = field(default_factory=list)  # "in X": the affected state, when X is one
    consumes: int | None = None  # index of an embedded verb read as this frame's theme
    lexicon: str | None = None  # id of the lexicon row that gave the code
    rules: list[str] = field(default_factory=list)  # ids of the rules that built and coded the frame


def _children(token: Token, *deps: str) -> list[Token]:
    return [c for c in doc_cache(token.doc).children[token.i] if c.dep_ in deps]


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it (A, B and C). Singular nouns coordinated
    under one indefinite article name one person or thing ("a student, activist and journalist")."""
    if _one_described(token):
        return [token]
    out, stack = [], [token]
    while stack:
        tok = stack.pop(0)
        out.append(tok)
        stack.extend(c for c in children(tok) if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN", "PRON", "NUM", "X"})
    return out


def _one_described(token: Token) -> bool:
    """Whether "a/an N1, N2 and N3": singular common nouns that share the first one's article."""
    if token.pos_ != "NOUN" or token.tag_ != "NN" or not any(d.lower_ in {"a", "an"} for d in _children(token, "det")):
        return False
    conj: list[Token] = []
    stack = [token]
    while stack:
        tok = stack.pop()
        for c in children(tok):
            if c.dep_ == "conj":
                conj.append(c)
                stack.append(c)
    return bool(conj) and all(c.tag_ == "NN" and not _children(c, "det", "poss") for c in conj)


def _address(appos: Token) -> bool:
    """Whether an apposition completes a place name ("in Bam, Iran"; "Dayton, Ohio"), not a list."""
    return appos.ent_type_ in {"GPE", "LOC"} and appos.head.ent_type_ in {"GPE", "LOC", "FAC"}


def list_items(token: Token, claimed: set[int]) -> list[Token]:
    """Coordinated items, also when written as comma appositions of names, and the groups
    inside "representatives of A and B" (one item per group)."""
    items: list[Token] = []
    for tok in conjuncts(token):
        if tok.i in claimed:
            continue
        items.append(tok)
        for child in subtree(tok):
            if child.dep_ == "appos" and child.i not in claimed and child.i > 0 and not _address(child) \
                    and token_at(child.doc, child.left_edge.i - 1).text == "," and child.pos_ == "PROPN" \
                    and child.head.pos_ == "PROPN" and not _is_time(child):  # "in Lima, Peru, May 4": no date
                items.extend(t for t in conjuncts(child) if t.i not in claimed)
    return list(dict.fromkeys(t for tok in items for t in group_members(tok)))


def group_members(token: Token) -> list[Token]:
    """The parties of "representatives of A and B", "the foreign ministers of A and B": A and B;
    else the token itself."""
    of_objects = [g for p in _children(token, "prep") if p.lower_ == "of" for g in _children(p, "pobj")]
    if token.lemma_.lower() in GROUP_OF_HEADS and of_objects and len(conjuncts(of_objects[0])) > 1:
        return conjuncts(of_objects[0])
    return [token]


def ordered_own_forces(verb: Token) -> bool:
    """Whether a verb of command sends forces named without another country to act ("ordered
    troops to withdraw", "instructed its army to attack"): the forces are the orderer's own."""
    if verb.lemma_.lower() not in COMMAND_VERBS:
        return False
    forces = _children(verb, "dobj")
    if not forces or forces[0].lemma_.lower() not in FORCE_HEADS:
        return False
    modifiers = _children(forces[0], "amod", "compound", "nmod", "poss")
    return not any(m.ent_type_ in {"NORP", "GPE", "ORG"} or (m.dep_ == "poss" and m.pos_ != "PRON") for m in modifiers)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in children(verb))


def subjects_of(verb: Token, lexicon: EventLexicon, depth: int = 0) -> tuple[list[Token], bool]:
    """Subject heads of a verb (own, shared with a coordinated verb, or controlled), and
    whether they were found by the no-subject repair rule."""
    if depth > 6:
        return [], False
    # "Egypt and Qatar are mediating": the parser sometimes hangs the subject on the auxiliary
    own = _children(verb, *SUBJECT_DEPS) or [s for a in _children(verb, "aux") for s in _children(a, "nsubj")]
    agent = [p for a in _children(verb, "agent") for p in _children(a, "pobj")]
    if agent:
        return [t for a in agent for t in conjuncts(a)], False
    passive_subject = _children(verb, "nsubjpass")
    if passive_subject and (_prep_with_object(verb, lexicon) is not None or verb.lemma_.lower() in PASSIVE_PARTICIPATION):
        own = passive_subject  # "Russia is called on Hamas to ...": a written passive with its own object
    own = _named_subject(own)
    if own:
        if own[0].lower_ in {"who", "which", "that"} and verb.dep_ == "relcl":
            holders = _event_noun_holders(verb.head, lexicon, depth) if document_voice(verb) else ([], False)
            return holders if holders[0] else (conjuncts(verb.head), False)
        return [t for s in own for t in conjuncts(s)], False
    if passive_subject or _children(verb, "auxpass"):
        return [], False  # agentless passive ("after being accused of ..."): the doer is unknown
    head = verb.head
    if verb.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp":
        return subjects_of(head.head, lexicon, depth + 1)  # "X is ready to send": X sends
    if verb.dep_ == "conj" and head.pos_ in {"VERB", "AUX"}:
        if is_passive(head) and _children(head, "nsubjpass"):
            return conjuncts(_children(head, "nsubjpass")[0]), False  # "X was indicted and will resign": X resigns
        return subjects_of(head, lexicon, depth + 1)
    if verb.dep_ in {"xcomp", "advcl", "ccomp"} and verb.tag_ == "VB" and _children(verb, "aux") \
            and any(a.lower_ == "to" for a in _children(verb, "aux")):
        raised = _children(head, "nsubjpass")
        if raised and not _children(head, "agent"):
            return conjuncts(raised[0]), False  # "X is expected to visit": X visits
        if any(d.lemma_.lower() in CONTENT_NOUNS and d.i == verb.i - 2 for d in _children(head, "dobj")):
            return [], False  # "ignored calls to release X": what the calls ask for, no one's deed
        controller_objects = _children(head, "dobj") or [
            o for p in _children(head, "prep") for o in _children(p, "pobj") if p.lower_ in {"on", "upon"}]
        if controller_objects and head.lemma_.lower() in OBJECT_CONTROL and not ordered_own_forces(head):
            return conjuncts(controller_objects[0]), False
        return subjects_of(head, lexicon, depth + 1)
    if verb.dep_ == "xcomp" or (verb.dep_ == "acomp" and head.lemma_ == "be"):  # "X is opposed to Y"
        return subjects_of(head, lexicon, depth + 1)
    if verb.dep_ == "pcomp" and head.lower_ in GERUND_CONTROL_PREPS and _children(head.head, "dobj"):
        return conjuncts(_children(head.head, "dobj")[0]), False  # "accused the rebels of violating": the rebels violate
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        return subjects_of(head.head, lexicon, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.dep_ == "acomp":
        return subjects_of(head.head.head, lexicon, depth + 1)  # "X is guilty of violating ...": X violates
    if verb.dep_ == "advcl" and verb.tag_ == "VBG":
        content = [c for c in _children(head, "ccomp") if c.i < head.i] \
            if head.lemma_.lower() in REPORTING_VERBS and head.i < verb.i else []
        if content:  # "X attacked Y, officials said, killing nine": X killed, not the officials
            return subjects_of(content[0], lexicon, depth + 1)
        return subjects_of(head, lexicon, depth + 1)
    if verb.dep_ in {"relcl", "acl"} and head.pos_ == "NOUN" and lexicon.match(head.lemma_.lower(), "noun") \
            and head.lemma_.lower() not in CONTENT_NOUNS:
        # "a rally to protest X", "a demonstration calling for X": those who hold the event act
        holders = _event_noun_holders(head, lexicon, depth)
        if holders[0]:
            return holders
    if document_voice(verb):
        holders = _event_noun_holders(head, lexicon, depth)
        if holders[0]:
            return holders
    if verb.dep_ == "relcl":
        return conjuncts(head), False
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in {"NOUN", "PROPN"}:
        return conjuncts(head), False
    root = sentence_of(verb).root
    if reported_fragment(verb):
        return conjuncts(head), True
    if fragment_verb(verb):
        # a sentence the parser read as one long noun phrase: "Doctors from two aid groups delivered ..."
        return [root], True
    if verb.tag_ in {"VBD", "VBZ", "VBP"}:
        repaired = _nearest_left_noun(verb)
        if repaired is not None:
            return [repaired], True
    return [], False


def infinitive_read_as_noun(token: Token) -> bool:
    """A to-infinitive the tagger took for a noun ("offered to host talks", host/NOUN): the head
    of an infinitival complement with "to" and a direct object is a verb."""
    return token.pos_ == "NOUN" and token.dep_ in {"xcomp", "advcl", "ccomp"} \
        and any(a.lower_ == "to" for a in _children(token, "aux")) and bool(_children(token, "dobj"))


def document_voice(verb: Token) -> bool:
    """A participle or relative clause on a document that says what it does ("a resolution
    condemning X", "a letter that urges X to ..."): what the document does, its author does."""
    return verb.dep_ in {"acl", "relcl"} and verb.head.pos_ == "NOUN" and verb.head.lemma_.lower() in DOCUMENT_NOUNS \
        and (verb.dep_ == "acl" and verb.tag_ == "VBG" or verb.dep_ == "relcl"
             and any(s.lower_ in {"that", "which"} for s in _children(verb, "nsubj")))


def _force_words(force: Token) -> set[str]:
    """The words that say what kind of force a phrase names ("a battalion of Irish peacekeepers")."""
    members = [o for p in _children(force, "prep") if p.lower_ == "of" for o in _children(p, "pobj")]
    return {w.lemma_.lower() for t in (force, *members) for w in (t, *_children(t, "compound", "amod"))}


def _peacekeeping(force: Token, purpose: tuple[str, ...]) -> bool:
    return bool(PEACEKEEPING.intersection(_force_words(force) | set(purpose)))


def _moving_force(verb: Token, subjects: list[Token], dobjs: list[Token], entry: LexiconEntry | None,
                  purpose: tuple[str, ...]) -> Token | None:
    """The force whose own movement a verb reports ("peacekeepers arrived in Juba", "soldiers were
    deployed as peacekeepers"): a movement verb with no object, whose mover is a force (or a crowd:
    "hundreds of migrants arrived in Lampedusa" is no visit either)."""
    if verb.lemma_.lower() not in FORCE_MOVES or dobjs:
        return None
    movers = subjects or (_children(verb, "nsubjpass") if not _children(verb, "agent") else [])
    if not movers or not (_force_words(movers[0]) & (FORCE_HEADS | PEACEKEEPING | CROWD_MOVERS)):
        return None
    if entry is not None and entry.cameo and entry.cameo not in VISIT_CODES and not _peacekeeping(movers[0], purpose):
        return None
    if not subjects and not _peacekeeping(movers[0], purpose):
        return None  # "troops were deployed": who deployed them is unwritten
    return movers[0]


def _event_noun_holders(noun: Token, lexicon: EventLexicon, depth: int) -> tuple[list[Token], bool]:
    """Who holds an event noun: its possessor, or the subject of the verb it is the object of
    ("Hamas held a rally", "thousands converged for a rally", "rioted following a demonstration")."""
    possessors = [p for p in _children(noun, "poss") if p.pos_ != "PRON"]
    if possessors:
        return conjuncts(possessors[0]), False
    if noun.dep_ == "dobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        return subjects_of(noun.head.head, lexicon, depth + 1)  # "following a demonstration", parsed as a verb
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        return subjects_of(noun.head, lexicon, depth + 1)
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        return subjects_of(noun.head.head, lexicon, depth + 1)
    return [], False


def _promised_code(embedded: Token, lexicon: EventLexicon) -> str | None:
    """The CAMEO code of the act a promise, vow or offer is about ("to continue fighting" ->
    190), through verbs that only frame it; None for statements, appeals and intents."""
    while embedded.lemma_.lower() in TRANSPARENT and _children(embedded, "xcomp"):
        embedded = _children(embedded, "xcomp")[0]
    objects = tuple(f for d in _children(embedded, "dobj") for f in (d.lemma_.lower(), d.lower_))
    entry = lexicon.match(embedded.lemma_.lower(), "verb",
                          tuple(c.lower_ for c in children(embedded) if c.dep_ in {"prep", "prt"}), objects)
    if (entry is None or not entry.cameo) and embedded.lemma_.lower() in LIGHT_VERBS:
        # "agreed to resume talks", "vowed to launch an offensive": the act is the event noun's
        # (its sense read as the noun's own frame reads it: "joint exercises" are held with someone)
        nouns = [f for d in _children(embedded, "dobj") for f in [noun_frame(d, lexicon, embedded)] if f is not None]
        return next((f.cameo for f in nouns if f.cameo and f.cameo[:2] not in {"01", "02", "03"}), None)
    if entry is None or not entry.cameo or entry.cameo[:2] in {"01", "02", "03"}:
        return None
    return entry.cameo


def _named_subject(subjects: list[Token]) -> list[Token]:
    """"the Iranian news agency IRNA reported": one subject the parser read as two; the name is its
    head. "A tribunal in the Nigerian capital Abuja ordered": the name is the capital's, not a subject."""
    if len(subjects) > 1 and subjects[1].i == subjects[0].i + 1 and subjects[1].pos_ == "PROPN":
        return subjects[1:]
    if len(subjects) > 1 and subjects[1].pos_ == "PROPN" and subjects[1].i == subjects[0].right_edge.i + 1 \
            and subjects[0].right_edge.pos_ == "NOUN":
        # "a tribunal in the Nigerian capital Abuja ordered": the name is the capital's, inside the subject
        return subjects[:1] + subjects[2:]
    return subjects


def _nearest_left_noun(verb: Token) -> Token | None:
    """Repair for a finite verb the parser left without a subject: the name just before it."""
    start = sentence_of(verb).start
    i = verb.i - 1
    while i >= start and token_at(verb.doc, i).pos_ in {"ADV", "AUX", "PART"}:
        if token_at(verb.doc, i).ent_type_ in NAME_KINDS:
            return token_at(verb.doc, i)  # "USAID announced ...", the name tagged as an adverb
        i -= 1
    if i < start:
        return None
    tok = token_at(verb.doc, i)
    if tok.pos_ in {"PROPN", "NOUN", "PRON"} and tok.dep_ not in {"compound", "poss"}:
        return tok
    return None


def _prep_with_object(verb: Token, lexicon: EventLexicon) -> Token | None:
    """The preposition (with an object) that the lexicon knows for this verb, if any."""
    known = lexicon.preps(verb.lemma_.lower())
    for child in children(verb):
        # "was discussed with X": the with-phrase is a partner or a manner, never a written passive's object
        if child.dep_ in {"prep", "prt"} and child.lower_ in known and child.lower_ != "with" and _children(child, "pobj"):
            return child
    return None


def objects_of_prep(prep: Token) -> list[Token]:
    """Objects of a preposition, also when the parser made the object the subject of a
    following reduced relative ("asylum to five officers holed up in ...")."""
    objects = _children(prep, "pobj")
    if objects or prep.i + 1 >= len(prep.doc):
        return objects
    tok = token_at(prep.doc, prep.i + 1)
    while tok.dep_ in {"det", "nummod", "amod", "compound", "poss"} and tok.head.i > tok.i:
        tok = tok.head
    if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.dep_ in {"advcl", "ccomp", "conj"} \
            and tok.head.head.i == prep.head.i and tok.head.tag_ in {"VBD", "VBN"}:
        return [tok]
    # "against visiting President X": the participle is an adjective, not a gerund with an object
    if tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.i == prep.i:
        return [o for o in _children(tok, "dobj") if o.ent_type_ == "PERSON" or o.pos_ == "PROPN" and any(
            c.dep_ == "compound" and c.ent_type_ != "GPE" for c in o.children)][:1]
    return objects


def _participle_rule(predicate: Token, objects: list[Token]) -> list[str]:
    """The rule id when an object was read past a participle ("against visiting President X")."""
    return ["syn.participle-modifier"] if any(o.dep_ == "dobj" and o.head.dep_ == "pcomp" and o.head.i != predicate.i
                                              for o in objects) else []


def demanded_clause(noun: Token) -> Token | None:
    """The clause a demand noun governs, when it names who is to act: "its demand that the
    government release ...", "its call for Israel to open ..."."""
    if noun.lemma_.lower() not in DEMAND_NOUNS:
        return None
    for clause in children(noun):
        if clause.dep_ in {"acl", "advcl", "ccomp", "relcl"} and clause.pos_ in {"VERB", "AUX"}:
            subjects = _children(clause, "nsubj")
            if subjects and subjects[0].lower_ not in {"that", "which", "who"}:
                return clause
    return None



def _doers(noun: Token) -> list[Token]:
    """Who did what a noun names: "the strikers' demands", "the attack by Hamas", "a rally
    staged by students"."""
    by_phrases = [p for p in _children(noun, "prep") if p.lower_ == "by"]
    by_phrases += [a for c in _children(noun, "acl") if c.tag_ == "VBN" for a in _children(c, "agent")]
    possessors = [p for p in _children(noun, "poss") if p.pos_ != "PRON"]
    return possessors + [o for p in by_phrases for o in _children(p, "pobj") if not _is_time(o)]


def _coordinated_modifiers(subjects: list[Token]) -> list[Token]:
    """The parties of one noun whose modifiers are coordinated ("British and EU negotiators",
    "Iranian and Iraqi officials"): each modifier names a party; [] when there are none."""
    if len(subjects) != 1 or subjects[0].pos_ != "NOUN":
        return []
    for mod in children(subjects[0]):
        if mod.dep_ in {"amod", "compound", "nmod"} and mod.i < subjects[0].i:
            parties = [mod, *(c for c in children(mod) if c.dep_ == "conj")]
            # names and nationality words only: "left-wing and liberal groups" are one group
            if len(parties) > 1 and all(p.pos_ == "PROPN" or p.ent_type_ in {"NORP", "GPE", "ORG"} for p in parties):
                return parties
    return []


def _acting_for(subject: Token, lexicon: EventLexicon) -> list[Token]:
    """Who acts when the subject is an act or a weapon ("a Taliban attack killed", "an
    airstrike by NATO hit", "missiles fired by Israel struck"): its doers, else the names and
    nationality words that modify it; empty when it names none."""
    lemma = subject.lemma_.lower()
    if subject.pos_ == "PROPN" and not subject.ent_type_ and subject.i == sentence_of(subject).start:
        lemma = lemma.removesuffix("s")  # a capitalised first word the tagger took for a name ("Rockets")
    elif subject.pos_ != "NOUN":
        return []
    if not (lexicon.knows(lemma, "noun") or lemma in INSTRUMENTS):
        return []
    doers = _doers(subject)
    if doers:
        return conjuncts(doers[0])
    between = [o for p in _children(subject, "prep") if p.lower_ == "between" for o in _children(p, "pobj")]
    if between and len(conjuncts(between[0])) > 1:
        return conjuncts(between[0])  # "the talks between Serbia and Kosovo failed to ...": the two parties
    return [c for c in children(subject) if c.i < subject.i and c.dep_ in {"compound", "amod", "nmod"}
            and (c.pos_ == "PROPN" or c.ent_type_ in {"NORP", "GPE", "ORG"})][:1]


def _is_time(token: Token) -> bool:
    if token.ent_type_ in {"DATE", "TIME"}:
        # the recogniser tags some names as dates ("the coup in Niger"); a date's proper nouns
        # are months and weekdays
        return not (token.pos_ == "PROPN" and token.lower_.rstrip(".") not in MONTHS and token.lower_ not in WEEKDAYS)
    return token.lemma_.lower() in {"time", "week", "day", "month", "year"}


def verb_frame(verb: Token, lexicon: EventLexicon) -> FrameDraft | None:
    """The frame of a verb, or None when the verb carries no subject-action-object triple."""
    lemma = verb.lemma_.lower()
    if lemma == "be":
        return None
    subjects, repaired = subjects_of(verb, lexicon)
    doers = [d for s in subjects for d in _acting_for(s, lexicon)]
    acted_for = bool(doers)
    subjects = doers or subjects
    parties = _coordinated_modifiers(subjects)
    subjects = parties or subjects
    passive_voice, agents = is_passive(verb), _children(verb, "agent")
    passive = passive_voice and not agents
    dobjs = [] if passive and not repaired and not _children(verb, *SUBJECT_DEPS) else _children(verb, "dobj", "dative")
    if passive_voice and agents:
        dobjs = _children(verb, "nsubjpass")
    # "X was arrested in Niger": with no doer written, the place's authorities arrest (syn.place-doer;
    # kept below only for coercion, and in the events step only when the place names a state)
    place_doer = [o for p in _children(verb, "prep") if p.lower_ == "in" for o in _children(p, "pobj")
                  if o.pos_ == "PROPN" and not _is_time(o)][:1] if passive and not subjects else []
    if place_doer:
        subjects, dobjs = place_doer, _children(verb, "nsubjpass")
    tail = reporting_tail(sentence_of(verb))
    dobjs = [d for d in dobjs if not _is_time(d) and d.pos_ != "ADP" and (tail is None or d.i != tail.head.i)]
    # "met X in Riyadh, the first such visit in years": a closing description of the event, not an object
    dobjs = [d for i, d in enumerate(dobjs) if i == 0 or not (
        token_at(d.doc, d.left_edge.i - 1).text == "," and lexicon.knows(d.lemma_.lower(), "noun"))]
    if not dobjs:  # "denounced as a crime Serbia's crackdown": the object is parsed as the as-phrase's apposition
        dobjs = [a for p in _children(verb, "prep") if p.lower_ == "as" for o in _children(p, "pobj")
                 for a in _children(o, "appos")]
    # "found the bank guilty", "set the envoy free": a small clause, whose subject (when the parser
    # gives it one) is the object
    prep_object = False
    small_clause = next((c for c in _children(verb, "ccomp", "xcomp") if c.pos_ == "ADJ"), None)
    if not dobjs and small_clause is not None:
        dobjs = _children(small_clause, "nsubj")[:1]
    if not dobjs:  # "up to 16 advisers", a quantity, is parsed as a particle "up" + "to 16 advisers"
        dobjs = [o for up in children(verb) if up.lower_ == "up" and up.dep_ in {"prt", "prep", "advmod"}
                 for to in _children(up, "prep") if to.lower_ == "to" for o in _children(to, "pobj")]
    # "gave Ukraine weapons": the thing given names the act, the one given to is its target
    datives = [d for d in dobjs if d.dep_ == "dative" and d.pos_ != "ADP"] if len(dobjs) > 1 else []
    dobjs = [d for d in dobjs if d not in datives]
    if not datives and lemma in DITRANSITIVE and dobjs and dobjs[0].pos_ == "NOUN":
        # the parser often reads "gave Ukraine tanks" as one noun phrase "Ukraine tanks"
        first = token_at(verb.doc, verb.i + 1)
        if first.pos_ == "PROPN" and first.head.i == dobjs[0].i and first.dep_ in {"compound", "nmod"}:
            datives = [first]
    # "supplied Syria with jets", "charged the minister with fraud": the with-phrase is what is
    # given or used, and the direct object the one it reaches, as in a double object
    instrument = [o for p in _children(verb, "prep") if p.lower_ == "with" for o in _children(p, "pobj")] \
        if lemma in WITH_INSTRUMENT and dobjs and not datives and not passive_voice else []
    if instrument:
        datives, dobjs = dobjs[:1], instrument[:1]
    # "provide support to X" is sometimes parsed with "to" as a dative: treat it as a preposition
    preps = [c for c in children(verb) if c.dep_ in {"prep", "prt"} or (c.dep_ == "dative" and c.pos_ == "ADP")]
    # "called his counterpart on Tuesday": a time phrase is no argument that selects a sense
    # ("sentenced X to nine years": a term is no time phrase)
    prep_words = tuple(p.lower_ for p in preps if p.lower_ == "to"
                       or not (_children(p, "pobj") and all(_is_time(o) for o in _children(p, "pobj"))))
    obj_head = dobjs[0] if dobjs else None
    while obj_head is not None and (obj_head.lemma_.lower() in MEASURES or obj_head.ent_type_ in AMOUNTS):
        # "two tonnes of flour", "$5 million in aid": the measured noun names the act
        inner = [o for p in _children(obj_head, "prep") if p.lower_ in {"of", "in"} for o in _children(p, "pobj")]
        if not inner and obj_head.ent_type_ == "MONEY":  # "paid $60 million in aid": the parser hangs "in aid" on the verb
            inner = [o for p in _children(verb, "prep") if p.lower_ == "in" for o in _children(p, "pobj")]
        if not inner and obj_head.ent_type_ == "MONEY":
            break  # "gave 300 million euros": the money itself is what is given
        obj_head = inner[0] if inner else None
    obj_forms = (*joined_forms(obj_head), obj_head.lemma_.lower(), obj_head.lower_) if obj_head is not None else ()
    modifiers: tuple[str, ...] = ()
    if obj_head is not None and obj_head.ent_type_:  # word classes may name entity kinds: ent:gpe, ent:person
        obj_forms += (f"ent:{obj_head.ent_type_.lower()}",)
    if obj_head is not None:
        obj_forms += ("*",)  # the class any_object: the verb has a direct object
    if obj_head is not None:  # "launched rocket, drone and missile strikes": any conjunct may name the kind
        obj_forms += tuple(f for c in conjuncts(obj_head)[1:] for f in (c.lemma_.lower(), c.lower_))
        # "declared a state of emergency": the of-phrase may name the kind too
        obj_forms += tuple(o.lemma_.lower() for p in _children(obj_head, "prep") if p.lower_ == "of"
                           for o in _children(p, "pobj"))
        # "violated the ceasefire agreement", "imposed martial law", "sent humanitarian aid": a compound
        # or an adjective may name the kind too
        modifiers = tuple(c.lemma_.lower() for c in _children(obj_head, "compound", "amod")
                          if c.pos_ in {"NOUN", "ADJ"})
        obj_forms += modifiers
    elif not dobjs:  # "remained on alert": with no direct object, a prepositional object may name the kind
        obj_forms = tuple(f for p in preps for o in objects_of_prep(p) for f in (*joined_forms(o), o.lemma_.lower()))
        prep_object = bool(obj_forms)
    # "were taken hostage by X": the object predicate names the act as an object would, and so
    # does a resultative word ("set free the envoy", "found the bank guilty")
    obj_forms += tuple(f for c in _children(verb, "oprd") for f in (c.lemma_.lower(), c.lower_))
    obj_forms += tuple(c.lemma_.lower() for c in _children(verb, "advmod") if c.pos_ in {"ADJ", "ADV"})
    if obj_head is not None:  # "let free some 40 activists": the resultative word hung on the object
        obj_forms += tuple(c.lower_ for c in _children(obj_head, "acomp", "amod") if c.i == verb.i + 1)
    if small_clause is not None:
        obj_forms += (small_clause.lemma_.lower(),)
    # "sent troops to the peacekeeping force", "rejected an offer for talks": what the act is for
    purpose = purpose_forms(verb) + purpose_forms(obj_head, preps={"for"}) if obj_head is not None else ()
    obj_forms += purpose
    # "called for Israel to open the crossing", "pushed for the US (to) support the plan": the
    # for-clause is the verb's for-argument; its subject is the one asked (syn.for-clause)
    for_clause = next((c for c in children(verb) if c.dep_ in {"advcl", "ccomp", "xcomp"} and c.pos_ in {"VERB", "AUX"}
                       and any(m.lower_ == "for" for m in _children(c, "mark")) and _children(c, "nsubj")), None)
    if for_clause is not None and "for" not in prep_words:
        prep_words += ("for",)
    # "pressured the workers to cancel the strike": the infinitive plays the part of "to"
    infinitive = ("to",) if "to" not in prep_words and any(
        c.dep_ in {"xcomp", "advcl"} and any(a.lower_ == "to" for a in _children(c, "aux")) for c in children(verb)
        if c is not for_clause) else ()
    entry = lexicon.match(lemma, "verb", prep_words + infinitive, obj_forms, modifiers,
                          complement="to" if infinitive else None, prep_object=prep_object,
                          particles=tuple(p.lower_ for p in preps if p.dep_ == "prt"))
    action_prep = entry.prep if entry and entry.prep and entry.prep in prep_words else None
    moving_force = _moving_force(verb, subjects, dobjs, entry, purpose + obj_forms)
    if moving_force is not None and not subjects:
        subjects = [moving_force]  # "soldiers were deployed as peacekeepers": the force deploys
    if place_doer and not (entry is not None and entry.cameo and entry.cameo[:2] in PLACE_DOER_ROOTS):
        subjects, place_doer = [], []  # "was born in Niger", "was killed in Kabul": no doer to name

    objects: list[Token] = []
    theme: Span | None = None
    prep_objects: list[Token] = []
    for prep in preps:
        for pobj in objects_of_prep(prep):
            if _is_time(pobj):
                continue
            if action_prep and prep.lower_ == action_prep:
                prep_objects.insert(0, pobj)
            elif not action_prep and prep.lower_ in PLAIN_ARGUMENT_PREPS:
                prep_objects.append(pobj)
            elif (dobjs or prep_objects or (entry is not None and entry.cameo and prep.lower_ != "for")) \
                    and prep.lower_ in THEME_PREPS and theme is None:
                theme = pobj.doc[pobj.left_edge.i: pobj.right_edge.i + 1]
    if action_prep and prep_objects:
        objects = [prep_objects[0]]
        # "called for X, Y": a direct object after the prepositional object is its conjunct
        objects += [d for d in dobjs if d.i > prep_objects[0].i]
        leading = [d for d in dobjs if d.i < prep_objects[0].i]
        if leading and action_prep == "with":  # "discussed Syria with Putin": the partner, and what was discussed
            theme = theme or leading[0].doc[leading[0].left_edge.i: leading[0].right_edge.i + 1]
        elif leading:
            if action_prep not in AIMED_PREPS:  # "pressured Israel into a deal": the deal is the theme
                theme = theme or prep_objects[0].doc[prep_objects[0].left_edge.i: prep_objects[0].right_edge.i + 1]
            objects = leading
    elif dobjs:
        objects = dobjs
    elif prep_objects:
        objects = prep_objects[:1]
    asked = for_clause if for_clause is not None and action_prep == "for" and not prep_objects else None
    if asked is not None:
        objects = _children(asked, "nsubj")[:1]
    object_parties = _coordinated_modifiers(objects)  # "met Israeli and Hamas delegations": each party
    objects = object_parties or objects

    frame = FrameDraft(verb, _action_name(verb, action_prep), entry.cameo if entry else None,
                  subjects, objects, repaired_subject=repaired, lexicon=entry.id if entry else None,
                  rules=["syn.verb"] + (["syn.subject-repair"] if repaired else [])
                  + (["syn.document-voice"] if document_voice(verb) and subjects and subjects[0].i != verb.head.i else [])
                  + (["syn.place-doer"] if place_doer else [])
                  + (["syn.event-noun-doer"] if acted_for else [])
                  + (["syn.coordinated-parties"] if parties or object_parties else [])
                  + (["syn.small-clause"] if small_clause is not None else []) + _participle_rule(verb, objects)
                  + (["syn.purpose-kind"] if _kind_from(entry, purpose, obj_forms) else [])
                  + (["syn.hyphen-word"] if entry is not None and entry.objects.intersection(
                      f for t in dobjs[:1] + [o for p in preps for o in objects_of_prep(p)] for f in joined_forms(t)) else []))

    if moving_force is not None:
        # "peacekeepers arrived in Juba": a deployment of peacekeepers (074); troops arriving make no visit
        frame.cameo = "074" if _peacekeeping(moving_force, purpose + obj_forms) else None
        frame.rules.append("code.force-arrival")
        if not frame.objects:  # "began deploying in Azerbaijan": where the force goes
            # ("deployed as peacekeepers in Somalia": the place may hang on the as-phrase)
            places = preps + [q for p in preps if p.lower_ == "as" for o in _children(p, "pobj") for q in _children(o, "prep")]
            frame.objects = [o for p in places if p.lower_ in {"in", "at", "to", "into", "along"}
                             for o in _children(p, "pobj") if not _is_time(o)][:1]
    if asked is not None:  # what the one asked is to do is no deed
        frame.theme = verb.doc[asked.left_edge.i: asked.right_edge.i + 1]
        frame.consumes = asked.i
        frame.rules.append("syn.for-clause")
    xcomps = [c for c in children(verb) if c.dep_ in {"xcomp", "advcl"} and (c.pos_ == "VERB" or infinitive_read_as_noun(c))
              and any(a.lower_ == "to" for a in _children(c, "aux")) and c is not asked]
    if xcomps and entry is not None and entry.cameo and ordered_own_forces(verb):
        # "Putin ordered troops to withdraw": an order to one's own forces is no demand between
        # actors; the deed ordered is the orderer's (as "ordered the arrest of X" is)
        frame.cameo = None
        frame.rules.append("syn.order-to-own-forces")
    elif xcomps and entry is not None and entry.cameo:
        embedded = xcomps[0]
        frame.theme = verb.doc[embedded.left_edge.i: embedded.right_edge.i + 1]
        frame.consumes = embedded.i
        # "warned Greece not to arm the islands": Greece would act, so the warning is not coded by that deed
        controlled = lemma in OBJECT_CONTROL and bool(dobjs)
        promised = _promised_code(embedded, lexicon) if entry.cameo[:2] in {"03", "12", "13"} and not controlled else None
        if promised is not None and entry.cameo[:2] == "03" and lemma in DECISION_VERBS and promised[:2] in CONFLICT_ROOTS:
            # "EU ministers agreed to widen sanctions": a decided deed is coded as the deed
            frame.cameo = promised
            frame.rules.append("code.decision-is-deed")
        elif promised is not None and (entry.cameo[:2] == "03" or (entry.cameo[:2] == "13" and promised[:2] in CONFLICT_ROOTS)):
            # "vowed to continue fighting", "threatened to impose sanctions": coded by what is intended
            frame.cameo, frame.modality = promised, frame.modality or "intended"
            frame.rules.append("code.intent-by-deed")
        elif promised is not None and entry.cameo[:2] == "12" and promised[:2] in refusal_codes():
            frame.cameo = refusal_codes()[promised[:2]]  # "refused to meet X": rejecting a meeting (125)
            frame.rules.append("code.refusal-by-deed")
        if not objects:
            # "agreed to lend Argentina $44 billion": the one given to, before what is given
            inner = [d for d in _children(embedded, "dative") if d.pos_ in {"NOUN", "PROPN"}] \
                or _children(embedded, "dobj") or [o for p in _children(embedded, "prep") for o in _children(p, "pobj")]
            frame.objects = inner[:1]
    elif theme is not None:
        frame.theme = theme
    elif not frame.objects:
        clauses = _children(verb, "ccomp")
        if clauses:
            clause = clauses[0]
            frame.theme = verb.doc[clause.left_edge.i: clause.right_edge.i + 1]
            clause_subjects = _children(clause, "nsubj", "nsubjpass")
            obligation = _states_obligation(clause)
            reporting = entry is None or entry.cameo in {None, "010"}
            if reporting and clause_subjects and clause_subjects[0].pos_ == "PRON" and _states_blame(clause, denied=True):
                # "said it was not responsible": denying one's own responsibility (016)
                frame.cameo = "016"
                frame.consumes = clause.i
                frame.rules.append("code.statement-denies")
            elif reporting and clause_subjects and _states_blame(clause):
                # "said the rebels were responsible for the attack": saying who is to blame accuses them
                frame.cameo, frame.objects = "112", clause_subjects[:1]
                frame.consumes = clause.i
                frame.rules.append("code.statement-accuses")
            elif obligation and clause_subjects and reporting:
                # "said that Iran must halt enrichment": a statement of obligation is a demand, and
                # what is demanded is not a deed
                frame.cameo, frame.objects = "100", clause_subjects[:1]
                frame.consumes = clause.i
                frame.rules.append("code.obligation-is-demand")
            elif reporting:
                # "announced that it will ...": the announcement only reports the clause's own event
                frame.cameo = None
                frame.rules.append("code.report-is-no-event")
            elif clause_subjects:
                # "demanded that the US match ...": the clause's subject is the one addressed, and
                # the clause is what is demanded, not a deed
                frame.objects = clause_subjects[:1]
                frame.consumes = clause.i
    elif entry is not None and entry.cameo is None and _children(verb, "ccomp") \
            and _states_obligation(_children(verb, "ccomp")[0]):
        # "told Israel that it must stop": telling someone what they must do is a demand of them
        clause = _children(verb, "ccomp")[0]
        frame.cameo, frame.consumes = "100", clause.i
        frame.rules.append("code.obligation-is-demand")
        frame.theme = verb.doc[clause.left_edge.i: clause.right_edge.i + 1]
    denied = [c for c in _children(verb, "xcomp", "ccomp") if c.tag_ == "VBG" and not _children(c, "nsubj")] \
        if frame.consumes is None and frame.cameo == "016" else []
    if denied:  # "denied supplying drones to Russia": the deed denied is no deed
        frame.theme = verb.doc[denied[0].left_edge.i: denied[0].right_edge.i + 1]
        frame.consumes = denied[0].i
        frame.rules.append("syn.denied-gerund")
    if frame.consumes is None and frame.cameo and frame.cameo[:2] in ASKING_ROOTS:
        # "warned the US against selling arms", "pressed for holding a vote": what is warned
        # against or asked for is not a deed
        asked = [c for p in preps if p.lower_ in {"against", "for", "from", "into", "on"}
                 for c in _children(p, "pcomp") if c.pos_ == "VERB"]
        if asked:
            frame.theme = frame.theme or verb.doc[asked[0].left_edge.i: asked[0].right_edge.i + 1]
            frame.consumes = asked[0].i
            frame.rules.append("syn.asked-gerund")
    if frame.cameo and frame.cameo.startswith("112") and frame.theme is None:
        # "accused the rebels of violating the truce": what is alleged is the accusation's theme, not a deed
        alleged = [c for p in preps + [p for o in frame.objects[:1] for p in _children(o, "prep")]
                   if p.lower_ in {"of", "for", "with"} for c in _children(p, "pcomp")]
        if alleged:
            frame.theme = verb.doc[alleged[0].left_edge.i: alleged[0].right_edge.i + 1]
            frame.consumes = alleged[0].i
        else:  # "accused the army of abuses": the abuses alleged
            charged = [c for p in preps + [p for o in frame.objects[:1] for p in _children(o, "prep")]
                       if p.lower_ == "of" for c in _children(p, "pobj")]
            if charged:
                frame.theme = verb.doc[charged[0].left_edge.i: charged[0].right_edge.i + 1]
    demanded = demanded_clause(frame.objects[0]) if frame.objects and frame.cameo else None
    if demanded is not None:  # "insisted on its demand that X release ...": X is addressed, the release is not a deed
        frame.recipients.append(_children(demanded, "nsubj")[0])
        frame.consumes = frame.consumes if frame.consumes is not None else demanded.i
    if datives:
        frame.recipients += datives
        frame.rules.append("syn.with-instrument" if instrument else "syn.double-object")
    # "aid to X", "visit to X"; but "a deal on the border" is about the border (syn.topic-phrase)
    object_preps = [p for o in frame.objects[:1] for p in _children(o, "prep")]
    # "lifted most of its sanctions on Iran": the phrases of what is measured are the object's
    object_preps += [q for o in frame.objects[:1] if o.lemma_.lower() in MEASURES for p in _children(o, "prep")
                     if p.lower_ == "of" for n in _children(p, "pobj") for q in _children(n, "prep")]
    topics = [p for p in object_preps if p.lower_ in TOPIC_PREPS | {"on"} and p.head.lemma_.lower() in TOPIC_NOUNS]
    if topics:
        object_preps = [p for p in object_preps if p not in topics]
        frame.rules.append("syn.topic-phrase")
    # the object's own phrase first: "imposed sanctions on Iran over its deliveries to Russia" aims at Iran
    # "fired at X" reaches X; "signed the accord at the White House" only says where
    aimed_at = bool(frame.cameo) and (frame.cameo[:2] in CONFLICT_ROOTS | {"11", "13", "14"}
                                      or (entry is not None and entry.prep == "at"))
    frame.recipients += [o for p in object_preps + preps if p.lower_ in REACHING_PREPS and (p.lower_ != "at" or aimed_at)
                         for o in objects_of_prep(p) if not _is_time(o) and o.i not in {x.i for x in frame.objects}]
    # "an aid package for Ukraine", "pledged support for the Libyan government": who is helped or backed
    if frame.cameo and (frame.cameo[:2] in {"05", "07"} or frame.cameo[:3] in {"032", "033"}):
        frame.recipients += [o for p in object_preps if p.lower_ == "for" for o in _children(p, "pobj")]
    purpose = [c for c in children(verb) if c.dep_ in {"advcl", "xcomp"}
               and any(a.lower_ == "to" for a in _children(c, "aux"))]
    # (the clause of an appeal, promise, demand or threat is what is asked or promised, not a purpose)
    helped = [o for c in purpose for o in _children(c, "dobj")] \
        if frame.cameo and entry is not None and entry.cameo and entry.cameo[:2] not in CONTENT_ROOTS else []
    if helped:  # "sent aid to help Haiti": who the deed is for
        frame.recipients += helped
        frame.rules.append("syn.purpose-target")
    nested = _nested_targets(frame.objects[0]) if frame.cameo and frame.objects else []
    if nested:  # "rejected a call for its forces to be deployed in Mali": Mali
        frame.recipients += nested
        frame.rules.append("syn.nested-target")
    # "mediated talks between Colombia and the rebels": the parties of the object are the ones affected
    frame.recipients += [o for p in object_preps if p.lower_ == "between" for o in _children(p, "pobj")]
    frame.concerned += [a for o in frame.objects[:1] for a in _doers(o)]  # "condemned the attack by X": X
    # "ended the boycott after talks with the ministry": the partner of the talks
    # that led to the act is who it concerns
    if frame.cameo and frame.cameo[:2] in OUTCOME_ROOTS:
        frame.concerned += [o for p in preps if p.lower_ in SEQUENCE_PREPS for n in _children(p, "pobj")
                            if lexicon.match(n.lemma_.lower(), "noun", ("with",)) is not None
                            for w in _children(n, "prep") if w.lower_ == "with" for o in _children(w, "pobj")]
    # "called for the removal of X", "supported the rights of X": X is who the act concerns
    frame.concerned += [o for obj in frame.objects[:1] for p in _children(obj, "prep") if p.lower_ == "of"
                         for o in _children(p, "pobj") if o.pos_ in {"NOUN", "PROPN"}]
    # "marched in defiance of the army", "fired in retaliation against X": the one the act answers
    frame.concerned += [o for p in preps if p.lower_ == "in" for n in _children(p, "pobj") if n.lemma_.lower() in STANCE_NOUNS
                         for q in _children(n, "prep") if q.lower_ in {"of", "against", "at", "to"} for o in _children(q, "pobj")]
    if frame.objects and frame.objects[0].pos_ == "NOUN" and not passive_voice:
        # "condemned the shelling by Israel of ...": the parser hangs the noun's by-phrase on the verb
        frame.concerned += [o for p in preps if p.lower_ == "by" for o in _children(p, "pobj") if not _is_time(o)]
    # "lifted the curfew in Montenegro": a state where the action happens is affected by it
    # "approved the deployment of troops in Libya": the place of what the object is of;
    # "withdrew peacekeepers from a base in X", "sent troops to a camp in X": the place of where it went
    nested_preps = [q for p in object_preps if p.lower_ == "of" for n in _children(p, "pobj") for q in _children(n, "prep")]
    nested_preps += [q for p in preps if p.lower_ in {"from", "to", "into"} for n in _children(p, "pobj")
                     for q in _children(n, "prep")]
    # "killed 48 people in two attacks in Afghanistan": the place of the act it was done in
    nested_preps += [q for p in preps if p.lower_ == "in" for n in _children(p, "pobj")
                     if not _is_time(n) and n.ent_type_ not in {"GPE", "LOC", "FAC"} for q in _children(n, "prep")]
    frame.places = [o for p in preps + object_preps + nested_preps if p.lower_ == "in"
                    for o in _children(p, "pobj") if not _is_time(o)]
    _flags(frame)
    if frame.negated:  # "will not ease sanctions unless Pyongyang dismantles ...": the condition names who must act
        addressed = _condition_subjects(verb)
        if addressed:
            frame.recipients += addressed
            frame.rules.append("syn.condition-target")
    return frame


def _condition_subjects(verb: Token) -> list[Token]:
    """The subjects of a refusal's condition ("until Cuba frees its prisoners", "unless the EU
    provides guarantees", "before the management is sacked"), its own clauses' included."""
    clauses = [c for c in _children(verb, "advcl") if any(m.lower_ in {"until", "unless", "before", "till"}
                                                          for m in _children(c, "mark", "prep", "advmod"))]
    found: list[Token] = []
    for clause in clauses:
        for verb_ in [clause, *[t for t in subtree(clause) if t.dep_ in {"conj", "ccomp"} and t.pos_ in {"VERB", "AUX"}]]:
            found += [t for t in _children(verb_, "nsubj", "nsubjpass") if t.pos_ != "PRON"]
    return found


def joined_forms(token: Token) -> tuple[str, ...]:
    """The whole word a hyphen splits ("cease-fire" -> "ceasefire", "cease-fire"), so that the
    word after the hyphen is not read alone ("fire")."""
    doc = token.doc
    if token.i < 2 or doc[token.i - 1].text != "-" or doc[token.i - 2].whitespace_ or doc[token.i - 1].whitespace_:
        return ()
    first = doc[token.i - 2].lower_
    return (f"{first}{token.lemma_.lower()}", f"{first}-{token.lemma_.lower()}")


def _kind_from(entry: LexiconEntry | None, purpose: tuple[str, ...], forms: tuple[str, ...]) -> bool:
    """Whether the entry's object class was matched by the purpose phrase alone."""
    if entry is None or not entry.objects or not entry.objects.intersection(purpose):
        return False
    return not entry.objects.intersection(f for f in forms if f not in purpose)


def purpose_forms(*heads: Token, preps: set[str] = PURPOSE_PREPS) -> tuple[str, ...]:
    """The words of the purpose phrases of a predicate or its object ("on a peacekeeping
    mission", "as peacekeepers"): the phrase's noun and its compounds and adjectives."""
    nouns = [o for h in heads for p in _children(h, "prep") if p.lower_ in preps for o in _children(p, "pobj")]
    return tuple(w.lemma_.lower() for n in nouns for w in (n, *_children(n, "compound", "amod")))


def _nested_targets(obj: Token) -> list[Token]:
    """Who a call, plan or proposal is aimed at, inside its own clause ("a call for its forces
    to be deployed in Mali", "a plan to send troops to Chad"): the objects of the clause's
    aimed or locative phrases."""
    if obj.lemma_.lower() not in CONTENT_NOUNS:
        return []
    clauses = [t for t in subtree(obj) if t.pos_ == "VERB" and t.i != obj.i]
    return [o for v in clauses for p in _children(v, "prep") if p.lower_ in NESTED_TARGET_PREPS
            for o in _children(p, "pobj") if not _is_time(o)]


def _states_blame(clause: Token, denied: bool = False) -> bool:
    """Whether a clause says its subject is to blame ("X was responsible", "X is behind the attack"),
    or with `denied`, that it is not ("it was not responsible")."""
    if clause.lemma_.lower() != "be" or bool(_children(clause, "neg")) != denied:
        return False
    return any(c.lemma_.lower() in BLAME_WORDS for c in _children(clause, "acomp", "attr", "prep"))


def _states_obligation(clause: Token) -> bool:
    """Whether a clause says what someone must do ("that China must drop", "it has to leave"),
    also in the mandative subjunctive ("insisted that Israel allow aid in": a base form after a
    third-person subject, with no auxiliary)."""
    mandative = clause.tag_ == "VB" and not _children(clause, "aux", "auxpass") and any(
        m.lower_ == "that" for m in _children(clause, "mark")) and any(
        s.pos_ in {"NOUN", "PROPN"} or s.lower_ in {"he", "she", "it"} for s in _children(clause, "nsubj"))
    return mandative or any(a.lemma_.lower() in {"must", "should"} for a in _children(clause, "aux")) or any(
        c.lemma_.lower() == "have" and any(x.lower_ == "to" for x in subtree(c)) for c in _children(clause, "xcomp"))


def _action_name(verb: Token, prep: str | None = None) -> str:
    """The verb's lemma with its particle and the preposition its sense takes: "set up",
    "call on", "hand over to"."""
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt" and c.lower_ != prep]
    return " ".join([verb.lemma_.lower(), *particles[:1], *([prep] if prep else [])])


def light_verb_frames(verb: Token, lexicon: EventLexicon) -> list[FrameDraft]:
    """`had a conversation with X`, `held talks with X`, `issued an ultimatum to X`: the event is the noun's."""
    frames: list[FrameDraft] = []
    lemma = verb.lemma_.lower()
    if lemma not in LIGHT_VERBS and lemma not in CAUSATIVE_VERBS:
        return frames
    particles = tuple(c.lower_ for c in children(verb) if c.dep_ in {"prt", "prep"})
    # ("ended mediation efforts": the compound of a head that is no event noun may name the verb's own sense, 165)
    own = lexicon.match(lemma, "verb", particles, tuple(
        w.lemma_.lower() for n in _children(verb, "dobj")
        for w in (n, *(_children(n, "compound") if not lexicon.knows(n.lemma_.lower(), "noun") else []))))
    if own is not None and (own.objects or own.prep) and lemma not in CAUSATIVE_VERBS:
        return frames  # "launched missiles": the verb's own sense for this object
    nouns = _children(verb, "dobj") + [o for p in _children(verb, "prep") if p.lower_ == "in"
                                       and lemma in PARTICIPATION for o in _children(p, "pobj")]
    # "opened a second round of talks", "launched a wave of strikes": the measured noun is the event
    nouns = [next((o for p in _children(n, "prep") if p.lower_ in {"of", "in"} for o in _children(p, "pobj")), n)
             if n.lemma_.lower() in MEASURES else n for n in nouns]
    for noun in nouns:
        frame = noun_frame(noun, lexicon, verb)
        # a verb with a sense of its own ("expressed", "ordered") yields only to a coded event noun
        if frame is not None and LIGHT_VERBS.get(lemma) == "verbal" and not (
                frame.cameo and cameo_code(frame.cameo).quad_class in {1, 3}):
            continue  # "offered aid" is an offer; "offered criticism" is the criticism
        if frame is not None and (own is None or frame.cameo):
            if lemma in CAUSATIVE_VERBS:
                frame.rules.append("syn.causative")
            frames.append(frame)
    return frames


def converse_frames(verb: Token, lexicon: EventLexicon) -> list[FrameDraft]:
    """`received aid from X`, `faced criticism from X`: X acts on the subject; the event is the noun's."""
    if verb.lemma_.lower() not in CONVERSE_VERBS:
        return []
    frames = []
    for noun in _children(verb, "dobj") + [o for p in _children(verb, "prep") if p.lower_ == "under"
                                           for o in _children(p, "pobj")]:
        sources = [o for p in _children(noun, "prep") + _children(verb, "prep") if p.lower_ == "from"
                   for o in _children(p, "pobj") if not _is_time(o)]
        # "received a phone call from X": the compound names the kind of call
        forms = [f"{c.lemma_.lower()} {noun.lemma_.lower()}" for c in _children(noun, "compound") if c.i == noun.i - 1]
        entry = next((e for f in [*forms, noun.lemma_.lower()] if (e := lexicon.any_sense(f, "noun")) is not None), None)
        if not sources or entry is None:
            continue
        receivers, repaired = subjects_of(verb, lexicon)
        frame = FrameDraft(noun, f"{verb.lemma_.lower()} {noun.lemma_.lower()} from", entry.cameo, conjuncts(sources[0]),
                      receivers, repaired_subject=repaired, lexicon=entry.id, rules=["syn.converse"])
        _flags(frame, verb)
        frames.append(frame)
    return frames


def noun_frame(noun: Token, lexicon: EventLexicon, light_verb: Token | None = None) -> FrameDraft | None:
    """An event noun with its partner: `consultations with X`, `Russia's talks with Iran`."""
    # the head, or the event noun compounded onto it ("a mediation mission", "peace talks")
    compounds = [c for c in children(noun) if c.dep_ == "compound" and c.pos_ == "NOUN"]
    # "air strike", "hunger strike", "peace talks": a two-word event noun before its parts
    forms = [f"{c.lemma_.lower()} {noun.lemma_.lower()}" for c in compounds if c.i == noun.i - 1]
    forms = list(joined_forms(noun)) + forms + [noun.lemma_.lower(), noun.lower_] + [c.lemma_.lower() for c in compounds]
    if not any(lexicon.knows(f, "noun") for f in forms):
        return None  # most nouns: no entry can match below
    preps = [c for c in children(noun) if c.dep_ == "prep"
             and not (_children(c, "pobj") and all(_is_time(o) for o in _children(c, "pobj")))]
    prep_words = tuple(p.lower_ for p in preps)
    if any(a.lemma_.lower() in JOINT_WORDS for a in _children(noun, "amod")):
        prep_words += ("with",)  # "joint exercises": the parties act with each other
    if light_verb is not None:  # "filed a lawsuit in Paris against X": the parser hangs the noun's phrase on the verb
        prep_words += tuple(c.lower_ for c in children(light_verb) if c.dep_ in {"prep", "dative"}
                            and not (_children(c, "pobj") and all(_is_time(o) for o in _children(c, "pobj"))))
    clause = demanded_clause(noun)
    if clause is not None:  # "its call for Israel to open": the complementiser "for" is the call's preposition
        prep_words += tuple(m.lower_ for m in _children(clause, "mark"))
    if light_verb is None and noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in {"VERB", "AUX"}:
        governor = noun.head.head
        if noun.head.lower_ in TOPIC_PREPS:
            return None  # "spoke about the release of hostages": the topic of what was said
        # the governor's sense may take this very noun ("went on strike": go.v.on@work_stoppage)
        governor_entry = lexicon.match(governor.lemma_.lower(), "verb",
                                       tuple(c.lower_ for c in children(governor) if c.dep_ in {"prep", "prt"}),
                                       (noun.lemma_.lower(), noun.lower_))
        if governor_entry is not None and governor_entry.cameo and noun.head.lower_ not in SEQUENCE_PREPS \
                and not [p for p in _children(noun, "poss") if p.pos_ != "PRON"]:
            # "called for sanctions against X", "killed 40 in an attack on X": the verb's event
            # (but "criticized X for Russia's talks with Iran": Russia's own event)
            return None
    # "the deployment of 300 soldiers on a peacekeeping mission": what the act is of, and for, name its kind
    governed = [o for p in preps if p.lower_ == "of" for o in _children(p, "pobj")]
    obj_forms = tuple(w.lemma_.lower() for o in governed for w in (o, *_children(o, "compound", "amod")))
    obj_forms += tuple(c.lemma_.lower() for c in _children(noun, "compound", "amod"))
    purpose = purpose_forms(noun, *([light_verb] if light_verb is not None else []))
    obj_forms += purpose
    entry = None
    for lemma in forms:
        entry = lexicon.match(lemma, "noun", prep_words, obj_forms)
        if entry is not None:
            break
    if entry is None:
        return None
    objects = [o for p in preps if p.lower_ == entry.prep for o in objects_of_prep(p)] if entry.prep else []
    thing = None
    if objects and entry.objects and entry.prep == "of":
        # "a suspension of aid to Yemen": the of-phrase names what is acted on, the party is reached beyond it
        holders = (objects[0], noun) + ((light_verb,) if light_verb is not None else ())
        reached = [o for t in holders for p in _children(t, "prep") if p.lower_ in RECIPIENT_PREPS
                   for o in _children(p, "pobj") if not _is_time(o)]
        if reached:
            thing, objects = objects[0], reached[:1]
    if objects and objects[0].lemma_.lower() in RELATIONS:  # "the warming of relations with X": X is the partner
        objects = [o for p in _children(objects[0], "prep") if p.lower_ in {"with", "to"}
                   for o in _children(p, "pobj")] or objects
    if light_verb is not None and not objects:
        objects = [o for p in children(light_verb) if p.dep_ in {"prep", "dative"} and p.lower_ in RECIPIENT_PREPS
                   for o in _children(p, "pobj") if not _is_time(o)]
        # "gave Peru a deadline", "gave Kenya an ultimatum": the first object of a double object is who is reached
        objects = objects or [d for d in _children(light_verb, "dative") if d.pos_ in {"NOUN", "PROPN"}]
    senders = [o for p in preps if p.lower_ == "from" for o in _children(p, "pobj")] \
        if noun.lemma_.lower() in CONTENT_NOUNS else []  # "a demand from the EU summit": who demands
    if not objects:
        objects = [o for p in preps if p.lower_ in RECIPIENT_PREPS for o in _children(p, "pobj")
                   if not _is_time(o) and o not in senders]
    if not objects and entry.cameo and entry.cameo[:2] == "07":  # "an aid package for Moldova": who receives it
        objects = [o for p in preps if p.lower_ == "for" for o in _children(p, "pobj") if not _is_time(o)]
    if not objects and clause is not None:  # who the demand is made of
        objects = _children(clause, "nsubj")[:1]
    possessors = _children(noun, "poss")
    if senders:
        subjects, repaired = conjuncts(senders[0]), False
    elif light_verb is not None:
        subjects, repaired = subjects_of(light_verb, lexicon)
    elif possessors:
        subjects, repaired = conjuncts(possessors[0]), False
    elif noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in {"VERB", "AUX"}:
        if noun.head.lower_ in SEQUENCE_PREPS - {"during"} and not (entry.cameo and entry.cameo[:2] in JOINT_ROOTS):
            # "after protests against X, the army ...", "resigned amid protests": the subject did not
            # protest (but "threw stones during demonstrations": they took part)
            return None
        subjects, repaired = subjects_of(noun.head.head, lexicon)
    elif noun.dep_ in {"nsubj", "nsubjpass"} and _acting_for(noun, lexicon):
        subjects, repaired = _acting_for(noun, lexicon), False  # "a Taliban attack on X killed ...": the attack is an event
    else:
        return None
    if not objects and light_verb is None:
        return None
    parties = _coordinated_modifiers(subjects)
    subjects = parties or subjects
    object_parties = _coordinated_modifiers(objects[:1])  # "talks with Israeli and Hamas delegations"
    action = (f"{_action_name(light_verb)} " if light_verb is not None else "") + f"{lemma} {entry.prep}".strip()
    frame = FrameDraft(noun, action, entry.cameo, subjects, object_parties or objects[:1], repaired_subject=repaired,
                  lexicon=entry.id, rules=["syn.light-verb-noun" if light_verb is not None else "syn.event-noun"]
                  + (["syn.coordinated-parties"] if parties or object_parties else [])
                  + (["syn.purpose-kind"] if _kind_from(entry, purpose, obj_forms) else [])
                  + (["syn.hyphen-word"] if lemma in joined_forms(noun) else []) + _participle_rule(noun, objects[:1]))
    if clause is not None:
        frame.consumes = clause.i  # "its call for Israel to open the crossing": no opening yet
    frame.concerned = [a for o in objects[:1] for a in _doers(o)]  # "protests against abuses by the army"
    # "announced a halt to aid in Chad", "the deployment of troops in Mali": where the act happens
    own_preps = preps + (_children(light_verb, "prep") if light_verb is not None else []) \
        + [q for o in governed for q in _children(o, "prep")]
    frame.places = [o for p in own_preps if p.lower_ == "in" for o in _children(p, "pobj") if not _is_time(o)]
    if not objects:
        frame.theme = noun.doc[noun.left_edge.i: noun.right_edge.i + 1]
    elif thing is not None:
        frame.theme = noun.doc[thing.left_edge.i: thing.right_edge.i + 1]
        if clause is None:  # "the suspension of its aid to Yemen": no aid is given
            frame.consumes = thing.i
    _flags(frame, light_verb or noun.head.head if noun.dep_ == "pobj" else light_verb)
    return frame


def _flags(frame: FrameDraft, governor: Token | None = None) -> None:
    """Negation, modality and hypotheticals of the clause a predicate sits in."""
    verb = governor if governor is not None else frame.predicate
    chain = [verb]
    while chain[-1].dep_ in {"xcomp", "conj", "acomp"} and chain[-1].head.i != chain[-1].i and len(chain) < 6:
        if chain[-1].dep_ == "conj" and (chain[-1].tag_ not in {"VB", "VBN"} or _children(chain[-1], "aux")):
            break  # "would not attend and criticized": a finite conjunct has its own tense and polarity
        chain.append(chain[-1].head)
    if any(tok.lemma_.lower() in READY and tok.pos_ == "ADJ" for tok in chain):
        frame.modality = "intended"
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" and verb.head.head.lemma_.lower() in PREVENTING:
        frame.negated = True  # "barred the envoy from entering": no one entered
    if verb.dep_ in {"pcomp", "advcl"} and verb.tag_ == "VBG" and any(
            t.lower_ == "without" for t in (verb.head, *_children(verb, "mark", "prep"))):
        frame.negated = True  # "left without meeting the minister": no meeting
    for tok in chain:
        if _children(tok, "neg"):
            frame.negated = True
        for aux in _children(tok, "aux"):
            if aux.lemma_.lower() in MODALS and frame.modality is None:
                frame.modality = aux.lemma_.lower()
                if any(a.lower_ == "have" for a in _children(tok, "aux")) and tok.tag_ == "VBN":
                    frame.modality = "uncertain"  # "may have launched": a past act not confirmed, no threat
            if _children(aux, "neg"):
                frame.negated = True
        lemma = tok.lemma_.lower()
        if tok.i != verb.i and lemma in TRANSPARENT and TRANSPARENT[lemma]:
            frame.modality = frame.modality or TRANSPARENT[lemma]
            if lemma == "fail":
                frame.negated = True
        for mark in _children(tok, "mark"):
            if mark.lower_ in {"if", "unless"}:
                frame.modality = "conditional"
            elif mark.lower_ == "whether":
                frame.modality = "uncertain"
    head = chain[-1]
    if head.dep_ in {"ccomp", "xcomp"} and any(c.lower_ in UNCERTAIN for c in children(head.head)):
        frame.modality = "uncertain"


def sentence_frames(sentence: Span, lexicon: EventLexicon) -> list[Frame]:
    """All frames of one sentence, in reading order, with attribution filled in."""
    frames: list[FrameDraft] = []
    consumed: set[int] = set()
    light_nouns: set[int] = set()  # event nouns already read with their light verb
    tail = reporting_tail(sentence)
    for tok in tokens_of(sentence):
        if tail is not None and tok.i == tail.i:
            frames.append(_reporting_tail_frame(tail, sentence, lexicon))
            continue
        pos = tok.pos_
        if pos == "VERB" or (pos == "AUX" and _children(tok, "dobj")) or infinitive_read_as_noun(tok):
            converse = converse_frames(tok, lexicon)
            if converse:  # "accepted demands from X": X's demand, and the acceptance when it is coded
                own = verb_frame(tok, lexicon)
                converse += [own] if own is not None and own.cameo else []
            light = converse or light_verb_frames(tok, lexicon)
            if light:
                frames.extend(light)
                light_nouns.update(f.predicate.i for f in light)
                for frame in light:
                    if frame.consumes is not None:
                        consumed.update(_content_of(sentence.doc[frame.consumes], frame.cameo))
                continue
            lemma = tok.lemma_.lower()
            # "began to shell", "resorted to throwing stones": the embedded verb is the event
            if lemma in TRANSPARENT and (_children(tok, "xcomp") or any(
                    c.dep_ == "pcomp" and c.pos_ == "VERB" for p in _children(tok, "prep") for c in children(p))):
                continue
            frame = verb_frame(tok, lexicon)
            if frame is not None:
                frames.append(frame)
                if frame.consumes is not None:
                    consumed.update(_content_of(token_at(sentence.doc, frame.consumes), frame.cameo))
        elif pos == "NOUN" and tok.dep_ != "dobj" and tok.i not in light_nouns and not _measured_object(tok):
            frame = noun_frame(tok, lexicon)
            if frame is not None:
                frames.append(frame)
                if frame.consumes is not None:
                    consumed.update(_content_of(sentence.doc[frame.consumes], frame.cameo))
    # a consumed verb takes its light-verb noun with it ("threatened to hold a strike": no strike yet)
    frames = [f for f in frames if f.predicate.i not in consumed
              and not (f.predicate.i in light_nouns and f.predicate.head.i in consumed)]
    _attribute(sentence, frames)
    return [_frozen(f) for f in frames]


def _measured_object(noun: Token) -> bool:
    """Whether a noun is what a verb's measured object measures ("lifted most of its sanctions"):
    the verb's object, like a direct one, not an event of its own."""
    head = noun.head
    return noun.dep_ == "pobj" and head.lower_ == "of" and head.head.dep_ == "dobj" \
        and head.head.lemma_.lower() in MEASURES


def _frozen(draft: FrameDraft) -> Frame:
    def indices(tokens: list[Token]) -> tuple[int, ...]:
        return tuple(t.i for t in tokens)

    theme = (draft.theme.start, draft.theme.end) if draft.theme is not None else None
    return Frame(draft.predicate.i, draft.action, draft.cameo, indices(draft.subjects), indices(draft.objects),
                 theme, draft.negated, draft.modality,
                 draft.attributed_to.i if draft.attributed_to is not None else None, draft.repaired_subject,
                 indices(draft.recipients), indices(draft.concerned), indices(draft.places), draft.lexicon,
                 tuple(draft.rules))


def _reporting_tail_frame(verb: Token, sentence: Span, lexicon: EventLexicon) -> FrameDraft:
    """The frame of a closing report: the noun reports the clause before its comma. A protest
    about a clause is a verbal one (CAMEO 111) aimed at the clause's subject."""
    reporter = verb.head
    clause = sentence.doc[sentence.start: reporter.left_edge.i - 1]
    entry = lexicon.match(verb.lemma_.lower(), "verb")
    cameo = entry.cameo if entry is not None else None
    if cameo and cameo[:2] == "14":
        cameo = "111"
    frame = FrameDraft(verb, verb.lemma_.lower(), cameo if cameo != "010" else None, [reporter], [], theme=clause,
                  lexicon=entry.id if entry is not None else None, rules=["syn.reporting-tail"])
    if frame.cameo:
        frame.objects = [t for t in clause if t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT"][:1]
    return frame


def _content_of(clause: Token, cameo: str | None) -> set[int]:
    """The predicates a frame's embedded clause stands for. What is demanded, appealed for,
    promised, refused, alleged or threatened did not happen, nor did anything inside it (but a
    relative clause or a time clause with its own subject still says what did: "as he embarked
    on a trip"). The purpose of a deed ("mobilized groups to support X") is only its head."""
    if not cameo or cameo[:2] not in CONTENT_ROOTS:
        return {clause.i}
    found, stack = set(), [clause]
    while stack:
        tok = stack.pop()
        found.add(tok.i)
        stack.extend(c for c in children(tok) if c.dep_ != "relcl"
                     and not (c.dep_ == "advcl" and _children(c, "nsubj", "nsubjpass")))
    return found


def _contrast_clause(verb: Token) -> bool:
    """A clause with its own subject set against the one it hangs on ("Beijing said ..., while
    Manila accused China ..."): the reporter of the other clause does not report it."""
    return verb.dep_ == "advcl" and bool(_children(verb, "nsubj", "nsubjpass")) \
        and any(m.lower_ in {"while", "whereas", "although", "though"} for m in _children(verb, "mark"))


def _attribute(sentence: Span, frames: list[FrameDraft]) -> None:
    """Reported speech: events in a clause reported by `X said ...` or `according to X`."""
    according = [o for t in tokens_of(sentence) if t.lower_ == "according"
                 for p in _children(t, "prep") for o in _children(p, "pobj")]
    tail = reporting_tail(sentence)
    for frame in frames:
        if tail is not None and frame.predicate.i < tail.head.left_edge.i:
            frame.attributed_to = tail.head  # "..., a rights group charged on Saturday"
            frame.rules.append("syn.reported-speech")
            continue
        tok = frame.predicate
        while tok.dep_ not in {"ccomp", "ROOT"} and tok.head.i != tok.i and not _contrast_clause(tok):
            tok = tok.head
        fragment = next((t for t in [frame.predicate, *frame.predicate.ancestors] if reported_fragment(t)), None)
        if fragment is not None:  # "X resorted to ..., officials said": the other subject reports it
            frame.attributed_to = next(c for c in children(fragment.head.head) if c.dep_ == "nsubj" and c.i > fragment.i)
        elif tok.dep_ == "ccomp":
            speaker = _named_subject(_children(tok.head, "nsubj"))
            if speaker and tok.head.lemma_.lower() in REPORTING_VERBS:
                frame.attributed_to = speaker[0]
        if frame.attributed_to is None and according:
            frame.attributed_to = according[0]
            frame.rules.append("syn.according-to")
        elif frame.attributed_to is not None and "syn.reported-speech" not in frame.rules:
            frame.rules.append("syn.reported-speech")
