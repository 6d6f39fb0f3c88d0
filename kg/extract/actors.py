"""Actor mentions: turn a noun phrase into Actors (persons, states, organisations or concepts)
and resolve them within an article (surnames, misspellings, pronouns, "the Russian side")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from ..gazetteer import PERSON_TITLES, ActorKB, Gazetteer, GazetteerEntry, KBEntry, PersonRole, actor_code, load_actor_kb
from ..model import Actor
from ..vocab import actor_iri
from .doc_cache import (children, doc_cache, entity_of, ents_in, memo, sentence_of, span_text, subtree, token_at,
                        tokens_of)
from .parse_repairs import fragment_verb, reported_fragment, reporting_tail
from .words import word_list, word_values

# Nouns that name a position held by a person ("Deputy Foreign Minister", "official").
ROLE_WORDS = word_list("role_words")
# Words of a title that are no role on their own: "Secretary of State", "Crown Prince", "Vice Admiral",
# "Minister of Foreign Affairs", "Chief of the General Staff", "National Security Adviser".
OFFICE_WORDS = word_list("office_words")
TITLE_WORDS = ROLE_WORDS | OFFICE_WORDS
# Words that join the parts of a title: "Secretary of State", "Minister for Europe and the Americas".
TITLE_JOINERS = {"of", "for", "the", "and", "on"}
# Heads that stand for the state itself when a country word modifies them ("the Russian side").
STATE_HEADS = word_list("state_heads")
# Heads naming people or groups: with a country word they are a group of that country
# ("other Palestinian groups", "Israeli officials"), not the state itself.
GROUP_OF_HEADS = word_list("group_of_heads")
# Singular nouns that still name many people ("the Albanian population").
COLLECTIVE_HEADS = word_list("collective_heads")
GROUP_HEADS = word_list("group_heads")
# Heads naming people who act apart from (often against) their country's state.
NON_STATE_HEADS = word_list("non_state_heads")
# People named by what they are or do, an actor even without a name: "dispersed the demonstrators".
PEOPLE_HEADS = word_list("people_heads")
# Heads that count the people of their of-phrase: "Hundreds of thousands of people", "dozens of protesters".
CROWD_HEADS = word_list("crowd_heads")
# Offices of one country that need no country word ("the Pope"): word -> ISO alpha-3.
SOLE_OFFICES = word_values("sole_offices")
# Verbs whose of-phrase says what someone is accused or cleared of: "accused X of abuses".
CHARGE_OF_VERBS = word_list("charge_of_verbs")
# Installations named like organisations ("the Esfahan Uranium Conversion Facility"): places, not actors.
FACILITY_HEADS = word_list("facility_heads")
STATE_OR_FACILITY_HEADS = STATE_HEADS | FACILITY_HEADS
# Parts of an organisation that act for it: "the UNITA militarist wing".
ORG_PART_HEADS = word_list("org_part_heads")
DEMONSTRATIVES = {"this", "that", "these", "those", "which", "who", "whom", "what", "there"}
# Heads that name one person by office ("Montenegro's prime minister", "a French minister").
PERSON_HEADS = word_list("person_heads")
# Heads that name people acting together or an acting body, with or without a country.
AGENT_HEADS = PERSON_HEADS | word_list("agent_heads")
PERSON_WORDS = ROLE_WORDS | PERSON_HEADS
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
    sector: str | None = None  # CAMEO role codes from the knowledge base ("GOV", "GOVMIL")
    known: bool = False  # found in the knowledge base of political actors
    code: str | None = None  # the actor code a user dictionary gave ("IGOUNO")


_UNKNOWN = object()


@dataclass
class ArticleActors:
    """Per-article memory used to resolve later mentions to earlier ones."""

    gazetteer: Gazetteer
    date: str | None = None  # the article's date (ISO): persons' roles resolve as of it
    persons: list[PersonRecord] = field(default_factory=list)
    last_person: Actor | None = None
    other_person: Actor | None = None  # the latest person acted on who is not `last_person` ("met X. He thanked him")
    last_group: Actor | None = None
    last_state: Actor | None = None
    last_organisation: Actor | None = None
    last_people: Actor | None = None  # the latest group of people, subject or not ("they", "them")
    last_pair: tuple[Actor, Actor] | None = None  # the latest two parties of one event ("the two sides")
    home: str | None = None  # the country of the article's dateline, where located agents act by default
    # the latest state or organisation a clause acted on, with the start of its sentence: an object
    # pronoun later in that sentence refers to it ("thanked the EU and urged it to ...")
    last_object: tuple[int, Actor] | None = None
    _found: dict[str, GazetteerEntry | None] = field(default_factory=dict, repr=False)
    _kb: ActorKB | None = field(default=None, repr=False)

    @property
    def kb(self) -> ActorKB:
        """The knowledge base of political actors (persons, institutions, agents, places)."""
        if self._kb is None:
            own = getattr(self.gazetteer, "actor_kb", None)  # a user dictionary's persons added
            self._kb = own() if own is not None else load_actor_kb()
        return self._kb

    def known_place(self, text: str) -> bool:
        """Whether `text` names a territory, region or city of the knowledge base (never a person)."""
        key = ("place", text)
        found = self._found.get(key, _UNKNOWN)  # type: ignore[arg-type]
        if found is _UNKNOWN:
            found = self._found[key] = self.kb.place(text)  # type: ignore[index]
        return found is not None

    def may_be_person(self, text: str, institutions: bool = True) -> bool:
        """Whether a name the recogniser tagged as a person may be one: not a state, organisation,
        place (or institution) that the gazetteer or knowledge base knows, whatever the label."""
        entry = self.lookup(text)
        if entry is not None:
            return entry.type == "Person"
        return not self.known_place(text) and not (institutions and self.kb.institution(text) is not None)

    def lookup(self, text: str) -> GazetteerEntry | None:
        """`gazetteer.lookup`, remembered for the article: its names are looked up again and again."""
        found = self._found.get(text, _UNKNOWN)
        if found is _UNKNOWN:
            found = self.gazetteer.lookup(text)
            if found is not None and found.dated:
                found = found.on(self.date)  # a user dictionary's code in force at the article's date
            self._found[text] = found
        return found

    # ---- persons -------------------------------------------------------------------
    def person(self, name: str, role: str | None, country: str | None, affiliation: str | None) -> PersonRecord:
        """Register or find a person by full name, surname or a near-miss spelling of the surname."""
        words = name.split()
        title = []
        while len(words) > 2 and words[0].lower() in TITLE_WORDS:  # "Archbishop Desmond Tutu"
            title.append(words.pop(0))
        name = " ".join(words)
        role = role or (" ".join(title) if title else None)
        entry = self.lookup(name)
        if entry is not None and entry.type == "Person":  # a person of the user's gazetteer
            name, country = entry.name, entry.country or country
        surname = name.split()[-1]
        for rec in self.persons:
            rec_surname = rec.name.split()[-1]
            same = rec.name == name or surname == rec_surname or _close(surname, rec_surname)
            if same and (len(name.split()) == 1 or rec.name.split()[0] == name.split()[0] or len(rec.name.split()) == 1):
                if len(name.split()) > len(rec.name.split()) and not rec.known:
                    rec.name = name
                    known = self.kb.person(name, self.date)  # "Khan" first, "Imran Khan" later
                    if known is not None and (country is None or known.country in {None, country}):
                        rec.name, rec.sector, rec.known, rec.code = known.name, known.sector, True, known.code
                        rec.country = rec.country or known.country
                        rec.affiliation = rec.affiliation or known.organisation
                        rec.role = rec.role or role or known.role
                rec.role = rec.role or role
                rec.country = rec.country or country
                rec.affiliation = rec.affiliation or affiliation
                return rec
        known = self.kb.person(name, self.date)
        if known is not None and known.country and country and known.country != country \
                and _fold_name(name) != _fold_name(known.name):
            known = None  # "Pakistani official Khan" is not the Khan of the knowledge base
        if known is not None and self._retired(known, role):
            # out of office at the article's date, or "former": an elite (CAMEO ELI) of their country
            home = known.country or next((r.country for r in self.kb.roles_of(known.name) if r.country), None)
            known = replace(known, country=home, sector="ELI", code=None,
                            role=role or (f"Former {known.role}" if known.role else None))
        if known is not None:
            if role and known.role and role.casefold() in known.role.casefold():
                role = known.role  # "General" read from "Secretary-General", "Prince" from "Crown Prince"
            for rec in self.persons:
                if rec.name == known.name:
                    rec.role = rec.role or role or known.role
                    return rec
            rec = PersonRecord(known.name, role or known.role, known.country or country,
                               affiliation or known.organisation, known.sector, known=True, code=known.code)
            self.persons.append(rec)
            return rec
        rec = PersonRecord(name, role, country, affiliation)
        self.persons.append(rec)
        return rec

    def _retired(self, known: PersonRole, role: str | None) -> bool:
        """Whether a known person acts as a former office-holder: the text says "former", or every
        role ended before the article's date."""
        if role and role.split()[0].casefold() in FORMER_WORDS:
            return True
        return bool(self.date and known.end and not known.active(self.date)
                    and known.end[: len(self.date)] < self.date[: len(known.end)])

    def note_mentions(self, sentence: Span, subjects: list[Actor], objects: list[Actor] = ()) -> None:
        """After a sentence: states and organisations it names become antecedents for "the
        country" / "the bloc", unless one of its subjects already was one of that kind; an
        organisation it acted on counts when no name the gazetteer knows did ("blamed the attack
        on the OLA. The group denied ...")."""
        kinds = {"State" if a.type == "State" else "Organisation" for a in subjects if a.type not in {None, "Person", "Group"}}
        named_organisation = False
        for ent in ents_in(sentence):
            entry = self.lookup(span_text(ent)) if ent.label_ in {"ORG", "GPE", "NORP"} else None
            if entry is None:
                continue
            if entry.type == "State" and "State" not in kinds:
                self.last_state = _from_entry(span_text(ent), entry)
            elif entry.type not in {"State", "Person"} and "Organisation" not in kinds:
                self.last_organisation = _from_entry(span_text(ent), entry)
                named_organisation = True
        acted_on = [a for a in objects if a.type not in {None, "State", "Person", "Group"}]
        if acted_on and not named_organisation and "Organisation" not in kinds:
            self.last_organisation = acted_on[-1]

    def remember_object(self, actor: Actor | None, sentence_start: int) -> None:
        """A state or organisation a clause acted on (see `last_object`)."""
        if actor is not None and actor.type not in {None, "Person", "Group"}:
            self.last_object = (sentence_start, actor)

    def remember_people(self, actor: Actor | None) -> None:
        """A group of people named anywhere in a clause: "they" and "them" may refer to it; a
        person acted on: "him" and "her" may refer to them."""
        if actor is not None and actor.type == "Group":
            self.last_people = actor
        if actor is not None and actor.type == "Person" \
                and (self.last_person is None or actor.name != self.last_person.name):
            self.other_person = actor

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


