"""RDF graph building: articles and their events -> an rdflib Dataset (one named graph per article).

Schema: docs/ARCHITECTURE.md ("The RDF graph"); ontology: ontology/kg.ttl + cameo-events.ttl.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg import cameo, vocab
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.errors import GraphLoadError, KgError
from kg.files import write_atomic
from kg.graph.mentions import EventIndex, description_query, description_statements, merge_date
from kg.graph.sparql import query_graph
from kg.model import ACTOR_TYPES, Actor, Article, ArticleResult, Event
from kg.vocab import KGO, KGR, PREFIXES, WIKIDATA

# file suffix -> rdflib format name
SUFFIX_FORMATS: dict[str, str] = {
    ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
    ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
}
QUAD_FORMATS = frozenset({"nquads", "trig"})  # keep one named graph per article

# mention texts never recorded as aliases
_PRONOUNS = frozenset(
    "he she it they him her them his hers its their theirs we us our i me my you your".split())


@functools.cache
def _ontology() -> Graph:
    graph = Graph()
    for name in ("kg.ttl", "cameo-events.ttl"):
        graph.parse(data=cameo.ontology_file(name).read_text(encoding="utf-8"), format="turtle")
    return graph


def load_ontology() -> Graph:
    """The ontology (kg.ttl + cameo-events.ttl) as a fresh Graph (parsed once, then copied)."""
    graph = Graph()
    _bind(graph)
    for triple in _ontology():
        graph.add(triple)
    return graph


def new_graph() -> Dataset:
    """An empty Dataset whose default graph is the union of its named graphs."""
    ds = Dataset(default_union=True)
    _bind(ds)
    return ds


def add_article(ds: Dataset, article: Article, events: Iterable[Event],
                sentences: Sequence[str], gazetteer: Gazetteer | None = None,
                index: EventIndex | None = None) -> None:
    """Put one article, its sentences, actors, themes, events and mentions into its named graph.

    Re-adding an article replaces its named graph, so nothing is duplicated. Actors known to
    the gazetteer (default: the built-in one) get its Wikidata link as owl:sameAs. A report of
    an event already in `ds` (same key, see kg.graph.mentions) becomes a mention of it; `index`
    (default: the one kept with `ds`, read from it once) says which events `ds` holds.
    """
    name, triples = article_statements(article, events, sentences, gazetteer,
                                       index=index if index is not None else event_index(ds))
    ds.remove_graph(name)
    graph = ds.graph(name)
    ds.addN((s, p, o, graph) for s, p, o in triples)


def article_statements(article: Article, events: Iterable[Event], sentences: Sequence[str],
                       gazetteer: Gazetteer | None = None, terms: RdfTerms | None = None,
                       index: EventIndex | None = None) -> tuple[object, list]:
    """The IRI of an article's named graph and the statements that go in it (no duplicates).

    `terms` says which RDF terms to make: rdflib's (the default) or N-Triples text
    (`NTRIPLES_TERMS`, for the stores, which load N-Quads without conversion). `index` holds
    the events of the graph the article goes into (updated with the article's new events): a
    report of one of them is written as a mention of it. Without one, only the reports within
    the article are merged.
    """
    builder = _ArticleStatements(terms or RDFLIB_TERMS, index if index is not None else EventIndex())
    return builder.build(article, events, sentences, gazetteer or load_gazetteer())


def event_index(ds: Dataset) -> EventIndex:
    """The index of the mergeable events of `ds`, read from it on first use and then kept with
    it (updated by `add_article`)."""
    index = getattr(ds, "_kg_event_index", None)
    if index is None:
        def describe(event: str, graph: str) -> list:
            rows = query_graph(ds, description_query(event, graph)).rows
            return description_statements(rows, event, lambda term: term)

        index = EventIndex.of(lambda sparql: query_graph(ds, sparql), describe) if len(ds) else EventIndex(describe=describe)
        ds._kg_event_index = index  # type: ignore[attr-defined]
    return index


def build_graph(results: Iterable[ArticleResult], gazetteer: Gazetteer | None = None) -> Dataset:
    """A new Dataset with every article result added."""
    ds = new_graph()
    for result in results:
        add_article(ds, result.article, result.events, result.sentences, gazetteer)
    return ds


def event_class(event: Event) -> URIRef:
    """The one class of an event: its event_type, else its CAMEO code's class, else kgo:Event."""
    if event.event_type and event.event_type != "Event":
        return KGO[event.event_type]
    return KGO[cameo.class_name(event.cameo)]


def load_graph(path: str | os.PathLike[str]) -> Dataset:
    """Read an RDF file into a new Dataset (format from the suffix); GraphLoadError on failure."""
    path = Path(path)
    if not path.is_file():
        raise GraphLoadError(f"graph file not found: {path}")
    fmt = _format_for(path, GraphLoadError)
    ds = new_graph()
    try:
        ds.parse(str(path), format=fmt)
    except Exception as exc:  # parsers raise many types; report the parser's own message
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise GraphLoadError(f"cannot parse {path} as {fmt}: {detail}") from exc
    return ds


def save_graph(ds: Dataset, path: str | os.PathLike[str], fmt: str | None = None) -> None:
    """Write the graph atomically (temp file + rename); format from `fmt` ('ttl', 'turtle', ...)
    or else from the suffix. Nothing is left behind when serialisation or writing fails."""
    path = Path(path)
    write_atomic(path, serialize(ds, rdf_format(fmt) if fmt else _format_for(path, KgError)))


def rdf_format(fmt: str) -> str:
    """rdflib format name for a suffix-style ('ttl', 'jsonld', 'nq') or rdflib name; KgError if unknown."""
    name = SUFFIX_FORMATS.get("." + fmt.lower().lstrip("."), fmt.lower())
    if name not in set(SUFFIX_FORMATS.values()):
        known = " ".join(sorted({s.lstrip(".") for s in SUFFIX_FORMATS}))
        raise KgError(f"unknown RDF format {fmt!r}; use one of: {known}")
    return name


def serialize(ds: Dataset, fmt: str) -> str:
    """Serialise with an rdflib format name; triple formats merge all named graphs."""
    if fmt in QUAD_FORMATS:
        data = ds.serialize(format=fmt)
    else:
        data = merged(ds).serialize(format=fmt)
    if fmt in ("nt", "nquads"):  # stable line order for diffs
        data = "".join(sorted(line + "\n" for line in data.splitlines() if line.strip()))
    return data


def merged(ds: Dataset) -> Graph:
    """All named graphs merged into one plain Graph (prefixes kept)."""
    graph = Graph(bind_namespaces="core")
    for prefix, ns in ds.namespaces():
        graph.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


# ---------------------------------------------------------------- node builders

@dataclass(frozen=True)
class RdfTerms:
    """How the statement builder makes RDF terms: an IRI, a plain literal, and a typed
    literal from its lexical form and datatype IRI."""

    iri: Callable[[str], object]
    literal: Callable[[str], object]
    typed: Callable[[str, str], object]


def _rdflib_typed(lexical: str, datatype: str) -> Literal:
    return Literal(lexical, datatype=URIRef(datatype))


def _ntriples_iri(iri: str) -> str:
    return str(ox.NamedNode(iri))  # Oxigraph checks the IRI and prints it as N-Triples


def _ntriples_literal(lexical: str) -> str:
    return str(ox.Literal(lexical))


def _ntriples_typed(lexical: str, datatype: str) -> str:
    return str(ox.Literal(lexical, datatype=ox.NamedNode(datatype)))


# typed literals repeat (codes, dates, scores), and rdflib's take microseconds to make: cached
RDFLIB_TERMS = RdfTerms(URIRef, Literal, functools.lru_cache(maxsize=65536)(_rdflib_typed))
# terms as N-Triples text, for stores that load N-Quads (the embedded store's bulk loader, a
# remote store's Graph Store Protocol): a line per statement costs less than term objects
NTRIPLES_TERMS = RdfTerms(_ntriples_iri, _ntriples_literal, functools.lru_cache(maxsize=65536)(_ntriples_typed))

_XSD_DATE, _XSD_INTEGER, _XSD_DECIMAL, _XSD_BOOLEAN, _XSD_ANYURI = (
    str(XSD.date), str(XSD.integer), str(XSD.decimal), str(XSD.boolean), str(XSD.anyURI))
# the ontology's actor classes (local names), all of which a gazetteer entry may have
ACTOR_CLASSES = ACTOR_TYPES
_ACTOR_CLASS_IRIS = frozenset(str(KGO[c]) for c in ACTOR_CLASSES)


class _ArticleStatements:
    """Collects one article's statements, with what the gazetteer pass needs to know about
    each node (its first label and its classes), without querying a graph."""

    def __init__(self, terms: RdfTerms, index: EventIndex) -> None:
        self.terms = terms
        self.index = index
        self.graph_name = ""  # the article's named graph (IRI text)
        self.described: set[str] = set()  # events this article describes
        self.keyed: dict[str, tuple[list[str], tuple | None]] = {}  # mergeable ones: role nodes, direct edge
        self.copied: set[str] = set()  # events of earlier articles whose description was copied
        self.mentions: set[str] = set()
        self.iri = functools.lru_cache(maxsize=4096)(terms.iri)  # vocabulary and actors repeat
        self.triples: dict[tuple, None] = {}  # insertion-ordered set
        self.labels: dict[str, str] = {}
        self.classes: dict[str, set[str]] = {}
        self.affiliations: dict[str, None] = {}
        self.states: dict[str, tuple[str, str] | None] = {}  # country code -> (state IRI, name)
        self.gazetteer: Gazetteer | None = None

    def add(self, node: str, prop: URIRef, value: object) -> None:
        self.triples[(self.iri(node), self.iri(str(prop)), value)] = None

    def link(self, node: str, prop: URIRef, other: str) -> None:
        self.add(node, prop, self.iri(other))

    def text(self, node: str, prop: URIRef, value: str | None) -> None:
        if value:
            self.add(node, prop, self.terms.literal(value))

    def label(self, node: str, value: str) -> None:
        self.labels.setdefault(node, value)
        self.add(node, RDFS.label, self.terms.literal(value))

    def typed(self, node: str, cls: str) -> None:
        self.classes.setdefault(node, set()).add(cls)
        self.link(node, RDF.type, cls)

    def build(self, article: Article, events: Iterable[Event], sentences: Sequence[str],
              gazetteer: Gazetteer) -> tuple[object, list]:
        name = vocab.article_iri(article.id)
        self.graph_name = name
        self.gazetteer = gazetteer
        self.article_node(name, article)
        for index, text in enumerate(sentences):
            self.sentence(article.id, index, text)
        for event in events:
            self.event(article, event, len(sentences))
        for node, classes in list(self.classes.items()):  # gazetteer actors: their Wikidata link
            if not classes & _ACTOR_CLASS_IRIS:
                continue
            entry = gazetteer.lookup(self.labels.get(node, ""))
            if entry and entry.wikidata and self.labels.get(node) == entry.name and str(KGO[entry.type]) in classes:
                self.link(node, OWL.sameAs, str(WIKIDATA[entry.wikidata]))
        # affiliations not mentioned as actors in this article: typed from the gazetteer when known;
        # twice, for the states the first ones act for
        for _ in range(2):
            for org in list(self.affiliations):
                if org not in self.classes:
                    self.unmentioned(org, gazetteer)
        self.remember_events()
        return self.iri(name), list(self.triples)

    def remember_events(self) -> None:
        """Give the index the description of each mergeable event this article describes, for
        later articles that report it (kg.graph.mentions)."""
        if not self.keyed:
            return
        by_subject: dict[object, list[tuple]] = {}
        for triple in self.triples:
            by_subject.setdefault(triple[0], []).append(triple)
        derived, kinds = self.iri(str(PROV.wasDerivedFrom)), {self.iri(str(RDF.type)), self.iri(str(RDFS.label))}
        for node, (roles, edge) in self.keyed.items():
            statements = [t for t in by_subject.get(self.iri(node), ()) if t[1] != derived]
            statements += [t for role in roles for t in by_subject.get(self.iri(role), ()) if t[1] in kinds]
            if edge is not None:
                statements.append(edge)
            self.index.remember(node, statements)

    def unmentioned(self, org: str, gazetteer: Gazetteer) -> None:
        """Type an organisation or state that no event of the article names, from the gazetteer."""
        entry = gazetteer.lookup(self.labels.get(org, ""))
        self.typed(org, str(KGO[entry.type] if entry else KGO.Actor))
        if entry and entry.country:
            self.text(org, KGO.country, entry.country)
            if entry.type == "State":  # its CAMEO code is its country's, as the extractor gives it
                self.text(org, KGO.cameoActorCode, entry.country)
            else:
                self.acts_for(org, entry.country)
        if entry and entry.wikidata:
            self.link(org, OWL.sameAs, str(WIKIDATA[entry.wikidata]))

    def article_node(self, node: str, article: Article) -> None:
        self.typed(node, str(KGO.Article))
        self.text(node, DCTERMS.identifier, article.id)
        self.text(node, DCTERMS.title, article.title)
        if article.date:
            self.add(node, DCTERMS.date, self.date(article.date))
        self.text(node, DCTERMS.source, article.source)
        if article.url:
            self.add(node, KGO.url, self.terms.typed(article.url, _XSD_ANYURI))

    def sentence(self, article_id: str, index: int, text: str) -> None:
        node = vocab.sentence_iri(article_id, index)
        self.typed(node, str(KGO.Sentence))
        self.link(node, DCTERMS.isPartOf, vocab.article_iri(article_id))
        self.add(node, KGO.sentenceIndex, self.terms.typed(str(index), _XSD_INTEGER))
        self.add(node, KGO.text, self.terms.literal(text))

    def actor(self, actor: Actor) -> str:
        """An actor node (typed actor) or a theme node (type None)."""
        node = actor.iri or vocab.actor_iri(actor.name, actor.type)
        self.label(node, actor.name)
        if actor.type is None:
            self.typed(node, str(KGO.Theme))
            return node
        self.typed(node, str(KGO[actor.type]))
        text = actor.text.strip()
        if text and text != actor.name and text.lower() not in _PRONOUNS:
            self.text(node, SKOS.altLabel, text)
        self.text(node, KGO.country, actor.country)
        self.text(node, KGO.role, actor.role)
        self.text(node, KGO.sector, actor.sector)
        self.text(node, KGO.cameoActorCode, actor.code)
        if actor.country:
            self.acts_for(node, actor.country)
        if actor.affiliation:
            org = vocab.actor_iri(actor.affiliation, "State")
            if org == node:
                return node
            self.link(node, KGO.affiliation, org)
            self.affiliations[org] = None
            self.label(org, actor.affiliation)
        return node

    def acts_for(self, node: str, country: str) -> None:
        """Link an actor to the state of its country (kgo:actsFor), when the gazetteer knows
        that state; a state node not mentioned as an actor is typed like an affiliation."""
        if country not in self.states:
            entry = self.gazetteer.state(country) if self.gazetteer is not None else None
            self.states[country] = (vocab.actor_iri(entry.name, "State"), entry.name) if entry else None
        state = self.states[country]
        if state is None or state[0] == node:
            return
        self.link(node, KGO.actsFor, state[0])
        if state[0] not in self.labels:
            self.label(state[0], state[1])
        self.affiliations[state[0]] = None

    def event(self, article: Article, event: Event, n_sentences: int) -> None:
        node = event.iri or vocab.event_iri(
            article.id, event.sentence_id, _name(event.subject), event.action,
            _name(event.object), _name(event.target), _name(event.theme))
        key, date = self.merge_key(event, article)
        if key is not None:
            node, describer = self.index.place(key, date, node, self.graph_name)
            if describer != self.graph_name or node in self.described:  # another report of a known event
                if node not in self.described and node not in self.copied:
                    self.copied.add(node)
                    for triple in self.index.description(node, describer):
                        self.triples[triple] = None
                self.mention(article, event, node, n_sentences)
                for actor in (event.subject, event.target or event.object):  # the key's two actors
                    self.actor(actor)
                return
        self.described.add(node)
        self.mention(article, event, node, n_sentences)
        self.typed(node, str(event_class(event)))
        self.text(node, RDFS.label, _event_label(event))
        self.text(node, KGO.action, event.action)
        roles = {}
        for prop, actor in ((KGO.source, event.subject), (KGO.target, event.target),
                            (KGO.object, event.object), (KGO.theme, event.theme),
                            (KGO.attributedTo, event.attributed_to)):
            if actor is not None:
                roles[prop] = self.actor(actor)
                self.link(node, prop, roles[prop])
        code = cameo.cameo_code(event.cameo) if event.cameo else None
        goldstein = event.goldstein if event.goldstein is not None else code and code.goldstein
        quad = event.quad_class if event.quad_class is not None else code and code.quad_class
        if code:
            self.text(node, KGO.cameoCode, code.code)
        if goldstein is not None:
            self.add(node, KGO.goldstein, self.terms.typed(str(Decimal(str(goldstein))), _XSD_DECIMAL))
        if quad is not None:
            self.add(node, KGO.quadClass, self.terms.typed(str(int(quad)), _XSD_INTEGER))
        self.add(node, KGO.negated, self.terms.typed("true" if event.negated else "false", _XSD_BOOLEAN))
        self.text(node, KGO.modality, event.modality)
        self.text(node, KGO.lexiconRow, event.lexicon)  # which lexicon row and rules generated the event
        for rule in event.rules:
            self.text(node, KGO.rule, rule)
        if event.date or article.date:
            self.add(node, KGO.date, self.date(event.date or article.date or ""))
        self.add(node, KGO.confidence, self.terms.typed(str(Decimal(str(event.confidence))), _XSD_DECIMAL))
        # direct edge: coded, asserted, not hypothetical
        other = roles.get(KGO.target) or roles.get(KGO.object) or roles.get(KGO.theme)
        edge = None
        if code and not event.negated and event.modality is None and other is not None \
                and event.subject is not None and event.subject.is_actor:
            self.link(roles[KGO.source], KGO[cameo.edge_property(code.code)], other)
            edge = (self.iri(roles[KGO.source]), self.iri(str(KGO[cameo.edge_property(code.code)])), self.iri(other))
        if key is not None:
            self.keyed[node] = (list(roles.values()), edge)

    def merge_key(self, event: Event, article: Article) -> tuple[tuple | None, str]:
        """The merge key (kg.graph.mentions) and date of an event record; (None, "") when it has none."""
        end = event.target or (event.object if event.object is not None and event.object.is_actor else None)
        date = merge_date(event.date or article.date)
        if not (event.cameo and date and event.subject is not None and event.subject.is_actor
                and end is not None and end.is_actor):
            return None, ""
        try:
            root = cameo.cameo_code(event.cameo).root
        except ValueError:
            return None, ""
        ends = [a.iri or vocab.actor_iri(a.name, a.type) for a in (event.subject, end)]
        return (ends[0], ends[1], root, bool(event.negated), event.modality or ""), date

    def mention(self, article: Article, event: Event, node: str, n_sentences: int) -> None:
        """One report of the event `node`: its sentence (prov:wasDerivedFrom of the event) and
        a kgo:Mention with that sentence, the article, this report's confidence and label."""
        if not 0 <= event.sentence_id < n_sentences:  # sentence list missing or shorter
            self.sentence(article.id, event.sentence_id, event.sentence)
        sentence = vocab.sentence_iri(article.id, event.sentence_id)
        self.link(node, PROV.wasDerivedFrom, sentence)
        mention = vocab.mention_iri(node, article.id, event.sentence_id)
        if mention in self.mentions:  # two records of one sentence: one mention
            return
        self.mentions.add(mention)
        self.typed(mention, str(KGO.Mention))
        self.link(mention, KGO.mentionOf, node)
        self.link(mention, KGO.inSentence, sentence)
        self.link(mention, KGO.inArticle, vocab.article_iri(article.id))
        self.add(mention, KGO.mentionConfidence,
                 self.terms.typed(str(Decimal(str(event.confidence))), _XSD_DECIMAL))
        self.text(mention, RDFS.label, _event_label(event))

    def date(self, value: str) -> object:
        """xsd:date for YYYY-MM-DD (time part dropped), xsd:gYearMonth / xsd:gYear for partial dates."""
        value = value.strip()
        try:
            return self.terms.typed(dt.date.fromisoformat(value[:10]).isoformat(), _XSD_DATE)
        except ValueError:
            pass
        if len(value) == 7 and value[:4].isdigit() and value[4] == "-" and value[5:].isdigit():
            return self.terms.typed(value, str(XSD.gYearMonth))
        if len(value) == 4 and value.isdigit():
            return self.terms.typed(value, str(XSD.gYear))
        return self.terms.literal(value)


def _event_label(event: Event) -> str:
    parts = [_name(event.subject) or "?", "not" if event.negated else "", event.action]
    other = event.target or event.object
    parts.append(_name(other) or "")
    label = " ".join(p for p in parts if p)
    if event.theme is not None and event.theme is not other:
        label += f" ({event.theme.name})"
    return label


# ---------------------------------------------------------------- helpers

def _bind(graph: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, replace=True)


def _name(actor: Actor | None) -> str | None:
    return actor.name if actor is not None else None


def _format_for(path: Path, error: type[Exception]) -> str:
    try:
        return SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        known = " ".join(sorted(SUFFIX_FORMATS))
        raise error(f"cannot tell the RDF format of {path} from its suffix "
                    f"{path.suffix or '(none)'!r}; use one of: {known}") from None
