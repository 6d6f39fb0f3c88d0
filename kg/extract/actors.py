"""Actor mentions: turn a noun phrase into Actors (persons, states, organisations or concepts)
and resolve them within an article (surnames, misspellings, pronouns, "the Russian side")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from ..model import Actor
from ..vocab import actor_iri
from .gazetteer import Gazetteer, GazetteerEntry

# Nouns that name a position held by a person ("Deputy Foreign Minister", "official").
ROLE_WORDS = {
    "minister", "president", "prime", "deputy", "foreign", "secretary", "general", "chairman",
    "chairwoman", "chair", "official", "spokesman", "spokeswoman", "spokesperson", "envoy",
    "ambassador", "diplomat", "leader", "king", "queen", "prince", "emir", "sheikh", "chancellor",
    "premier", "governor", "commander", "chief", "head", "senior", "vice", "defense", "defence",
    "interior", "finance", "state", "representative", "negotiator", "mediator", "director",
    "senator", "mayor", "judge", "speaker", "member", "former", "ousted", "acting", "top",
    "special", "coordinator", "adviser", "advisor", "ayatollah", "general", "archbishop", "bishop", "pope",
}
# Heads that stand for the state itself when a country word modifies them ("the Russian side").
STATE_HEADS = {"side", "government", "authorities", "authority", "leadership", "administration",
               "regime", "junta", "cabinet", "state", "republic", "kingdom", "ministry", "parliament", "congress", "senate",
               "army", "military", "forces", "troops", "police", "navy", "embassy", "delegation",
               "court", "security", "intelligence"}
# Heads naming people or groups: with a country word they are a group of that country
# ("other Palestinian groups", "Israeli officials"), not the state itself.
GROUP_OF_HEADS = {"representative", "leader", "member", "official", "delegation", "envoy", "diplomat", "minister",
                  "head", "delegate", "negotiator", "spokesman", "spokeswoman", "supporter", "ambassador"}
# Singular nouns that still name many people ("the Albanian population").
COLLECTIVE_HEADS = {"group", "party", "movement", "organization", "organisation", "opposition", "militia",
                    "faction", "population", "community", "minority", "people"}
GROUP_HEADS = {"population", "community", "minority", "resident", "villager", "inhabitant", "immigrant",
               "migrant", "farmer", "fisherman", "pilgrim", "group", "faction", "militant", "fighter", "rebel", "soldier", "citizen", "people",
               "official", "diplomat", "representative", "leader", "protester", "activist",
               "worker", "student", "refugee", "settler", "youth", "prisoner", "hostage", "civilian",
               "national", "supporter", "opposition", "party", "movement", "organization", "organisation",
               "delegate", "negotiator", "member", "minister", "militia"}
# Heads naming people who act apart from (often against) their country's state.
NON_STATE_HEADS = {"rebel", "insurgent", "guerrilla", "militant", "separatist", "protester", "demonstrator",
                   "dissident", "activist", "opposition", "fighter", "militia", "student", "worker"}
# People named by what they are or do, an actor even without a name: "dispersed the demonstrators".
PEOPLE_HEADS = {"protester", "demonstrator", "student", "worker", "refugee", "civilian", "prisoner", "hostage",
                "detainee", "activist", "dissident", "rebel", "insurgent", "militant", "guerrilla", "fighter",
                "settler", "villager", "resident", "journalist", "opponent", "supporter", "immigrant", "migrant",
                "pilgrim", "striker", "rioter", "separatist", "youth", "people", "kidnapper", "captor",
                "hostage-taker", "gunman", "attacker", "bomber", "hijacker", "abductor", "assailant",
                "fundamentalist", "extremist", "islamist", "loyalist", "nationalist", "teacher", "doctor", "nurse",
                "farmer", "miner", "lawyer", "trader", "employee", "soldier", "policeman", "peacekeeper", "diplomat",
                "official", "monk", "priest", "missionary", "tourist", "sailor", "fisherman", "ally"}
# Heads that count the people of their of-phrase: "Hundreds of thousands of people", "dozens of protesters".
CROWD_HEADS = {"hundred", "thousand", "million", "dozen", "score", "ten", "tens", "crowd", "throng"}
# Installations named like organisations ("the Esfahan Uranium Conversion Facility"): places, not actors.
FACILITY_HEADS = {"facility", "plant", "site", "reactor", "base", "airport", "port", "complex", "mine", "refinery",
                  "facilities", "plants", "sites", "reactors", "bases", "airports", "ports", "mines", "refineries"}
# Parts of an organisation that act for it: "the UNITA militarist wing".
ORG_PART_HEADS = {"wing", "faction", "branch", "arm", "leadership", "camp", "bloc", "command", "delegation"}
DEMONSTRATIVES = {"this", "that", "these", "those", "which", "who", "whom", "what", "there"}
# Heads that name one person by office ("Montenegro's prime minister", "a French minister").
PERSON_HEADS = {"minister", "president", "premier", "king", "queen", "prince", "emir", "chancellor",
                "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador", "diplomat", "official",
                "leader", "chief", "commander", "governor", "secretary", "chairman", "negotiator", "mediator",
                "adviser", "advisor", "director", "senator", "mayor", "judge", "speaker", "representative",
                "delegate", "head", "activist", "officer", "counterpart"}
# Heads that name people acting together or an acting body, with or without a country.
AGENT_HEADS = PERSON_HEADS | {"group", "faction", "militant", "fighter", "rebel", "soldier", "troop", "force",
                              "police", "army", "military", "junta", "regime", "guerrilla", "demonstrator", "protester", "hacker",
                              "settler", "elder", "insurgent", "militia", "committee", "council", "court",
                              "parliament", "coalition", "union", "association", "agency", "organization",
                              "organisation", "party", "movement", "government", "authority", "administration",
                              "doctor", "worker", "student", "activist", "member", "supporter", "official",
                              "leader", "delegation", "mission", "ministry", "cabinet", "board", "panel",
                              "tribunal", "assembly", "senate", "congress", "opposition", "bloc", "alliance"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
GROUP_PRONOUNS = {"they", "them", "their", "it", "its"}
PLURAL_PRONOUNS = {"they", "them", "their"}
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}


@dataclass
class PersonRecord:
    name: str
    role: str | None = None
    country: str | None = None
    affiliation: str | None = None


@dataclass
class ArticleActors:
    """Per-article memory used to resolve later mentions to earlier ones."""

    gazetteer: Gazetteer
    persons: list[PersonRecord] = field(default_factory=list)
    last_person: Actor | None = None
    last_group: Actor | None = None
    last_state: Actor | None = None
    last_organisation: Actor | None = None
    last_people: Actor | None = None  # the latest group of people, subject or not ("they", "them")

    # ---- persons -------------------------------------------------------------------
    def person(self, name: str, role: str | None, country: str | None, affiliation: str | None) -> PersonRecord:
        """Register or find a person by full name, surname or a near-miss spelling of the surname."""
        words = name.split()
        title = []
        while len(words) > 2 and words[0].lower() in ROLE_WORDS:  # "Archbishop Desmond Tutu"
            title.append(words.pop(0))
        name = " ".join(words)
        role = role or (" ".join(title) if title else None)
        surname = name.split()[-1]
        for rec in self.persons:
            rec_surname = rec.name.split()[-1]
            same = rec.name == name or surname == rec_surname or _close(surname, rec_surname)
            if same and (len(name.split()) == 1 or rec.name.split()[0] == name.split()[0] or len(rec.name.split()) == 1):
                if len(name.split()) > len(rec.name.split()):
                    rec.name = name
                rec.role = rec.role or role
                rec.country = rec.country or country
                rec.affiliation = rec.affiliation or affiliation
                return rec
        rec = PersonRecord(name, role, country, affiliation)
        self.persons.append(rec)
        return rec

    def note_mentions(self, sentence: Span, subjects: list[Actor]) -> None:
        """After a sentence: states and organisations it names become antecedents for "the
        country" / "the bloc", unless one of its subjects already was one of that kind."""
        kinds = {"State" if a.type == "State" else "Organisation" for a in subjects if a.type not in {None, "Person", "Group"}}
        for ent in ents_in(sentence):
            entry = self.gazetteer.lookup(ent.text) if ent.label_ in {"ORG", "GPE", "NORP"} else None
            if entry is None:
                continue
            if entry.type == "State" and "State" not in kinds:
                self.last_state = _from_entry(ent.text, entry)
            elif entry.type not in {"State", "Person"} and "Organisation" not in kinds:
                self.last_organisation = _from_entry(ent.text, entry)

    def remember_people(self, actor: Actor | None) -> None:
        """A group of people named anywhere in a clause: "they" and "them" may refer to it."""
        if actor is not None and actor.type == "Group":
            self.last_people = actor

    def remember(self, actor: Actor) -> None:
        self.remember_people(actor)
        if actor.type == "Person":
            self.last_person = actor
        elif actor.type is not None:
            self.last_group = actor
            if actor.type == "State":
                self.last_state = actor
            elif actor.type != "Group":
                self.last_organisation = actor