# Words that make a title a past one: "former President X" acts as an elite (CAMEO ELI).
FORMER_WORDS = word_list("former_words")
NAME_PARTICLES = word_list("name_particles")


def _known_name(ent: Span, span: Span, actors: ArticleActors) -> str:
    """A person's name as the knowledge base knows it, where the recogniser cut it short
    ("Imran [Khan]", "Min [Aung Hlaing]", "[Ursula von der] Leyen"): the entity widened over the
    capitalised words and name particles next to it in its phrase, when that is a known person."""
    name = _clean(span_text(ent))
    tokens = doc_cache(ent.doc).tokens
    start, end = ent.start, ent.end

    def part(tok: Token) -> bool:
        return (tok.text[:1].isupper() and tok.pos_ in {"PROPN", "NOUN"} and tok.lower_ not in PERSON_TITLES
                and actors.lookup(tok.text) is None) or tok.lower_ in NAME_PARTICLES
    while start > span.start and part(tokens[start - 1]):
        start -= 1
    while end < span.end and part(tokens[end]):
        end += 1
    if (start, end) == (ent.start, ent.end):
        return name
    wider = _clean(span_text(ent.doc[start:end]))
    if actors.kb.person(wider, actors.date) is not None and actors.kb.person(name, actors.date) is None:
        return wider
    return name


def _fold_name(name: str) -> str:
    return " ".join(w for w in name.casefold().split() if w not in PERSON_TITLES)


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
    known = memo(token.doc, "noun_phrase")
    found = known.get(token.i)
    if found is None:
        found = known[token.i] = _noun_phrase(token)
    return found


