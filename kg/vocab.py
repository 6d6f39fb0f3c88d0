"""Namespaces and IRI minting, defined once for every stage.

Instance IRIs are derived from content only (normalised names, article ids, sentence
numbers), so the same actor or event gets the same IRI on every run.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV


class _Vocabulary(Namespace):
    """An rdflib Namespace that makes each attribute's term once: rdflib makes and checks a new
    URIRef at every `KGO.name`, which the graph builder reads hundreds of times an article."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


KGO = _Vocabulary("https://w3id.org/kg-diplomacy/ontology#")
KGR = Namespace("https://w3id.org/kg-diplomacy/resource/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")  # owl:sameAs targets of known actors

# the prefixes of the graph's serialisations
PREFIXES: dict[str, Namespace] = {
    "kgo": KGO, "kgr": KGR, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS, "owl": OWL, "wd": WIKIDATA,
}
# the prefixes a SPARQL query of kg's own may use
QUERY_PREFIXES: dict[str, str] = {**{p: str(ns) for p, ns in PREFIXES.items()},
                                  "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD)}


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines for a SPARQL query ("kgo", "rdfs", ...; all of QUERY_PREFIXES when none)."""
    return "".join(f"PREFIX {p}: <{QUERY_PREFIXES[p]}>\n" for p in (names or QUERY_PREFIXES))

_POSSESSIVE = re.compile(r"['\u2019]s\b")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Mikhail Bogdanov' -> 'mikhail-bogdanov'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = _POSSESSIVE.sub("", ascii_text)
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "x"


def actor_iri(name: str, type_: str | None) -> str:
    """IRI of an actor (type given) or of a concept/theme (type None)."""
    kind = "theme" if type_ is None else "actor"
    return f"{KGR}{kind}/{slug(name)}"  # a slug is a valid IRI part: KGR[...] would only check it again


@functools.lru_cache(maxsize=4096)  # each sentence and event of an article names it
def article_iri(article_id: str) -> str:
    return str(KGR[f"article/{slug(article_id)}-{_digest(article_id)[:6]}"])


def sentence_iri(article_id: str, sentence_id: int) -> str:
    return f"{article_iri(article_id)}/sentence/{sentence_id}"


def event_iri(article_id: str, sentence_id: int, *parts: str | None) -> str:
    """IRI of an event record: article, sentence and the event's own content (subject, action,
    objects). Reports of one happening are one event (kg.graph.mentions), which keeps the IRI of its
    first report read; each report is a mention (`mention_iri`)."""
    key = "\x1f".join([article_id, str(sentence_id), *[p or "" for p in parts]])
    return str(KGR[f"event/{_digest(key)[:16]}"])


def mention_iri(event: str, article_id: str, sentence_id: int) -> str:
    """IRI of one mention of an event: the event's IRI, the article and the sentence."""
    return str(KGR[f"mention/{_digest(chr(31).join([event, article_id, str(sentence_id)]))[:16]}"])


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