def _close(a: str, b: str) -> bool:
    """Surnames one edit apart (typos such as Bogsanov/Bogdanov), for names of 6+ letters."""
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1 or a[0].lower() != b[0].lower():
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def noun_phrase(token: Token) -> Span:
    """The phrase headed by `token`, without coordinated phrases, relative clauses, comma
    appositions or names listed after a comma (those are phrases of their own)."""
    known = token.doc.user_data.setdefault("kg_noun_phrases", {})  # the parse never changes
    if token.i not in known:
        known[token.i] = _noun_phrase(token)
    return known[token.i]


def _noun_phrase(token: Token) -> Span:
    doc = token.doc
    excluded: set[int] = set()
    tail = reporting_tail(token.sent)
    if tail is not None and tail.head.i != token.i:  # "... refugees, a human rights group protested": not the refugees'
        excluded.update(t.i for t in tail.head.subtree)
    for child in token.subtree:
        comma_before = child.left_edge.i > 0 and doc[child.left_edge.i - 1].text == ","
        direct = child.head.i == token.i and child.i != token.i
        if (direct and ((child.dep_ in {"conj", "cc", "relcl", "acl", "punct", "advcl", "case"} and child.tag_ != "HYPH")
                        or (child.dep_ == "appos" and comma_before))) \
                or (child.i != token.i and child.dep_ == "appos" and comma_before and child.pos_ == "PROPN") \
                or (child.i != token.i and fragment_verb(child)) \
                or (direct and _gerund_phrase(child)):
            excluded.update(t.i for t in child.subtree)
    kept = {t.i for t in token.subtree} - excluded
    start = end = token.i  # the unbroken stretch of kept tokens around the head
    while start - 1 in kept:
        start -= 1
    while end + 1 in kept:
        end += 1
    end += 1
    while start < end - 1 and doc[start].pos_ in {"PUNCT", "CCONJ"}:
        start += 1
    while end - 1 > start and doc[end - 1].pos_ in {"PUNCT", "CCONJ"} and not _closes_bracket(doc[start:end]):
        end -= 1
    if end < len(doc) and doc[end].text == ")" and doc[start:end].text.count("(") > doc[start:end].text.count(")"):
        end += 1  # "the Revolutionary United Front (RUF)": keep the acronym's closing bracket
    elif end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].pos_ == "PROPN" \
            and start <= doc[end + 1].head.i < end:
        end += 3  # "the Democratic Unionist Party (DUP)": the acronym is part of the name as written
    return doc[start:end]