def _noun_phrase(token: Token) -> Span:
    doc = token.doc
    tokens = doc_cache(doc).tokens
    excluded: set[int] = set()
    tail = reporting_tail(sentence_of(token))
    if tail is not None and tail.head.i != token.i:  # "... refugees, a human rights group protested": not the refugees'
        excluded.update(t.i for t in subtree(tail.head))
    for child in subtree(token):
        if child.i == token.i:
            continue
        comma_appos = child.dep_ == "appos" and child.left_edge.i > 0 and tokens[child.left_edge.i - 1].text == ","
        direct = child.head.i == token.i
        if (direct and ((child.dep_ in {"conj", "cc", "relcl", "acl", "punct", "advcl", "case"} and child.tag_ != "HYPH")
                        or comma_appos)) \
                or (comma_appos and child.pos_ == "PROPN") \
                or fragment_verb(child) \
                or (direct and _gerund_phrase(child)) \
                or (direct and child.dep_ == "prep" and child.lower_ == "of" and token.dep_ == "dobj"
                    and token.head.lemma_.lower() in CHARGE_OF_VERBS):
            # "accused the security forces of arbitrary arrests": the charge is the verb's, not the forces'
            excluded.update(t.i for t in subtree(child))
    kept = {t.i for t in subtree(token)} - excluded
    start = end = token.i  # the unbroken stretch of kept tokens around the head
    while start - 1 in kept:
        start -= 1
    while end + 1 in kept:
        end += 1
    end += 1
    while start < end - 1 and tokens[start].pos_ in {"PUNCT", "CCONJ"}:
        start += 1
    while end - 1 > start and tokens[end - 1].pos_ in {"PUNCT", "CCONJ"} and not _closes_bracket(doc[start:end]):
        end -= 1
    if end < len(doc) and tokens[end].text == ")":
        written = span_text(doc[start:end])
        if written.count("(") > written.count(")"):
            end += 1  # "the Revolutionary United Front (RUF)": keep the acronym's closing bracket
    elif end + 2 < len(doc) and tokens[end].text == "(" and tokens[end + 2].text == ")" \
            and tokens[end + 1].pos_ == "PROPN" and start <= tokens[end + 1].head.i < end:
        end += 3  # "the Democratic Unionist Party (DUP)": the acronym is part of the name as written
    return doc[start:end]


def _gerund_phrase(prep: Token) -> bool:
    """A preposition introducing a gerund clause ("of attacking a border post")."""
    return prep.dep_ == "prep" and any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in children(prep))


def _closes_bracket(span: Span) -> bool:
    """Whether the span ends with a ")" that closes a "(" inside it."""
    if span[-1].text != ")":
        return False
    text = span_text(span)
    return text.count("(") >= text.count(")")


_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"\s*['\u2019]s$")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)


def _clean(text: str) -> str:
    text = _SPACES.sub(" ", text).strip(" ,;:\"'\u201c\u201d\u2018\u2019")
    text = _POSSESSIVE.sub("", text)  # "Saddam Hussein's": the recogniser keeps the possessive
    if text.count("(") > text.count(")"):
        text += ")"  # the recogniser's entity ends before the bracket it opened
    return _ARTICLE.sub("", text)


ORG_SUFFIXES = word_list("org_suffixes")


def person_spans(span: Span) -> list[Span]:
    """PERSON entities in a span, plus names the recogniser glued onto an organisation
    ("the Palestinian Democratic Union Saleh Rafat" -> "Saleh Rafat")."""
    found = []
    for ent in ents_in(span):
        if ent.label_ == "PERSON":
            found.append(ent)
        elif ent.label_ == "ORG":
            words = tokens_of(ent)
            for i in range(len(words) - 2, 0, -1):
                if words[i - 1].lower_ in ORG_SUFFIXES:
                    tail = words[i:]
                    if 2 <= len(tail) <= 3 and all(t.pos_ == "PROPN" and t.is_title for t in tail):
                        found.append(ent.doc[tail[0].i: tail[-1].i + 1])
                    break
    return found


def _entity_of(token: Token):
    if not token.ent_type_:
        return None
    return entity_of(token)


def _person_details(span: Span, name_start: int, actors: ArticleActors) -> tuple[str | None, str | None, str | None]:
    """Role, country and affiliation written before a person's name in its phrase:
    "Russia's Deputy Foreign Minister X", "senior PFLP official X", "Deputy Chairman of the Hamas
    Political Bureau X" (the role is the title just before the name, or the noun the name's
    "of"-phrase hangs on)."""
    doc = span.doc
    role_start = _title_start(doc, span.start, name_start, actors)
    role = span_text(doc[role_start:name_start]) if role_start < name_start else None
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
        entry = actors.lookup(span_text(ent))
        if entry:
            country = country or entry.country
            if entry.type != "State":
                affiliation = affiliation or entry.name
    for tok in span:  # single words: "Hamas Political Bureau", "Russian President"
        if tok.i >= name_start:
            break
        entry = actors.lookup(tok.text) if tok.pos_ in {"PROPN", "ADJ", "NOUN"} else None
        if entry is not None:
            country = country or entry.country
            if entry.type != "State":
                affiliation = affiliation or entry.name
    if role:
        role = role[0].upper() + role[1:]
    return role, country, affiliation


def _title_start(doc, first: int, name_start: int, actors: ArticleActors) -> int:
    """Where the title before a name begins: back over role and office words and the words that
    join them ("Secretary of State", "Crown Prince", "Minister of Foreign Affairs"), a role word
    nearest the name; never over a state's word ("Russian", "US")."""
    def titled(i: int) -> bool:
        tok = token_at(doc, i)
        return tok.lower_ in TITLE_WORDS and not _is_state_word(tok, actors)
    start = i = name_start
    while i > first:
        if titled(i - 1):
            i -= 1
        elif token_at(doc, i - 1).lower_ in TITLE_JOINERS and i < name_start:
            j = i - 1
            while j > first and token_at(doc, j - 1).lower_ in TITLE_JOINERS:
                j -= 1
            if j > first and titled(j - 1) and token_at(doc, j - 1).text[:1].isupper():
                i = j - 1
            else:
                break
        else:
            break
        if token_at(doc, i).lower_ in TITLE_WORDS:
            start = i
    while start < name_start and token_at(doc, start).lower_ not in ROLE_WORDS \
            and not any(token_at(doc, k).lower_ in ROLE_WORDS for k in range(start, name_start)):
        start += 1
    return start


