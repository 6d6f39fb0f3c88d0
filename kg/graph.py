"""RDF graph building: articles and their events -> an rdflib Dataset (one named graph per article).

Schema: docs/ARCHITECTURE.md ("The RDF graph"); ontology: ontology/kg.ttl + cameo-events.ttl.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg import cameo, vocab
from kg.extract.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from kg.errors import GraphLoadError, KgError
from kg.model import Actor, Article, ArticleResult, Event
from kg.vocab import KGO, KGR, WIKIDATA

PREFIXES: dict[str, Namespace] = {
    "kgo": KGO, "kgr": KGR, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS, "owl": OWL, "wd": WIKIDATA,
}

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
                sentences: Sequence[str], gazetteer: Gazetteer | None = None) -> None:
    """Put one article, its sentences, actors, themes and events into its named graph.

    Re-adding an article replaces its named graph, so nothing is duplicated. Actors known to
    the gazetteer (default: the built-in one) get its Wikidata link as owl:sameAs.
    """
    gazetteer = gazetteer or load_gazetteer()
    name = URIRef(vocab.article_iri(article.id))
    ds.remove_graph(name)
    g = ds.graph(name)
    _add_article_node(g, name, article)
    for index, text in enumerate(sentences):
        _add_sentence(g, article.id, index, text)
    for event in events:
        _add_event(g, article, event, len(sentences))
    for node in set(g.subjects(RDF.type, None)):  # gazetteer actors: their Wikidata link
        entry = gazetteer.lookup(str(g.value(node, RDFS.label) or ""))
        if entry and entry.wikidata and _is_entry(g, node, entry):
            g.add((node, OWL.sameAs, WIKIDATA[entry.wikidata]))
    # affiliations not mentioned as actors in this article: typed from the gazetteer when known
    for org in set(g.objects(None, KGO.affiliation)):
        if (org, RDF.type, None) not in g:
            entry = gazetteer.lookup(str(g.value(org, RDFS.label) or ""))
            g.add((org, RDF.type, KGO[entry.type] if entry else KGO.Actor))
            if entry and entry.country:
                g.add((org, KGO.country, Literal(entry.country)))
            if entry and entry.wikidata:
                g.add((org, OWL.sameAs, WIKIDATA[entry.wikidata]))


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
    data = serialize(ds, rdf_format(fmt) if fmt else _format_for(path, KgError))
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise KgError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise KgError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


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

def _add_article_node(g: Graph, node: URIRef, article: Article) -> None:
    g.add((node, RDF.type, KGO.Article))
    g.add((node, DCTERMS.identifier, Literal(article.id)))
    _opt(g, node, DCTERMS.title, article.title)
    if article.date:
        g.add((node, DCTERMS.date, _date(article.date)))
    _opt(g, node, DCTERMS.source, article.source)
    if article.url:
        g.add((node, KGO.url, Literal(article.url, datatype=XSD.anyURI)))


def _add_sentence(g: Graph, article_id: str, index: int, text: str) -> URIRef:
    node = URIRef(vocab.sentence_iri(article_id, index))
    g.add((node, RDF.type, KGO.Sentence))
    g.add((node, DCTERMS.isPartOf, URIRef(vocab.article_iri(article_id))))
    g.add((node, KGO.sentenceIndex, Literal(index)))
    g.add((node, KGO.text, Literal(text)))
    return node


def _add_actor(g: Graph, actor: Actor) -> URIRef:
    """An actor node (typed actor) or a theme node (type None)."""
    node = URIRef(actor.iri or vocab.actor_iri(actor.name, actor.type))
    g.add((node, RDFS.label, Literal(actor.name)))
    if actor.type is None:
        g.add((node, RDF.type, KGO.Theme))
        return node
    g.add((node, RDF.type, KGO[actor.type]))
    text = actor.text.strip()
    if text and text != actor.name and text.lower() not in _PRONOUNS:
        g.add((node, SKOS.altLabel, Literal(text)))
    _opt(g, node, KGO.country, actor.country)
    _opt(g, node, KGO.role, actor.role)
    if actor.affiliation:
        org = URIRef(vocab.actor_iri(actor.affiliation, "State"))
        if org == node:
            return node
        g.add((node, KGO.affiliation, org))
        g.add((org, RDFS.label, Literal(actor.affiliation)))
    return node


def _add_event(g: Graph, article: Article, event: Event, n_sentences: int) -> URIRef:
    node = URIRef(event.iri or vocab.event_iri(
        article.id, event.sentence_id, _name(event.subject), event.action,
        _name(event.object), _name(event.target), _name(event.theme)))
    g.add((node, RDF.type, event_class(event)))
    g.add((node, RDFS.label, Literal(_event_label(event))))
    g.add((node, KGO.action, Literal(event.action)))
    sentence = URIRef(vocab.sentence_iri(article.id, event.sentence_id))
    if not 0 <= event.sentence_id < n_sentences:  # sentence list missing or shorter
        _add_sentence(g, article.id, event.sentence_id, event.sentence)
    g.add((node, PROV.wasDerivedFrom, sentence))
    roles = {}
    for prop, actor in ((KGO.source, event.subject), (KGO.target, event.target),
                        (KGO.object, event.object), (KGO.theme, event.theme),
                        (KGO.attributedTo, event.attributed_to)):
        if actor is not None:
            roles[prop] = _add_actor(g, actor)
            g.add((node, prop, roles[prop]))
    code = cameo.cameo_code(event.cameo) if event.cameo else None
    goldstein = event.goldstein if event.goldstein is not None else code and code.goldstein
    quad = event.quad_class if event.quad_class is not None else code and code.quad_class
    if code:
        g.add((node, KGO.cameoCode, Literal(code.code)))
    if goldstein is not None:
        g.add((node, KGO.goldstein, Literal(Decimal(str(goldstein)))))
    if quad is not None:
        g.add((node, KGO.quadClass, Literal(int(quad))))
    g.add((node, KGO.negated, Literal(bool(event.negated))))
    _opt(g, node, KGO.modality, event.modality)
    if event.date or article.date:
        g.add((node, KGO.date, _date(event.date or article.date or "")))
    g.add((node, KGO.confidence, Literal(Decimal(str(event.confidence)))))
    # direct edge: coded, asserted, not hypothetical
    other = roles.get(KGO.target) or roles.get(KGO.object) or roles.get(KGO.theme)
    if code and not event.negated and event.modality is None and other is not None \
            and event.subject is not None and event.subject.is_actor:
        g.add((roles[KGO.source], KGO[cameo.edge_property(code.code)], other))
    return node


def _event_label(event: Event) -> str:
    parts = [_name(event.subject) or "?", "not" if event.negated else "", event.action]
    other = event.target or event.object
    parts.append(_name(other) or "")
    label = " ".join(p for p in parts if p)
    if event.theme is not None and event.theme is not other:
        label += f" ({event.theme.name})"
    return label


# ---------------------------------------------------------------- helpers

def _is_entry(g: Graph, node: URIRef, entry: GazetteerEntry) -> bool:
    """Whether an actor node is the gazetteer entry itself: same name and same actor class
    (a person named Jordan is not the state)."""
    return (str(g.value(node, RDFS.label)) == entry.name and (node, RDF.type, KGO[entry.type]) in g)


def _bind(graph: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, replace=True)


def _opt(g: Graph, node: URIRef, prop: URIRef, value: str | None) -> None:
    if value:
        g.add((node, prop, Literal(value)))


def _name(actor: Actor | None) -> str | None:
    return actor.name if actor is not None else None


def _date(value: str) -> Literal:
    """xsd:date for YYYY-MM-DD (time part dropped), xsd:gYearMonth / xsd:gYear for partial dates."""
    value = value.strip()
    try:
        return Literal(dt.date.fromisoformat(value[:10]).isoformat(), datatype=XSD.date)
    except ValueError:
        pass
    if len(value) == 7 and value[:4].isdigit() and value[4] == "-" and value[5:].isdigit():
        return Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4 and value.isdigit():
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _format_for(path: Path, error: type[Exception]) -> str:
    try:
        return SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        known = " ".join(sorted(SUFFIX_FORMATS))
        raise error(f"cannot tell the RDF format of {path} from its suffix "
                    f"{path.suffix or '(none)'!r}; use one of: {known}") from None
