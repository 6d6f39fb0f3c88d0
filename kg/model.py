"""Plain dataclasses passed between the pipeline stages.

text -> Article (ingest) -> ParsedArticle (nlp) -> Event (extract) -> RDF graph (graph).
`Event.to_record()` is the JSON Lines contract of DESIGN.md section 3.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """One input document."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when known
    url: str | None = None
    source: str | None = None


# The ontology's actor classes (local names), defined once for every stage.
ACTOR_TYPES: tuple[str, ...] = ("State", "InternationalOrganization", "PoliticalOrganization", "ArmedGroup",
                                "MediaOrganization", "Person", "Group")


@dataclass(frozen=True)
class Actor:
    """A mention resolved to an actor (State, Person, ...) or, with type None, to a concept."""

    text: str  # the span as written
    name: str  # canonical name
    type: str | None = None  # ontology class local name; None for a concept/theme
    country: str | None = None  # ISO 3166-1 alpha-3
    role: str | None = None  # e.g. "Deputy Foreign Minister"
    affiliation: str | None = None  # canonical name of the state/organisation represented
    iri: str | None = None
    sector: str | None = None  # CAMEO primary role ("GOV", "MIL", "REB", ...)
    code: str | None = None  # CAMEO actor code ("RUSGOV", "USAMILNAV")
    antecedent: str | None = None  # for "it", "he", "the group": the earlier mention it stands for

    @property
    def is_actor(self) -> bool:
        return self.type is not None

    @property
    def label(self) -> str:
        """How a reader names the actor: a person with the title (role) before the name
        ("President Laurent Gbagbo"), anything else by its name."""
        if self.type == "Person" and self.role and self.role.lower() not in self.name.lower():
            return f"{self.role} {self.name}"
        return self.name


@dataclass(frozen=True)
class Event:
    """One subject-action-object triple found in a sentence, typed when it is a diplomatic event."""

    article_id: str
    sentence_id: int
    sentence: str
    subject: Actor | None
    action: str  # verb or nominal lemma, with its particle/preposition ("call on", "meet with")
    object: Actor | None = None
    target: Actor | None = None
    theme: Actor | None = None
    event_type: str = "Event"  # ontology class local name
    cameo: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    negated: bool = False
    modality: str | None = None
    date: str | None = None
    attributed_to: Actor | None = None
    confidence: float = 0.5
    iri: str | None = None
    rules: tuple[str, ...] = ()  # ids of the syntax and coding rules that made the event
    lexicon: str | None = None  # id of the event-lexicon row that coded it

    def to_record(self) -> dict[str, Any]:
        """The JSON-serialisable event record (DESIGN.md section 3); each actor also
        carries its `label`."""
        record = asdict(self)
        record["rules"] = list(self.rules)
        for role in ("subject", "object", "target", "theme", "attributed_to"):
            actor = getattr(self, role)
            if actor is not None:
                record[role]["label"] = actor.label
        return record


@dataclass
class ArticleResult:
    """An article with the events extracted from it and its sentence count."""

    article: Article
    events: list[Event] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