def _name_span(ent: Span) -> Span:
    """A person's name as written, from the recogniser's entity: without the title it took in
    ("[Crown Prince] Halim bin Tarek", while two words stay) and with the rest of a name it cut
    after a particle ("Jean-Luc Le [Garrec]", "Ahmed bin [Tarek]")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while end - start > 2 and token_at(doc, start).lower_ in TITLE_WORDS and token_at(doc, start + 1).text[:1].isupper():
        start += 1
    while start > 0 and token_at(doc, start).lower_ in NAME_PARTICLES and token_at(doc, start).text[:1].islower():
        before = token_at(doc, start - 1)  # "Tarek [bin Halim]": a name does not begin with its particle
        if before.pos_ != "PROPN" or not before.text[:1].isupper() or before.lower_ in TITLE_WORDS:
            break
        start -= 1
    while end < len(doc) and token_at(doc, end - 1).lower_ in NAME_PARTICLES and token_at(doc, end).pos_ == "PROPN" \
            and token_at(doc, end).text[:1].isupper():
        end += 1
    return ent if (start, end) == (ent.start, ent.end) else doc[start:end]


def _is_state_word(tok: Token, actors: ArticleActors) -> bool:
    entry = actors.lookup(tok.text) if tok.pos_ in {"PROPN", "ADJ", "NOUN"} else None
    return entry is not None and entry.type == "State"


def _name_root(doc, name_start: int) -> Token:
    """The syntactic head of the name that starts at `name_start`."""
    tok = token_at(doc, name_start)
    while tok.dep_ in {"compound", "flat"} and tok.head.i > tok.i:
        tok = tok.head
    return tok


def _from_entry(text: str, entry: GazetteerEntry, gazetteer: Gazetteer | None = None) -> Actor:
    sector, code = (entry.sector, entry.code) if entry.code else load_actor_kb().code_of(entry.name)
    if sector is None and entry.type == "State" and gazetteer is not None and gazetteer.is_metonym(text):
        sector = "GOV"  # "Moscow", "the Kremlin", "Washington": the government
    if code is None and entry.country:
        code = actor_code(entry.country, sector)
    return Actor(text=text, name=entry.name, type=entry.type, country=entry.country,
                 iri=actor_iri(entry.name, entry.type), sector=sector[:3] if sector else None, code=code)


def _known_actor(token: Token, span: Span, text: str, head_ent, actors: ArticleActors) -> Actor | None:
    """An actor the knowledge base knows the phrase as: a named institution ("the Knesset",
    "Russia's Baltic Fleet", "Peru's Congress"), a territory or city ("Transnistria"), or a
    person the recogniser did not tag as one ("Lavrov", "President Erdogan")."""
    entry = actors.lookup(text)
    if entry is not None and (entry.type != "State" or not actors.gazetteer.is_metonym(text)):
        return None
    doc = span.doc
    tokens = doc_cache(doc).tokens
    # the phrase, then the phrase from each capitalised word on (names need a capital letter):
    # "Russia's Baltic Fleet", "Baltic Fleet"
    kb = actors.kb
    first = kb.first_words
    starts = [t.i for t in tokens[span.start:token.i + 1] if t.text[:1].isupper() and t.lower_ in first]
    if starts and starts[0] != span.start and (tokens[span.start].lower_ in first or tokens[span.start].pos_ == "DET"):
        starts.insert(0, span.start)
    for start in starts:
        inst = kb.institution(span_text(doc[start:span.end]))
        if inst is not None:
            country = _owner(tokens[span.start:start], actors) or inst.country  # "Peru's Congress"
            name = inst.name if country == inst.country else _clean(text)
            sector = inst.sector
            code = inst.code if inst.country is None and inst.code else actor_code(country, sector)
            return Actor(text=text, name=name, type=inst.type or "Group", country=country,
                         iri=actor_iri(name, inst.type or "Group"), sector=sector[:3] if sector else None, code=code)
        if start > span.start and (owner := _owner(tokens[span.start:start], actors)) is not None \
                and (state := actors.gazetteer.state(owner)) is not None:
            inst = kb.institution(f"{span_text(doc[start:span.end])} of {state.name}")  # "India's Supreme Court"
            if inst is not None and inst.country == owner:
                return Actor(text=text, name=inst.name, type=inst.type or "Group", country=owner,
                             iri=actor_iri(inst.name, inst.type or "Group"),
                             sector=inst.sector[:3] if inst.sector else None, code=actor_code(owner, inst.sector))
        if start == span.start and entry is None:
            place = kb.place(_clean(text))  # the whole phrase only
            if place is not None:  # a territory, region or city: its administration, never a person
                return Actor(text=text, name=place.name, type="Group", country=place.country,
                             iri=actor_iri(place.name, "Group"), code=place.code or place.country)
    if token.pos_ in {"PROPN", "NOUN"} and token.text[:1].isupper() and entry is None \
            and (head_ent is None or head_ent.label_ != "PERSON"):
        name = _clean(span_text(head_ent)) if head_ent is not None else _clean(span_text(doc[span.start:token.i + 1]))
        if kb.person(name, actors.date) is not None:
            role, country, affiliation = _person_details(span, token.i, actors)
            rec = actors.person(name, role, country, affiliation)
            return _person_actor(text, rec)
    return None


def _owner(words, actors: ArticleActors) -> str | None:
    """The country of the first state or place named among words before an institution's name."""
    for tok in words:
        if tok.dep_ == "case" or tok.pos_ in {"DET", "PUNCT", "NUM"}:
            continue
        found = actors.lookup(tok.text)
        if found is not None and found.type == "State":
            return found.country
        if found is None and (place := actors.kb.place(tok.text)) is not None:
            return place.country
    return None


def _agent_sector(token: Token, span: Span, actor: Actor, kb: ActorKB) -> str | None:
    """The CAMEO role of an actor's head word ("police" -> COP, "riot police", "envoys" -> GOV)
    or of a person's role ("Foreign Minister" -> GOV)."""
    heads = kb.agent_heads
    if token.i > span.start and (token.lower_ in heads or token.lemma_.lower() in heads):
        # "the Venezuelan opposition leader", "a rebel commander": the two words name the role
        before = doc_cache(token.doc).tokens[token.i - 1]
        found = kb.agent(f"{before.lower_} {token.lower_}")
        if found is not None:
            return found.sector
        # "a rebel commander", "an opposition spokesman": the side named before the head
        side = kb.agent(before.lower_) if before.dep_ in {"compound", "amod"} else None
        if side is not None and (side.sector or "")[:3] in {"REB", "SEP", "INS", "OPP"}:
            return side.sector
    if actor.type == "Person" and actor.role:
        words = actor.role.split()
        if words[0].lower() in FORMER_WORDS:
            return "ELI"
        joiner = next((k for k, w in enumerate(words) if k and w.lower() in TITLE_JOINERS), len(words))
        for part in (words, words[:joiner]):  # "Minister of Foreign Affairs": the minister's
            if part and part[-1].lower() in heads:
                for k in range(len(part)):
                    found = kb.agent(" ".join(part[k:]))
                    if found is not None:
                        return found.sector
    lower = token.lower_
    lemma = token.lemma_.lower()
    if lower not in heads and lemma not in heads:
        return None
    found = kb.agent(lower) or kb.agent(lemma)
    return found.sector if found is not None else None


def _place_country(token: Token, span: Span, actors: ArticleActors) -> str | None:
    """The country of a place named in the phrase ("Shanghai police", "Kano State government")."""
    kb = actors.kb
    first = kb.first_words
    for ent in ents_in(span):
        if ent.label_ in {"GPE", "LOC", "FAC", "ORG", "NORP"} and ent[0].lower_ in first \
                and (place := kb.place(span_text(ent))) is not None:
            return place.country
    for tok in tokens_of(span):
        if tok.i != token.i and tok.pos_ == "PROPN" and tok.lower_ in first and (place := kb.place(tok.text)) is not None:
            return place.country
    return None


# Offices with one holder a country: "the US president" is the president of the day.
OFFICE_HEADS = word_list("office_heads")