def _gerund_phrase(prep: Token) -> bool:
    """A preposition introducing a gerund clause ("of attacking a border post")."""
    return prep.dep_ == "prep" and any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in prep.children)


def fragment_verb(verb: Token) -> bool:
    """Whether a verb the parser attached to a noun (`acl`) is really the main verb of a sentence
    it read as one noun phrase ("Palestinian youths resorted to ..."): a past-tense verb (or one
    coordinated with one), or a participle on the root noun of a sentence without a finite verb;
    or of a reported clause whose subject the parser gave to the reporting verb ("Palestinian
    youths resorted to ..., officials said")."""
    if verb.dep_ != "acl":
        return False
    if reported_fragment(verb):
        return True
    if verb.sent.root.pos_ not in {"NOUN", "PROPN"}:
        return False
    if verb.tag_ == "VBD" or any(c.dep_ == "conj" and c.tag_ == "VBD" for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.head.i == verb.sent.root.i \
        and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children) \
        and not any(t.tag_ in {"VBD", "VBZ", "VBP"} for t in verb.sent)


# Verbs of a closing report: "X did Y, a rights group charged on Saturday."
REPORT_TAIL_VERBS = {"say", "charge", "protest", "claim", "allege", "report", "add", "complain", "warn", "insist",
                     "state", "announce", "confirm", "note", "write", "accuse"}


