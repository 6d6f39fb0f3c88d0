"""One actor across the corpus: persons learnt from earlier articles resolve later mentions.

An article that introduces "Ukrainian negotiator Davyd Arakhamia" teaches the registry a
person (name, country, role, affiliation, sector, code); a later article that only says
"Arakhamia" gets that same actor (same name and IRI) instead of a new one, and a later full
mention without a country or role gets what the earlier one said. A surname shared by persons
of different countries is ambiguous and resolves to none of them. The registry runs after
extraction, in article order, so it works the same with one worker or many; a store build seeds
it from the persons already in the store (`ActorRegistry.from_rows`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from ..model import Actor, ArticleResult, Event
from ..vocab import actor_iri

__all__ = ["ActorRegistry"]

ROLES = ("subject", "object", "target", "attributed_to")


def _key(name: str) -> str:
    return " ".join(name.lower().split())


@dataclass
class ActorRegistry:
    """Persons known from the corpus so far, by full name and by surname."""

    persons: dict[str, Actor] = field(default_factory=dict)  # full name (lower case) -> actor
    surnames: dict[str, set[str]] = field(default_factory=dict)  # surname -> full names

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str | None, str | None, str | None, str | None, str | None]]
                  ) -> "ActorRegistry":
        """A registry of persons given as (name, country, role, affiliation, sector, code) rows,
        e.g. the persons of a store."""
        registry = cls()
        for name, country, role, affiliation, sector, code in rows:
            registry.learn(Actor(text=name, name=name, type="Person", country=country, role=role,
                                 affiliation=affiliation, iri=actor_iri(name, "Person"), sector=sector, code=code))
        return registry

    def learn(self, actor: Actor) -> None:
        """Remember a person named in full; what a new mention adds (country, role) is kept."""
        words = actor.name.split()
        if actor.type != "Person" or len(words) < 2 or not all(w[:1].isupper() for w in words) \
                or (actor.role is not None and actor.role.lower() == actor.name.lower()):
            return  # a name, not a title ("Prime Minister") or a description
        key = _key(actor.name)
        known = self.persons.get(key)
        if known is None:
            self.persons[key] = replace(actor, text=actor.name, antecedent=None)
        else:
            self.persons[key] = replace(known, **{k: getattr(actor, k) for k in ("country", "role", "affiliation",
                                                                                 "sector", "code")
                                                  if getattr(known, k) is None and getattr(actor, k) is not None})
        self.surnames.setdefault(_key(actor.name.split()[-1]), set()).add(key)

    def known(self, actor: Actor | None) -> Actor | None:
        """The registered person a mention stands for, or the mention itself: a surname alone
        that one registered person bears (one country), or a full name the registry knows more of."""
        if actor is None or actor.type not in {"Person", "Group"} or not actor.name:
            return actor
        words = actor.name.split()
        if len(words) == 1 and actor.name[:1].isupper():
            keys = self.surnames.get(_key(actor.name), set())
            countries = {self.persons[k].country for k in keys}
            if len(keys) != 1 or (actor.country is not None and actor.country not in countries):
                return actor  # unknown, or a surname of several persons: not merged
            person = self.persons[next(iter(keys))]
            return replace(person, text=actor.text, antecedent=actor.antecedent)
        if actor.type == "Person" and actor.name[:1].isupper():
            person = self.persons.get(_key(actor.name))
            if person is not None and (actor.country is None or actor.country == person.country) \
                    and (actor.country is None or actor.role is None):
                return replace(person, text=actor.text, antecedent=actor.antecedent,
                               role=actor.role or person.role)
        return actor

    def resolve(self, result: ArticleResult) -> ArticleResult:
        """The article's events with their persons resolved against earlier articles, after
        which the article's own full names are learnt."""
        events = [self._resolved(event) for event in result.events]
        for event in events:
            for role in ROLES:
                actor = getattr(event, role)
                if actor is not None:
                    self.learn(actor)
        return replace(result, events=events)

    def resolve_all(self, results: Iterable[ArticleResult]) -> Iterator[ArticleResult]:
        """Each result resolved in turn (see `resolve`)."""
        for result in results:
            yield self.resolve(result)

    def _resolved(self, event: Event) -> Event:
        changes = {}
        for role in ROLES:
            actor = getattr(event, role)
            found = self.known(actor)
            if found is not actor:
                changes[role] = found
        return replace(event, **changes) if changes else event