def _office_holder(token: Token, span: Span, actor: Actor, actors: ArticleActors) -> Actor | None:
    """"the US president", "Russia's foreign minister": the holder of the office at the article's
    date, when the knowledge base knows them (only with a date: an undated article may be old)."""
    dependents = children(token)
    if not any(c.lower_ == "the" or c.dep_ == "poss" for c in dependents) \
            or any(c.lower_ in {"former", "ex", "late", "deputy", "vice", "acting", "new", "next"} for c in tokens_of(span)):
        return None
    words = [c.lower_ for c in dependents if c.dep_ in {"compound", "amod"} and c.i < token.i
             and actors.lookup(c.text) is None] + [token.lower_]
    holder = actors.kb.holder(actor.country, " ".join(words), actors.date)
    if holder is None:
        return None
    rec = actors.person(holder.name, holder.role, holder.country, holder.organisation)
    return _person_actor(actor.text, rec)


def _state_then_agent(token: Token, span: Span, actors: ArticleActors) -> bool:
    """A capitalised head after a state's word that is no name of its own: "India's Supreme Court",
    "the Iraqi Parliament" (not "the West Bank", "Hong Kong")."""
    if actors.lookup(_clean(span_text(span))) is not None or actors.lookup(token.text) is not None:
        return False
    return any(actors.lookup(t.text) is not None for t in tokens_of(span) if t.i < token.i)


def _coded(actor: Actor, token: Token, span: Span, actors: ArticleActors) -> Actor:
    """The actor with its CAMEO sector and code: from the knowledge base, else from its head word
    (an agent such as "police"), its country from a place in the phrase when it has none."""
    if actor.sector is not None or token.pos_ == "PRON":
        return actor
    kb = actors.kb
    if not actor.is_actor:
        if token.pos_ not in {"NOUN", "PROPN"} or (token.lower_ not in kb.agent_heads
                                                    and token.lemma_.lower() not in kb.agent_heads):
            return actor
        sector = _agent_sector(token, span, actor, kb)
        country = _place_country(token, span, actors) if sector is not None else None
        if country is None:
            return actor
        kind = "Group" if token.tag_ in {"NNS", "NNPS"} or token.lemma_.lower() not in PERSON_HEADS else "Person"
        name = actor.name
        return replace(actor, type=kind, country=country, iri=actor_iri(name, kind), sector=sector[:3],
                       code=actor_code(country, sector))
    if actor.type == "Person" and actor.country and actors.date and token.tag_ == "NN" and token.lower_ in OFFICE_HEADS:
        holder = _office_holder(token, span, actor, actors)
        if holder is not None:
            return holder
    sector = actor.sector
    if sector is None and actor.type in {"Person", "Group", "State"} \
            and not (actor.type == "State" and token.pos_ == "PROPN" and token.text[:1].isupper()
                     and not _state_then_agent(token, span, actors)):
        # not "the West Bank" (a name of its own), but "India's Supreme Court"
        sector = _agent_sector(token, span, actor, kb)
        if sector is None and token.lemma_.lower() in CROWD_HEADS:  # "Thousands of Georgian demonstrators"
            members = [o for p in children(token) if p.dep_ == "prep" and p.lower_ == "of"
                       for o in children(p) if o.dep_ == "pobj"]
            sector = _agent_sector(members[0], span, actor, kb) if members else None
        if sector is not None and actor.type == "State" and token.lemma_.lower() not in STATE_HEADS \
                and token.lemma_.lower() not in AGENT_HEADS and not kb.agent(token.lower_) \
                and not (token.i > span.start and kb.agent(f"{doc_cache(token.doc).tokens[token.i - 1].lower_} {token.lower_}")):
            sector = None  # kept for "the Philippine coast guard"
    country = actor.country
    if country is None and actor.type in {"Person", "Group"}:
        country = _place_country(token, span, actors)
    if sector is None and country == actor.country:
        return actor if actor.code or not country else replace(actor, code=country)
    return replace(actor, country=country, sector=sector[:3] if sector else None,
                   code=actor_code(country, sector) if country or sector else None)


def resolve_subject(token: Token, actors: ArticleActors) -> Actor:
    """Resolve a subject: a phrase that names no actor but carries a country word
    ("Nurses from three Canadian charities") is a group of that country."""
    actor = resolve_phrase(token, actors)
    if actor.is_actor or token.pos_ not in {"NOUN", "PROPN"}:
        return actor
    kind = "Group" if token.tag_ in {"NNS", "NNPS"} else "Person"
    country = _country_word(token, noun_phrase(token), actors)
    span = noun_phrase(token)
    if country is not None:
        return _coded(Actor(text=actor.text, name=_clean(actor.text), type=kind, country=country,
                            iri=actor_iri(_clean(actor.text), kind)), token, span, actors)
    if token.lemma_.lower() in CROWD_HEADS and token.tag_ == "NNS" and not any(
            c.dep_ == "prep" and c.lower_ == "of" for c in children(token)):
        # "Thousands marched in Caracas": a number of people with no kind named are civilians,
        # of the country where they act
        return Actor(text=actor.text, name=_clean(actor.text), type="Group", sector="CVL", code="CVL",
                     iri=actor_iri(_clean(actor.text), "Group"))
    return _as_agent(token, actor, span, actors) or actor


def _as_agent(token: Token, actor: Actor, span: Span, actors: ArticleActors) -> Actor | None:
    """A phrase headed by a generic agent word ("the army", "the opposition", "lawmakers",
    "Leaders of the Azadliq coalition") as an actor of that word's sector, even without a country."""
    kind = "Group" if token.tag_ in {"NNS", "NNPS"} else "Person"
    agent = actors.kb.agent(token.lemma_.lower()) if token.tag_ in {"NNS", "NN"} else None
    if agent is not None and (agent.sector or "")[:3] not in POLITICAL_SECTORS:
        agent = None  # "banks", "schools" alone: not actors of political events
    if agent is not None and token.tag_ == "NN" and (agent.sector or "")[:3] not in ARMED_SECTORS:
        agent = None  # one of an armed group ("a gunman", "a suicide bomber"), not "the state", "power"
    if token.lemma_.lower() in AGENT_HEADS or agent is not None:
        if kind == "Person" and token.lemma_.lower() not in PERSON_HEADS \
                and not (agent is not None and token.lemma_.lower() not in AGENT_HEADS):
            kind = "Group"  # "the regime", "the committee"; but "a gunman" is one person
        country = _country_word(token, noun_phrase(token), actors)  # "Turkish riot police"
        return _coded(Actor(text=actor.text, name=_clean(actor.text), type=kind, country=country,
                            iri=actor_iri(_clean(actor.text), kind)), token, span, actors)
    return None