def reporting_tail(sentence: Span) -> Token | None:
    """The verb of a report closing a sentence that the parser hung on a noun as a participle
    ("Croatia is failing to uphold their rights, a human rights group protested here Wednesday"):
    a reporting verb, with no object, on a noun after a comma, reaching the end of the sentence."""
    doc = sentence.doc
    for verb in sentence:
        if verb.dep_ != "acl" or verb.tag_ not in {"VBD", "VBN"} or verb.lemma_.lower() not in REPORT_TAIL_VERBS \
                or any(c.dep_ in {"dobj", "ccomp", "auxpass"} for c in verb.children) or verb.i < verb.head.i:
            continue
        left = verb.head.left_edge.i
        if left > sentence.start + 2 and doc[left - 1].text == "," \
                and all(t.is_punct for t in doc[verb.right_edge.i + 1: sentence.end]):
            return verb
    return None


def reported_fragment(verb: Token) -> bool:
    """A past-tense `acl` on a subject of a verb that has another subject after it: the parser
    read "X resorted to ..., officials said" as "X ... officials said"."""
    noun = verb.head
    return verb.dep_ == "acl" and verb.tag_ in {"VBD", "VBN"} and verb.i == noun.i + 1 \
        and noun.dep_ == "nsubj" and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children) \
        and any(c.dep_ == "nsubj" and c.i > verb.i for c in noun.head.children)


def _closes_bracket(span: Span) -> bool:
    """Whether the span ends with a ")" that closes a "(" inside it."""
    return span[-1].text == ")" and span.text.count("(") >= span.text.count(")")


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:\"'\u201c\u201d\u2018\u2019")
    text = re.sub(r"\s*['\u2019]s$", "", text)  # "Saddam Hussein's": the recogniser keeps the possessive
    if text.count("(") > text.count(")"):
        text += ")"  # the recogniser's entity ends before the bracket it opened
    return re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)


ORG_SUFFIXES = {"union", "bureau", "front", "party", "council", "committee", "movement", "organization",
                "organisation", "authority", "ministry", "office", "agency", "army", "forces", "group",
                "government", "assembly", "league", "association", "federation", "commission", "brigades"}


def person_spans(span: Span) -> list[Span]:
    """PERSON entities in a span, plus names the recogniser glued onto an organisation
    ("the Palestinian Democratic Union Saleh Rafat" -> "Saleh Rafat")."""
    found = []
    for ent in ents_in(span):
        if ent.label_ == "PERSON":
            found.append(ent)
        elif ent.label_ == "ORG":
            words = list(ent)
            for i in range(len(words) - 2, 0, -1):
                if words[i - 1].lower_ in ORG_SUFFIXES:
                    tail = words[i:]
                    if 2 <= len(tail) <= 3 and all(t.pos_ == "PROPN" and t.is_title for t in tail):
                        found.append(ent.doc[tail[0].i: tail[-1].i + 1])
                    break
    return found


def ents_in(span: Span) -> list[Span]:
    """The named entities inside a span (the Doc's list is built once: `Doc.ents` makes new
    Span objects on every access)."""
    doc = span.doc
    every = doc.user_data.get("kg_ents")
    if every is None:
        every = doc.user_data["kg_ents"] = tuple(doc.ents)
    return [e for e in every if e.start >= span.start and e.end <= span.end]


def _entity_of(token: Token):
    if not token.ent_type_:
        return None
    return next((e for e in ents_in(token.doc[:]) if e.start <= token.i < e.end), None)


def _person_details(span: Span, name_start: int, actors: ArticleActors) -> tuple[str | None, str | None, str | None]:
    """Role, country and affiliation written before a person's name in its phrase:
    "Russia's Deputy Foreign Minister X", "senior PFLP official X", "Deputy Chairman of the Hamas
    Political Bureau X" (the role is the title just before the name, or the noun the name's
    "of"-phrase hangs on)."""
    gaz = actors.gazetteer
    doc = span.doc
    role_start = name_start
    while role_start > span.start and doc[role_start - 1].lower_ in ROLE_WORDS \
            and not _is_state_word(doc[role_start - 1], gaz):
        role_start -= 1
    role = doc[role_start:name_start].text if role_start < name_start else None
    if role is None:
        name_root = _name_root(doc, name_start)
        of = name_root.head
        if name_root.dep_ == "pobj" and of.lower_ == "of" and of.head.lower_ in ROLE_WORDS:
            title = of.head
            words = [t for t in title.lefts if t.dep_ in {"compound", "amod"} and t.lower_ in ROLE_WORDS]
            role = " ".join([t.text for t in words] + [title.text])
            span = doc[min(span.start, title.left_edge.i): max(span.end, name_start)]
    country = affiliation = None
    for ent in ents_in(span):
        if ent.end > name_start or ent.label_ not in {"ORG", "GPE", "NORP"}:
            continue
        entry = gaz.lookup(ent.text)
        if entry:
            country = country or entry.country
            if entry.type != "State":
                affiliation = affiliation or entry.name
    for tok in span:  # single words: "Hamas Political Bureau", "Russian President"
        if tok.i >= name_start:
            break
        entry = gaz.lookup(tok.text) if tok.pos_ in {"PROPN", "ADJ", "NOUN"} else None
        if entry is not None:
            country = country or entry.country
            if entry.type != "State":
                affiliation = affiliation or entry.name
    if role:
        role = role[0].upper() + role[1:]
    return role, country, affiliation


def _is_state_word(tok: Token, gaz: Gazetteer) -> bool:
    entry = gaz.lookup(tok.text) if tok.pos_ in {"PROPN", "ADJ", "NOUN"} else None
    return entry is not None and entry.type == "State"


def _name_root(doc, name_start: int) -> Token:
    """The syntactic head of the name that starts at `name_start`."""
    tok = doc[name_start]
    while tok.dep_ in {"compound", "flat"} and tok.head.i > tok.i:
        tok = tok.head
    return tok


def _from_entry(text: str, entry: GazetteerEntry) -> Actor:
    return Actor(text=text, name=entry.name, type=entry.type, country=entry.country,
                 iri=actor_iri(entry.name, entry.type))


def resolve_subject(token: Token, actors: ArticleActors) -> Actor:
    """Resolve a subject: a phrase that names no actor but carries a country word
    ("Doctors from two American aid groups") is a group of that country."""
    actor = resolve_phrase(token, actors)
    if actor.is_actor or token.pos_ not in {"NOUN", "PROPN"}:
        return actor
    kind = "Group" if token.tag_ in {"NNS", "NNPS"} else "Person"
    country = _country_word(token, noun_phrase(token), actors.gazetteer)
    if country is not None:
        return Actor(text=actor.text, name=_clean(actor.text), type=kind, country=country,
                     iri=actor_iri(_clean(actor.text), kind))
    if token.lemma_.lower() in AGENT_HEADS:  # "Leaders of the Azadliq coalition", "demonstrators"
        if kind == "Person" and token.lemma_.lower() not in PERSON_HEADS:
            kind = "Group"
        return Actor(text=actor.text, name=_clean(actor.text), type=kind, iri=actor_iri(_clean(actor.text), kind))
    return actor


def _people_phrase(token: Token, span: Span) -> Span:
    """The words that name a group of people: the head, its modifiers and the plain place or
    origin phrases after it, without phrases that carry a clause ("nationals for assets they lost")."""
    end = token.i + 1
    for prep in (c for c in token.rights if c.i < span.end):
        if prep.dep_ != "prep" or prep.lower_ not in {"of", "from", "in", "at"} \
                or any(t.dep_ in {"relcl", "acl", "advcl", "ccomp", "pcomp"} and t.i < span.end for t in prep.subtree):
            break
        end = min(prep.right_edge.i + 1, span.end)
    return span.doc[span.start:end]


def _country_word(token: Token, span: Span, gaz: Gazetteer) -> str | None:
    """The country of the first word in a phrase that names one, other than its head
    ("Doctors from two American aid groups" -> USA)."""
    for tok in span:
        entry = gaz.lookup(tok.text) if tok.pos_ in {"ADJ", "PROPN", "NOUN"} and tok.i != token.i else None
        if entry is not None:
            return entry.country
    return None