# Sectors whose generic agents ("lawmakers", "judges", "clerics") are actors even without a country
# (military and police words are actors by AGENT_HEADS already: "soldiers", "troops", "police").
POLITICAL_SECTORS = {"GOV", "JUD", "LEG", "OPP", "REB", "SEP", "INS", "SPY", "REL", "HLH", "MED"}
# Sectors of armed non-state groups, one of whose members named alone is an actor ("a gunman").
ARMED_SECTORS = {"REB", "SEP", "INS"}


def _people_phrase(token: Token, span: Span) -> Span:
    """The words that name a group of people: the head, its modifiers and the plain place or
    origin phrases after it, without phrases that carry a clause ("nationals for assets they lost").
    One person's office is not named by where they are ("the Pakistani prime minister in Riyadh")."""
    end = token.i + 1
    naming = {"of", "from", "in", "at"} if token.tag_ in {"NNS", "NNPS"} else {"of"}
    for prep in (c for c in children(token) if token.i < c.i < span.end):
        if prep.dep_ != "prep" or prep.lower_ not in naming \
                or any(t.dep_ in {"relcl", "acl", "advcl", "ccomp", "pcomp"} and t.i < span.end for t in subtree(prep)):
            break
        end = min(prep.right_edge.i + 1, span.end)
    return span.doc[span.start:end]


def _group_name(token: Token, span: Span) -> str:
    """The name of a group of people: its phrase without clauses."""
    return _clean(span_text(_people_phrase(token, span)))


def _country_word(token: Token, span: Span, actors: ArticleActors) -> str | None:
    """The country of the first word in a phrase that names one, other than its head
    ("Nurses from three Canadian charities" -> USA)."""
    for tok in tokens_of(span):
        entry = actors.lookup(tok.text) if tok.pos_ in {"ADJ", "PROPN", "NOUN"} and tok.i != token.i else None
        if entry is not None:
            return entry.country
    return None


def resolve_phrase(token: Token, actors: ArticleActors, span: Span | None = None) -> Actor:
    """Resolve the phrase headed by `token` to an actor, or to a concept when it names none.
    The actor's `text` is the phrase as written (articles included), its name is cleaned."""
    given = span is not None
    span = span if span is not None else noun_phrase(token)
    actor = _coded(_resolve_phrase(token, actors, span), token, span, actors)
    if not actor.is_actor and token.pos_ == "NOUN" and token.dep_ != "compound":
        actor = _as_agent(token, actor, span, actors) or actor  # "accused the army": an agent here too
    text = span_text(span)
    cleaned = _clean(text)
    if not given and not actor.is_actor and actor.text == (cleaned or token.text):
        span = _with_content_clauses(token, span)  # "a call for its forces to be deployed in X"
        text = span_text(span)
        cleaned = _clean(text)
        actor = replace(actor, text=cleaned, name=cleaned, iri=actor_iri(cleaned, None))
    written = text.strip(" ,;:\"'\u201c\u201d\u2018\u2019")
    if written and written != actor.text and actor.text == (cleaned or token.text):
        return replace(actor, text=written)
    return actor


def _with_content_clauses(token: Token, span: Span) -> Span:
    """A concept's phrase with the infinitive or participle clauses that say what it is:
    "a plan to build a dam", "a call for its forces to be deployed in X", "the decision of
    sending troops". Relative clauses proper ("who ...", "that ...") stay out."""
    end = span.end
    tail = reporting_tail(sentence_of(token))
    for tok in tokens_of(span):
        for clause in children(tok):
            if tail is not None and clause.i == tail.i:
                continue
            reach = end
            while reach < len(span.doc) and token_at(span.doc, reach).tag_ in {"''", "``"}:
                reach += 1  # 'a "special law" recognizing ...'
            if _gerund_phrase(clause) and clause.i == reach:  # "the charge of spying"
                end = clause.right_edge.i + 1
                continue
            if clause.dep_ not in {"acl", "relcl"} or clause.i < end or clause.left_edge.i > reach \
                    or fragment_verb(clause):
                continue
            infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in children(clause))
            participle = clause.dep_ == "acl" and clause.tag_ in {"VBG", "VBN"}
            if infinitive or participle:
                end = clause.right_edge.i + 1
    while end > span.end and token_at(span.doc, end - 1).pos_ == "PUNCT":
        end -= 1
    return span.doc[span.start:end]