def resolve_phrase(token: Token, actors: ArticleActors, span: Span | None = None) -> Actor:
    """Resolve the phrase headed by `token` to an actor, or to a concept when it names none.
    The actor's `text` is the phrase as written (articles included), its name is cleaned."""
    given = span is not None
    span = span if span is not None else noun_phrase(token)
    actor = _resolve_phrase(token, actors, span)
    if not given and not actor.is_actor and actor.text == (_clean(span.text) or token.text):
        span = _with_content_clauses(token, span)  # "a call for its forces to be deployed in X"
        actor = replace(actor, text=_clean(span.text), name=_clean(span.text), iri=actor_iri(_clean(span.text), None))
    written = span.text.strip(" ,;:\"'\u201c\u201d\u2018\u2019")
    if written and actor.text == (_clean(span.text) or token.text):
        return replace(actor, text=written)
    return actor


def _with_content_clauses(token: Token, span: Span) -> Span:
    """A concept's phrase with the infinitive or participle clauses that say what it is:
    "a plan to build a dam", "a call for its forces to be deployed in X", "the decision of
    sending troops". Relative clauses proper ("who ...", "that ...") stay out."""
    end = span.end
    tail = reporting_tail(token.sent)
    for tok in span:
        for clause in tok.children:
            if tail is not None and clause.i == tail.i:
                continue
            reach = end
            while reach < len(span.doc) and span.doc[reach].tag_ in {"''", "``"}:
                reach += 1  # 'a "special law" recognizing ...'
            if _gerund_phrase(clause) and clause.i == reach:  # "the charge of spying"
                end = clause.right_edge.i + 1
                continue
            if clause.dep_ not in {"acl", "relcl"} or clause.i < end or clause.left_edge.i > reach \
                    or fragment_verb(clause):
                continue
            infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in clause.children)
            participle = clause.dep_ == "acl" and clause.tag_ in {"VBG", "VBN"}
            if infinitive or participle:
                end = clause.right_edge.i + 1
    while end > span.end and span.doc[end - 1].pos_ == "PUNCT":
        end -= 1
    return span.doc[span.start:end]