def _resolve_phrase(token: Token, actors: ArticleActors, span: Span) -> Actor:
    text = _clean(span_text(span)) or token.text
    gaz = actors.gazetteer
    lower = token.lower_

    if lower in DEMONSTRATIVES:
        return Actor(text=token.text, name=lower, iri=actor_iri(lower, None))
    if token.pos_ == "PRON":
        if lower in {"him", "her"} and token.dep_ in {"dobj", "dative", "pobj"} and actors.other_person is not None \
                and _subject_is_last_person(token, actors):
            # "She urged him to ...": not the subject, by the pronoun's own clause; the other person
            return _standing_for(actors.other_person, token.text)
        if lower in PERSON_PRONOUNS and actors.last_person is not None:
            return _standing_for(actors.last_person, token.text)
        if lower in PLURAL_PRONOUNS and actors.last_people is not None:
            return _standing_for(actors.last_people, token.text)  # "expelled them": people, not a state
        if lower in {"it", "them"} and token.dep_ in {"dobj", "pobj", "dative"} and actors.last_object is not None \
                and actors.last_object[0] == sentence_of(token).start:
            return _standing_for(actors.last_object[1], token.text)  # "thanked the EU and urged it to ..."
        if lower in GROUP_PRONOUNS and actors.last_group is not None:
            return _standing_for(actors.last_group, token.text)
        return Actor(text=token.text, name=lower, iri=actor_iri(lower, None))

    if lower in SOLE_OFFICES and actors.date and any(c.lower_ == "the" for c in children(token)):
        # "the Pope": an office of one country that needs no country word, held by one person at a time
        holder = actors.kb.holder(SOLE_OFFICES[lower], lower, actors.date)
        if holder is not None:
            return _person_actor(text, actors.person(holder.name, holder.role, holder.country, holder.organisation))

    if token.lemma_.lower() in CROWD_HEADS:
        members = [o for p in children(token) if p.dep_ == "prep" and p.lower_ == "of" for o in children(p) if o.dep_ == "pobj"]
        member = resolve_subject(members[0], actors) if members else None
        if member is not None and member.is_actor:
            return Actor(text=text, name=text, type="Group", country=member.country, iri=actor_iri(text, "Group"))

    # A person named in the phrase (the head itself, or a name the head is a title of).
    persons = [p for p in person_spans(span) if actors.may_be_person(span_text(p))]  # "Kyiv" tagged PERSON is still Kyiv
    head_ent = _entity_of(token)
    if head_ent is not None and head_ent.label_ == "PERSON" and actors.may_be_person(span_text(head_ent)):
        persons = [head_ent]
    if not persons and token.pos_ == "PROPN" and head_ent is None and actors.lookup(token.text) is None:
        # a capitalised surname spaCy did not tag (e.g. "Bogsanov's")
        known = [p for p in actors.persons if token.text == p.name.split()[-1] or _close(token.text, p.name.split()[-1])]
        if known:
            rec = known[0]
            return _person_actor(text, rec)
    if persons and token.pos_ == "NOUN" and head_ent is None and token.lemma_.lower() not in PERSON_WORDS:
        persons = []  # "supporters of President X" are not X
    title = _title_apposition(token) if actors.may_be_person(text, institutions=False) else None
    if title is not None and not persons:  # "Kenzo Oshima, the UN relief coordinator,": a person, whatever the recogniser said
        rec = actors.person(_clean(span_text(span)), *_office(title, actors))
        return _person_actor(text, rec)
    if persons:
        ent = _name_span(persons[-1] if head_ent is None else persons[0])
        role, country, affiliation = _person_details(span, ent.start, actors)
        if role is None and title is not None:
            role, country, affiliation = _office(title, actors)
        rec = actors.person(_known_name(ent, span, actors), role, country, affiliation)
        return _person_actor(text, rec)

    known = _known_actor(token, span, text, head_ent, actors)
    if known is not None:
        return known
    entry = actors.lookup(text)
    if entry is not None and entry.type == "Person" and token.pos_ == "PROPN":
        # a person of the user's gazetteer the recogniser did not tag as one: the role as written
        first = next((t.i for t in tokens_of(span) if t.i <= token.i and actors.lookup(span_text(span.doc[t.i:token.i + 1]))
                      is entry), token.i)
        role, country, affiliation = _person_details(span, first, actors)
        return _person_actor(text, actors.person(entry.name, role, country, affiliation))
    if entry is not None:
        return _from_entry(text, entry, actors.gazetteer)
    appositions = [c for c in children(token) if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > token.i]
    for appos in appositions if token.pos_ != "PROPN" else []:
        named = resolve_phrase(appos, actors)  # "the rebel National Liberation Front": the name says who
        if named.is_actor:
            return replace(named, text=text)
    antecedent = _definite_antecedent(token, actors) or _own_state(token, actors)
    if antecedent is not None:
        return _standing_for(antecedent, text)
    owned = _own_agents(token, text, actors)
    if owned is not None:
        return owned
    if head_ent is not None and (entry := actors.lookup(span_text(head_ent))) is not None:
        return _from_entry(text, entry)
    head_lemma = token.lemma_.lower()
    if head_ent is not None and head_ent.label_ == "ORG" and token.pos_ == "PROPN" and len(head_ent) > 1 \
            and head_lemma not in STATE_OR_FACILITY_HEADS:
        # "the Kenya Union of Teachers": an organisation named after its country, not the state
        name = _clean(span_text(head_ent))
        country = next((e.country for t in head_ent if t.i != token.i and (e := actors.lookup(t.text)) is not None
                        and e.type == "State"), None)
        return Actor(text=text, name=name, type="Group", country=country, iri=actor_iri(name, "Group"))
    # Words that modify the head: "Hamas atrocities", "Israel's response", "the Russian side".
    # the name closest to the head first ("Russia's TASS news agency" is TASS), but an act or
    # thing is its owner's ("Sweden's NATO membership" is Sweden's)
    order = {"compound": 0, "nmod": 1, "amod": 2, "poss": 3} if head_lemma in AGENT_HEADS | ORG_SUFFIXES \
        else {"poss": 0, "compound": 1, "nmod": 2, "amod": 3}
    modifiers = sorted((c for c in children(token) if c.dep_ in order), key=lambda c: order[c.dep_])
    if head_lemma in GROUP_OF_HEADS:
        modifiers += [o for p in children(token) if p.dep_ == "prep" and p.lower_ == "of" for o in children(p) if o.dep_ == "pobj"]
    for mod in modifiers:
        mod_ent = _entity_of(mod)
        entry = actors.lookup(span_text(mod_ent)) if mod_ent is not None else None
        entry = entry or actors.lookup(mod.text)
        if entry is None and head_lemma in ORG_PART_HEADS and mod_ent is not None and mod_ent.label_ == "ORG":
            name = _clean(span_text(mod_ent))  # "the UNITA militarist wing" acts for UNITA
            return Actor(text=text, name=name, type="Group", iri=actor_iri(name, "Group"))
        if entry is None:
            continue
        demonym = mod.dep_ == "amod" or (mod_ent is not None and mod_ent.label_ == "NORP") or gaz.is_demonym(mod.text)
        if head_lemma in PERSON_HEADS and head_lemma not in STATE_HEADS and entry.type == "State":
            kind = "Group" if token.tag_ in {"NNS", "NNPS"} else "Person"
            name = _group_name(token, span)
            return Actor(text=text, name=name, type=kind, country=entry.country, role=token.lemma_.lower(),
                         iri=actor_iri(name, kind))
        if head_lemma in NON_STATE_HEADS and entry.type == "State":
            # "Ivory Coast rebels", "Syrian opposition": people of the country acting against its state
            kind = "Group" if token.tag_ in {"NNS", "NNPS"} or head_lemma in COLLECTIVE_HEADS else "Person"
            name = _group_name(token, span)
            return Actor(text=text, name=name, type=kind, country=entry.country, iri=actor_iri(name, kind))
        if head_lemma in STATE_HEADS or not demonym:
            return _from_entry(text, entry)
        if head_lemma in GROUP_HEADS or head_lemma in ROLE_WORDS or token.tag_ == "NNS":
            kind = "Group" if token.tag_ in {"NNS", "NNPS"} or head_lemma in COLLECTIVE_HEADS else "Person"
            name = _group_name(token, span)
            return Actor(text=text, name=name, type=kind, country=entry.country, iri=actor_iri(name, kind))
        return _from_entry(text, entry)
    if token.pos_ == "PROPN" and head_ent is None and token.is_title and not any(c.dep_ == "det" for c in children(token)):
        # a capitalised name the entity recogniser missed ("talks with Scholz")
        rec = actors.person(_clean(span_text(span)), None, None, None)
        return _person_actor(text, rec)
    if head_ent is not None and head_ent.label_ == "ORG" and head_lemma not in FACILITY_HEADS:
        name = _clean(span_text(head_ent))
        return Actor(text=text, name=name, type="Group", iri=actor_iri(name, "Group"))
    gerund = any(c.dep_ in {"amod", "compound"} and c.lower_.endswith("ing") and c.i == span.start for c in token.lefts)
    if head_lemma in PEOPLE_HEADS and token.tag_ == "NNS" and not gerund:  # "freeing hostages" is an act
        name = _group_name(token, span)
        return Actor(text=text, name=name, type="Group", country=_country_word(token, span, actors), iri=actor_iri(name, "Group"))
    name = text
    return Actor(text=text, name=name, type=None, iri=actor_iri(name, None))