def _resolve_phrase(token: Token, actors: ArticleActors, span: Span) -> Actor:
    text = _clean(span.text) or token.text
    gaz = actors.gazetteer
    lower = token.lower_

    if lower in DEMONSTRATIVES:
        return Actor(text=token.text, name=lower, iri=actor_iri(lower, None))
    if token.pos_ == "PRON":
        if lower in PERSON_PRONOUNS and actors.last_person is not None:
            return replace(actors.last_person, text=token.text)
        if lower in PLURAL_PRONOUNS and actors.last_people is not None:
            return replace(actors.last_people, text=token.text)  # "expelled them": people, not a state
        if lower in GROUP_PRONOUNS and actors.last_group is not None:
            return replace(actors.last_group, text=token.text)
        return Actor(text=token.text, name=lower, iri=actor_iri(lower, None))

    if token.lemma_.lower() in CROWD_HEADS:
        members = [o for p in token.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
        member = resolve_subject(members[0], actors) if members else None
        if member is not None and member.is_actor:
            return Actor(text=text, name=text, type="Group", country=member.country, iri=actor_iri(text, "Group"))

    # A person named in the phrase (the head itself, or a name the head is a title of).
    persons = [p for p in person_spans(span) if gaz.lookup(p.text) is None]  # "Kyiv" tagged PERSON is still Kyiv
    head_ent = _entity_of(token)
    if head_ent is not None and head_ent.label_ == "PERSON" and gaz.lookup(head_ent.text) is None:
        persons = [head_ent]
    if not persons and token.pos_ == "PROPN" and head_ent is None and gaz.lookup(token.text) is None:
        # a capitalised surname spaCy did not tag (e.g. "Bogsanov's")
        known = [p for p in actors.persons if token.text == p.name.split()[-1] or _close(token.text, p.name.split()[-1])]
        if known:
            rec = known[0]
            return _person_actor(text, rec)
    if persons and token.pos_ == "NOUN" and head_ent is None and token.lemma_.lower() not in ROLE_WORDS | PERSON_HEADS:
        persons = []  # "supporters of President X" are not X
    title = _title_apposition(token) if gaz.lookup(text) is None else None
    if title is not None and not persons:  # "Kenzo Oshima, the UN relief coordinator,": a person, whatever the recogniser said
        rec = actors.person(_clean(span.text), *_office(title, actors))
        return _person_actor(text, rec)
    if persons:
        ent = persons[-1] if head_ent is None else persons[0]
        role, country, affiliation = _person_details(span, ent.start, actors)
        if role is None and title is not None:
            role, country, affiliation = _office(title, actors)
        rec = actors.person(_clean(ent.text), role, country, affiliation)
        return _person_actor(text, rec)

    entry = gaz.lookup(text)
    if entry is not None:
        return _from_entry(text, entry)
    appositions = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > token.i]
    for appos in appositions if token.pos_ != "PROPN" else []:
        named = resolve_phrase(appos, actors)  # "the rebel Revolutionary United Front": the name says who
        if named.is_actor:
            return replace(named, text=text)
    antecedent = _definite_antecedent(token, actors) or _own_state(token, actors)
    if antecedent is not None:
        return replace(antecedent, text=text)
    if head_ent is not None and (entry := gaz.lookup(head_ent.text)) is not None:
        return _from_entry(text, entry)
    head_lemma = token.lemma_.lower()
    if head_ent is not None and head_ent.label_ == "ORG" and token.pos_ == "PROPN" and len(head_ent) > 1 \
            and head_lemma not in STATE_HEADS | FACILITY_HEADS:
        # "the Nigerian Union of Teachers": an organisation named after its country, not the state
        name = _clean(head_ent.text)
        country = next((e.country for t in head_ent if t.i != token.i and (e := gaz.lookup(t.text)) is not None
                        and e.type == "State"), None)
        return Actor(text=text, name=name, type="Group", country=country, iri=actor_iri(name, "Group"))
    # Words that modify the head: "Hamas atrocities", "Israel's response", "the Russian side".
    # the owner first ("Sweden's NATO membership" is Sweden's), then the name closest to the head
    order = {"poss": 0, "compound": 1, "nmod": 2, "amod": 3}
    modifiers = sorted((c for c in token.children if c.dep_ in order), key=lambda c: order[c.dep_])
    if head_lemma in GROUP_OF_HEADS:
        modifiers += [o for p in token.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    plain = _clean(_people_phrase(token, span).text)  # a group's name without clauses
    for mod in modifiers:
        mod_ent = _entity_of(mod)
        entry = gaz.lookup(mod_ent.text) if mod_ent is not None else None
        entry = entry or gaz.lookup(mod.text)
        if entry is None and head_lemma in ORG_PART_HEADS and mod_ent is not None and mod_ent.label_ == "ORG":
            name = _clean(mod_ent.text)  # "the UNITA militarist wing" acts for UNITA
            return Actor(text=text, name=name, type="Group", iri=actor_iri(name, "Group"))
        if entry is None:
            continue
        demonym = mod.dep_ == "amod" or (mod_ent is not None and mod_ent.label_ == "NORP") or gaz.is_demonym(mod.text)
        if head_lemma in PERSON_HEADS and head_lemma not in STATE_HEADS and entry.type == "State":
            kind = "Group" if token.tag_ in {"NNS", "NNPS"} else "Person"
            return Actor(text=text, name=plain, type=kind, country=entry.country, role=token.lemma_.lower(),
                         iri=actor_iri(plain, kind))
        if head_lemma in NON_STATE_HEADS and entry.type == "State":
            # "Ivory Coast rebels", "Syrian opposition": people of the country acting against its state
            kind = "Group" if token.tag_ in {"NNS", "NNPS"} or head_lemma in COLLECTIVE_HEADS else "Person"
            return Actor(text=text, name=plain, type=kind, country=entry.country, iri=actor_iri(plain, kind))
        if head_lemma in STATE_HEADS or not demonym:
            return _from_entry(text, entry)
        if head_lemma in GROUP_HEADS or head_lemma in ROLE_WORDS or token.tag_ == "NNS":
            kind = "Group" if token.tag_ in {"NNS", "NNPS"} or head_lemma in COLLECTIVE_HEADS else "Person"
            return Actor(text=text, name=plain, type=kind, country=entry.country, iri=actor_iri(plain, kind))
        return _from_entry(text, entry)
    if token.pos_ == "PROPN" and head_ent is None and token.is_title and not any(c.dep_ == "det" for c in token.children):
        # a capitalised name the entity recogniser missed ("talks with Scholz")
        rec = actors.person(_clean(span.text), None, None, None)
        return _person_actor(text, rec)
    if head_ent is not None and head_ent.label_ == "ORG" and head_lemma not in FACILITY_HEADS:
        name = _clean(head_ent.text)
        return Actor(text=text, name=name, type="Group", iri=actor_iri(name, "Group"))
    gerund = any(c.dep_ in {"amod", "compound"} and c.lower_.endswith("ing") and c.i == span.start for c in token.lefts)
    if head_lemma in PEOPLE_HEADS and token.tag_ == "NNS" and not gerund:  # "freeing hostages" is an act
        name = _clean(_people_phrase(token, span).text)
        return Actor(text=text, name=name, type="Group", country=_country_word(token, span, gaz), iri=actor_iri(name, "Group"))
    name = text
    return Actor(text=text, name=name, type=None, iri=actor_iri(name, None))


def _title_apposition(token: Token) -> Token | None:
    """The office in a comma apposition to a name ("X, the foreign minister,"), if any."""
    if token.pos_ != "PROPN":
        return None
    for child in token.children:
        if child.dep_ == "appos" and child.i > token.i and token.doc[child.left_edge.i - 1].text == "," \
                and child.lemma_.lower() in PERSON_HEADS | {"coordinator"}:
            return child
    return None


def _office(title: Token, actors: ArticleActors) -> tuple[str | None, str | None, str | None]:
    """Role, country and affiliation from an apposition such as "the UN relief coordinator"
    or "Russia's deputy foreign minister": the longest name the gazetteer knows is the
    state or organisation, the rest is the role."""
    words = [t for t in title.doc[title.left_edge.i: title.right_edge.i + 1] if t.dep_ not in {"det", "case"}]
    best = None
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            entry = actors.gazetteer.lookup(" ".join(t.text for t in words[i:j]))
            if entry is not None and (best is None or j - i > best[1] - best[0]):
                best = (i, j, entry)
                break
    if best is None:
        return _clean(" ".join(t.text for t in words)) or None, None, None
    i, j, entry = best
    role = _clean(" ".join(t.text for t in words[:i] + words[j:])) or None
    return role, entry.country, entry.name if entry.type != "State" else None


# "the country" is the state last named; "the bloc", "the group" the organisation last named.
STATE_ANAPHORS = {"country", "nation", "kingdom", "republic"}
ORGANISATION_ANAPHORS = {"bloc", "alliance", "organization", "organisation", "group", "movement", "militia",
                         "union", "body", "coalition"}


def _own_state(token: Token, actors: ArticleActors) -> Actor | None:
    """"his government", "their side": the state of the one the possessive pronoun refers to."""
    owners = [c for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"]
    if token.lemma_.lower() not in STATE_HEADS or not owners:
        return None
    owner = _resolve_phrase(owners[0], actors, owners[0].doc[owners[0].i: owners[0].i + 1])
    if owner.type == "State":
        return owner
    if owner.type == "Person" and (entry := actors.gazetteer.state(owner.country)) is not None:
        return _from_entry(entry.name, entry)
    return None


def _definite_antecedent(token: Token, actors: ArticleActors) -> Actor | None:
    """The actor a bare definite description refers back to ("the bloc" -> the EU), if any."""
    children = list(token.children)
    if not token.is_lower or token.tag_ in {"NNS", "NNPS"} or len(children) != 1 or children[0].lower_ != "the":
        return None
    lemma = token.lemma_.lower()
    if lemma in STATE_ANAPHORS:
        return actors.last_state
    if lemma in ORGANISATION_ANAPHORS:
        return actors.last_organisation
    return None


def _person_actor(text: str, rec: PersonRecord) -> Actor:
    return Actor(text=text, name=rec.name, type="Person", country=rec.country, role=rec.role,
                 affiliation=rec.affiliation, iri=actor_iri(rec.name, "Person"))


def register_persons(sentence: Span, actors: ArticleActors) -> None:
    """Record every person named in a sentence (with title and country) before its events are read."""
    for ent in person_spans(sentence):
        if actors.gazetteer.lookup(ent.text) is not None:
            continue
        phrase = noun_phrase(ent.root)
        role, country, affiliation = _person_details(phrase, ent.start, actors)
        actors.person(_clean(ent.text), role, country, affiliation)