TITLE_HEADS = PERSON_HEADS | {"coordinator"}


def _title_apposition(token: Token) -> Token | None:
    """The office in a comma apposition to a name ("X, the foreign minister,"), if any."""
    if token.pos_ != "PROPN":
        return None
    for child in children(token):
        if child.dep_ == "appos" and child.i > token.i and token_at(token.doc, child.left_edge.i - 1).text == "," \
                and child.lemma_.lower() in TITLE_HEADS:
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
            entry = actors.lookup(" ".join(t.text for t in words[i:j]))
            if entry is not None and (best is None or j - i > best[1] - best[0]):
                best = (i, j, entry)
                break
    if best is None:
        return _clean(" ".join(t.text for t in words)) or None, None, None
    i, j, entry = best
    role = _clean(" ".join(t.text for t in words[:i] + words[j:])) or None
    return role, entry.country, entry.name if entry.type != "State" else None


# "the country" is the state last named; "the bloc", "the group" the organisation last named.
STATE_ANAPHORS = word_list("state_anaphors")
ORGANISATION_ANAPHORS = word_list("organisation_anaphors")


def _own_state(token: Token, actors: ArticleActors) -> Actor | None:
    """"his government", "their side": the state of the one the possessive pronoun refers to."""
    owners = [c for c in children(token) if c.dep_ == "poss" and c.pos_ == "PRON"]
    if token.lemma_.lower() not in STATE_HEADS or not owners:
        return None
    owner = _resolve_phrase(owners[0], actors, owners[0].doc[owners[0].i: owners[0].i + 1])
    if owner.type == "State":
        return owner
    if owner.type == "Person" and (entry := actors.gazetteer.state(owner.country)) is not None:
        return _from_entry(entry.name, entry)
    return None


def _own_agents(token: Token, text: str, actors: ArticleActors) -> Actor | None:
    """"his forces", "their police": agents of the state of the one the possessive pronoun
    refers to."""
    owners = [c for c in children(token) if c.dep_ == "poss" and c.pos_ == "PRON"]
    if not owners:
        return None
    agent = actors.kb.agent(token.lower_) or actors.kb.agent(token.lemma_.lower())
    if agent is None or not agent.sector:
        return None
    owner = _resolve_phrase(owners[0], actors, owners[0].doc[owners[0].i: owners[0].i + 1])
    if owner.type not in {"State", "Person"} or not owner.country:
        return None
    kind = "Group" if token.tag_ in {"NNS", "NNPS"} or token.lemma_.lower() not in PERSON_HEADS else "Person"
    name = f"{owner.name}'s {token.lower_}"  # "Russia's troops": not one "its troops" for every article
    return Actor(text=text, name=name, type=kind, country=owner.country, iri=actor_iri(name, kind),
                 sector=agent.sector[:3], code=actor_code(owner.country, agent.sector), antecedent=owner.text)


def _subject_is_last_person(pronoun: Token, actors: ArticleActors) -> bool:
    """Whether the clause of an object pronoun has for subject the latest person (a personal
    pronoun, or that person named)."""
    verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
    subjects = [c for c in children(verb) if c.dep_ == "nsubj"]
    if not subjects or actors.last_person is None:
        return False
    subject = subjects[0]
    return subject.lower_ in PERSON_PRONOUNS or actors.last_person.name.split()[-1] == subject.text


def _standing_for(earlier: Actor, text: str) -> Actor:
    """The actor of an earlier mention, as a pronoun or description (`text`) refers to it again;
    `antecedent` keeps the earlier mention's words ("it" -> "The Afghan government")."""
    return replace(earlier, text=text, antecedent=earlier.antecedent or earlier.text)


def _definite_antecedent(token: Token, actors: ArticleActors) -> Actor | None:
    """The actor a definite description refers back to, if any: "the bloc" -> the EU; "the
    Guards" -> the organisation whose name it ends; an organisation word with plain modifiers
    ("the paramilitary group") -> the latest organisation, as "the group" is."""
    dependents = [d for d in children(token) if d.dep_ != "case"]  # "the group's demands": as "the group"
    bare = len(dependents) == 1 and dependents[0].lower_ == "the"
    if bare and token.text[:1].isupper():  # "the Guards" after "Iran's Revolutionary Guards"
        earlier = [a for a in (actors.last_organisation, actors.last_group)
                   if a is not None and a.type not in {None, "Person", "State"}]
        return next((a for a in earlier for words in (a.text.split(), a.name.split())
                     if len(words) > 1 and words[-1] == token.text), None)
    if not token.is_lower or token.tag_ in {"NNS", "NNPS"}:
        return None
    lemma = token.lemma_.lower()
    if bare and lemma in STATE_ANAPHORS:
        return actors.last_state
    if lemma in ORGANISATION_ANAPHORS and (bare or (token.tag_ == "NN" and _plainly_described(dependents, actors))):
        return actors.last_organisation
    return None


def _plainly_described(dependents: list[Token], actors: ArticleActors) -> bool:
    """"the paramilitary group": "the" and modifiers that name no actor (phrases after the head aside)."""
    return any(d.dep_ == "det" and d.lower_ == "the" for d in dependents) and all(
        (d.dep_ == "det" and d.lower_ == "the") or d.dep_ in {"prep", "acl", "relcl", "punct"}
        or (d.dep_ in {"amod", "compound"} and d.is_lower and actors.lookup(d.text) is None) for d in dependents)


def _person_actor(text: str, rec: PersonRecord) -> Actor:
    return Actor(text=text, name=rec.name, type="Person", country=rec.country, role=rec.role,
                 affiliation=rec.affiliation, iri=actor_iri(rec.name, "Person"),
                 sector=rec.sector[:3] if rec.sector else None,
                 code=_person_code(rec) if rec.sector else None)


def _person_code(rec: PersonRecord) -> str | None:
    if rec.code:
        return rec.code
    if rec.country is None and rec.affiliation:
        org = load_actor_kb().code_of(rec.affiliation)[1] or load_actor_kb().institution_code(rec.affiliation)
        if org:
            return org
    return actor_code(rec.country, rec.sector)


def register_persons(sentence: Span, actors: ArticleActors) -> None:
    """Record every person named in a sentence (with title and country) before its events are read."""
    for ent in person_spans(sentence):
        if not actors.may_be_person(span_text(ent), institutions=False):
            continue
        phrase = noun_phrase(ent.root)
        ent = _name_span(ent)
        role, country, affiliation = _person_details(phrase, ent.start, actors)
        actors.person(_known_name(ent, phrase, actors), role, country, affiliation)
