"""The event table: one row per event, in the columns an analyst of GDELT, ICEWS or POLECAT
event data expects, as CSV / TSV text or a pandas DataFrame.

Rows come from extraction results (`ArticleResult`s or bare `Event`s) or from a graph (an
rdflib Graph/Dataset, or a kg store), with the same columns and values either way:

    event_id        the event's id (its IRI is kgr:event/<event_id>)
    event_date      the event's date, else the article's (YYYY-MM-DD; YYYY-MM or YYYY when partial)
    pub_date        the article's publication date
    source_name     the source actor (the subject): name, ISO 3166-1 alpha-3 country,
    source_country    CAMEO sector ("GOV", "MIL", ...) and CAMEO actor code ("RUSGOV")
    source_sector
    source_code
    target_name     the target actor (the target, else an object that is an actor), likewise
    target_country
    target_sector
    target_code
    cameo_code      the CAMEO event code ("040", "0231")
    root_code       its two-digit root ("04")
    quad_class      1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    goldstein       the Goldstein scale value of the code (-10 to 10)
    negated         true when the text says the act did not happen
    modality        "intended", "conditional", "uncertain" or "failed" when not asserted as done
    attributed_to   who the text attributes the event to ("according to ...")
    num_mentions    sentences reporting the event (1 per extracted record)
    confidence      the extractor's confidence, 0 to 1
    sentence        the sentence the event was read from
    article_id      the article's id
    url             the article's URL
    publisher       the article's source (publisher)

Codes are text everywhere: CSV quotes every text cell (numbers, `true`/`false` and empty
cells are bare), and `read_event_table` / `events_frame` give pandas the dtypes, so `040`
never becomes `40`. Events without a CAMEO code (`cameo: null`) are left out unless
`include_all`. From a graph, an actor's cells are those of its node (kgo:country, kgo:sector,
kgo:cameoActorCode; the smallest value when a node has several).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg._lazy import require_pandas
from kg.errors import KgError
from kg.graph.mentions import date_text
from kg.model import Actor, ArticleResult, Article, Event
from kg.vocab import sparql_prefixes

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "pub_date",
    "source_name", "source_country", "source_sector", "source_code",
    "target_name", "target_country", "target_sector", "target_code",
    "cameo_code", "root_code", "quad_class", "goldstein", "negated", "modality", "attributed_to",
    "num_mentions", "confidence", "sentence", "article_id", "url", "publisher",
)
TABLE_FORMATS: tuple[str, ...] = ("csv", "tsv")
DATE_COLUMNS: tuple[str, ...] = ("event_date", "pub_date")
# pandas dtypes of the columns (dates are read as text, then made datetime64 by `_as_frame`)
DTYPES: dict[str, str] = {
    **{name: "string" for name in COLUMNS},
    "quad_class": "Int64", "goldstein": "float64", "negated": "boolean",
    "num_mentions": "Int64", "confidence": "float64",
}

EVENT_COLUMNS = COLUMNS  # the name `kg` exports

Row = dict[str, Any]


# ---------------------------------------------------------------- rows from events

def event_rows(items: Iterable[ArticleResult | Event], include_all: bool = False) -> Iterator[Row]:
    """Table rows (dicts keyed by COLUMNS) of extraction results or bare events, in order;
    events without a CAMEO code only when `include_all`."""
    for item in items:
        if isinstance(item, ArticleResult):
            for event in item.events:
                if include_all or event.cameo:
                    yield event_row(event, item.article)
        elif isinstance(item, Event):
            if include_all or item.cameo:
                yield event_row(item)
        else:
            raise KgError(f"cannot make event rows of {type(item).__name__}: "
                          "give ArticleResults, Events, a graph or a store")


def event_row(event: Event, article: Article | None = None) -> Row:
    """The table row of one event; `article` gives the publication date, URL and publisher."""
    from kg import vocab

    code = _cameo(event.cameo)
    goldstein = event.goldstein if event.goldstein is not None else code.goldstein if code else None
    quad = event.quad_class if event.quad_class is not None else code.quad_class if code else None
    target = event.target or (event.object if event.object is not None and event.object.is_actor else None)
    names = [a.name if a is not None else None for a in (event.subject, event.object, event.target, event.theme)]
    iri = event.iri or vocab.event_iri(event.article_id, event.sentence_id, names[0], event.action, *names[1:])
    pub_date = date_text(article.date) if article is not None else None
    return {
        "event_id": _event_id(iri),
        "event_date": date_text(event.date) or pub_date,
        "pub_date": pub_date,
        **_actor_cells("source", event.subject),
        **_actor_cells("target", target),
        "cameo_code": code.code if code else event.cameo or None,
        "root_code": (code.code if code else event.cameo or "")[:2] or None,
        "quad_class": int(quad) if quad is not None else None,
        "goldstein": float(goldstein) if goldstein is not None else None,
        "negated": bool(event.negated),
        "modality": event.modality or None,
        "attributed_to": event.attributed_to.name if event.attributed_to is not None else None,
        "num_mentions": 1,
        "confidence": float(event.confidence),
        "sentence": _one_line(event.sentence),
        "article_id": event.article_id,
        "url": article.url if article is not None else None,
        "publisher": article.source if article is not None else None,
    }


def _actor_cells(role: str, actor: Actor | None) -> Row:
    if actor is None:
        return {f"{role}_name": None, f"{role}_country": None, f"{role}_sector": None, f"{role}_code": None}
    return {f"{role}_name": actor.name, f"{role}_country": actor.country or None,
            f"{role}_sector": actor.sector or None, f"{role}_code": actor.code or None}


def _cameo(code: str | None):
    from kg.cameo import cameo_code

    if not code:
        return None
    try:
        return cameo_code(code)
    except ValueError:
        return None


def _event_id(iri: str) -> str:
    """The id part of an event IRI (kgr:event/<id>), or the IRI itself when minted otherwise."""
    from kg.vocab import KGR

    prefix = f"{KGR}event/"
    return iri[len(prefix):] if iri.startswith(prefix) and len(iri) > len(prefix) else iri


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


# ---------------------------------------------------------------- rows from a graph

_GRAPH_QUERY = sparql_prefixes("kgo", "rdfs", "prov", "dcterms") + """
SELECT ?e ?date ?pub ?s ?sc ?ss ?sa ?t1 ?t ?tc ?ts ?ta ?o1 ?o ?oc ?os ?oa ?cameo ?quad ?goldstein ?negated ?modality ?by ?confidence
       ?sentence ?n ?text ?aid ?url ?publisher
WHERE {
  ?e kgo:action ?action ; prov:wasDerivedFrom ?sentence .
  ?sentence kgo:sentenceIndex ?n ; dcterms:isPartOf ?article .
  OPTIONAL { ?sentence kgo:text ?text }
  OPTIONAL { ?article dcterms:identifier ?aid }
  OPTIONAL { ?article dcterms:date ?pub }
  OPTIONAL { ?article kgo:url ?url }
  OPTIONAL { ?article dcterms:source ?publisher }
  OPTIONAL { ?e kgo:date ?date }
  OPTIONAL { ?e kgo:source ?src OPTIONAL { ?src rdfs:label ?s } OPTIONAL { ?src kgo:country ?sc }
             OPTIONAL { ?src kgo:sector ?ss } OPTIONAL { ?src kgo:cameoActorCode ?sa } }
  OPTIONAL { ?e kgo:target ?t1 OPTIONAL { ?t1 rdfs:label ?t } OPTIONAL { ?t1 kgo:country ?tc }
             OPTIONAL { ?t1 kgo:sector ?ts } OPTIONAL { ?t1 kgo:cameoActorCode ?ta } }
  OPTIONAL { ?e kgo:object ?o1 FILTER NOT EXISTS { ?o1 a kgo:Theme }
             OPTIONAL { ?o1 rdfs:label ?o } OPTIONAL { ?o1 kgo:country ?oc }
             OPTIONAL { ?o1 kgo:sector ?os } OPTIONAL { ?o1 kgo:cameoActorCode ?oa } }
  OPTIONAL { ?e kgo:cameoCode ?cameo }
  OPTIONAL { ?e kgo:quadClass ?quad }
  OPTIONAL { ?e kgo:goldstein ?goldstein }
  OPTIONAL { ?e kgo:negated ?negated }
  OPTIONAL { ?e kgo:modality ?modality }
  OPTIONAL { ?e kgo:attributedTo/rdfs:label ?by }
  OPTIONAL { ?e kgo:confidence ?confidence }
}
"""


def graph_rows(graph: Any, include_all: bool = False) -> list[Row]:
    """Table rows of the events in an rdflib Graph/Dataset or a kg store, ordered by article
    id, sentence and event id; events without a CAMEO code only when `include_all`.

    An event reported by several sentences is one row: `num_mentions` counts them and the
    first (by article id and sentence number) gives the sentence and article columns.
    """
    found: dict[str, dict[str, Any]] = {}
    for term in _graph_terms(graph):
        if not include_all and term["cameo"] is None:
            continue
        event = found.setdefault(str(term["e"]), {"mentions": {}, "cells": {}})
        mention = (_text(term["aid"]) or "", _integer(term["n"]) or 0)
        event["mentions"].setdefault(mention, (term["sentence"], term))
        cells = event["cells"]
        for column, value in _graph_cells(term).items():  # the smallest value when a node has several
            if value is not None and (cells.get(column) is None or str(value) < str(cells[column])):
                cells[column] = value
    keyed = []
    for iri, event in found.items():
        first = min(event["mentions"])
        term = event["mentions"][first][1]
        cells = event["cells"]
        code = _text(cells.get("cameo_code"))
        keyed.append(((*first, iri), {
            "event_id": _event_id(iri),
            "event_date": cells.get("event_date") or cells.get("pub_date"),
            "pub_date": cells.get("pub_date"),
            **{f"{role}_{part}": cells.get(f"{role}_{part}")
               for role in ("source", "target") for part in ("name", "country", "sector", "code")},
            "cameo_code": code,
            "root_code": code[:2] if code else None,
            "quad_class": cells.get("quad_class"),
            "goldstein": cells.get("goldstein"),
            "negated": bool(cells.get("negated", False)),
            "modality": cells.get("modality"),
            "attributed_to": cells.get("attributed_to"),
            "num_mentions": len({s for s, _ in event["mentions"].values()}),
            "confidence": cells.get("confidence"),
            "sentence": _one_line(_text(term["text"])),
            "article_id": _text(term["aid"]),
            "url": _text(term["url"]),
            "publisher": _text(term["publisher"]),
        }))
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def _graph_terms(graph: Any) -> Iterator[dict[str, Any]]:
    """The solutions of `_GRAPH_QUERY` (variable -> term, None where unbound): from a store by
    its SPARQL engine; from an rdflib graph by walking its statements, the same solutions
    (rdflib's engine takes seconds on the optional patterns of a few thousand events)."""
    from rdflib import Graph

    if not isinstance(graph, Graph):
        from kg.query import run_query

        result = run_query(graph, _GRAPH_QUERY)
        for values in result.rows:
            yield dict(zip(result.columns, values))
        return
    from rdflib import RDF, RDFS
    from rdflib.namespace import DCTERMS, PROV

    from kg.vocab import KGO

    def values(node: Any, prop: Any) -> list[Any]:  # an OPTIONAL's bindings: [None] when it has none
        found = list(graph.objects(node, prop)) if node is not None else []
        return found or [None]

    def actor(node: Any, keys: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        for name, country, sector, code in product(values(node, RDFS.label), values(node, KGO.country),
                                                   values(node, KGO.sector), values(node, KGO.cameoActorCode)):
            yield dict(zip(keys, (node, name, country, sector, code)))

    def actors(event: Any, prop: Any, keys: tuple[str, ...], themes: bool = True) -> list[dict[str, Any]]:
        nodes = [n for n in graph.objects(event, prop) if themes or (n, RDF.type, KGO.Theme) not in graph]
        return [t for n in nodes for t in actor(n, keys)] or [dict.fromkeys(keys)]

    for event in sorted(set(graph.subjects(KGO.action, None))):
        for sentence in graph.objects(event, PROV.wasDerivedFrom):
            for n, article in product(graph.objects(sentence, KGO.sentenceIndex), graph.objects(sentence, DCTERMS.isPartOf)):
                base = {"e": event, "sentence": sentence, "n": n}
                own = [values(sentence, KGO.text), values(article, DCTERMS.identifier), values(article, DCTERMS.date),
                       values(article, KGO.url), values(article, DCTERMS.source), values(event, KGO.date),
                       values(event, KGO.cameoCode), values(event, KGO.quadClass), values(event, KGO.goldstein),
                       values(event, KGO.negated), values(event, KGO.modality),
                       [b for a in graph.objects(event, KGO.attributedTo) for b in graph.objects(a, RDFS.label)] or [None],
                       values(event, KGO.confidence)]
                names = ("text", "aid", "pub", "url", "publisher", "date", "cameo", "quad", "goldstein", "negated",
                         "modality", "by", "confidence")
                for cells, src, tgt, obj in product(product(*own), actors(event, KGO.source, _SOURCE_KEYS),
                                                    actors(event, KGO.target, _TARGET_KEYS),
                                                    actors(event, KGO.object, _OBJECT_KEYS, themes=False)):
                    yield {**base, **dict(zip(names, cells)), **src, **tgt, **obj}


_SOURCE_KEYS = ("src", "s", "sc", "ss", "sa")
_TARGET_KEYS = ("t1", "t", "tc", "ts", "ta")
_OBJECT_KEYS = ("o1", "o", "oc", "os", "oa")


def _graph_cells(term: dict[str, Any]) -> Row:
    """The event-level cells of one result row (dates normalised, numbers as numbers)."""
    return {
        "event_date": date_text(_text(term["date"])),
        "pub_date": date_text(_text(term["pub"])),
        "source_name": _text(term["s"]), "source_country": _text(term["sc"]),
        "source_sector": _text(term["ss"]), "source_code": _text(term["sa"]),
        # the target, else an object that is an actor (not a theme)
        **{f"target_{part}": _text(term[t] if term["t1"] is not None else term[o])
           for part, t, o in (("name", "t", "o"), ("country", "tc", "oc"), ("sector", "ts", "os"), ("code", "ta", "oa"))},
        "cameo_code": _text(term["cameo"]),
        "quad_class": _integer(term["quad"]),
        "goldstein": _number(term["goldstein"]),
        "negated": _text(term["negated"]) in ("true", "1") if term["negated"] is not None else None,
        "modality": _text(term["modality"]),
        "attributed_to": _text(term["by"]),
        "confidence": _number(term["confidence"]),
    }


def _text(term: Any) -> str | None:
    return None if term is None else str(term)


def _integer(term: Any) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None


def _number(term: Any) -> float | None:
    try:
        return float(str(term)) if term is not None else None
    except ValueError:
        return None


# ---------------------------------------------------------------- rows from anything

def table_rows(source: Any, include_all: bool = False) -> list[Row]:
    """The event table's rows of `source`: a graph (rdflib Graph/Dataset), a kg store, where
    a graph is (the GRAPH of the CLI: an RDF file, a store directory or a SPARQL endpoint URL,
    as a str or Path), or extraction results / events (an ArticleResult, an Event, or an
    iterable of them)."""
    from rdflib import Graph

    from kg.graph.build import load_graph
    from kg.store import Store, open_store

    if isinstance(source, (Graph, Store)):
        return graph_rows(source, include_all)
    if isinstance(source, (str, PathLike)):
        if Path(source).is_file():  # read into rdflib, which the table walks fastest
            return graph_rows(load_graph(source), include_all)
        with open_store(source, read_only=True) as store:
            return graph_rows(store, include_all)
    if isinstance(source, (ArticleResult, Event)):
        source = [source]
    if isinstance(source, bytes) or not isinstance(source, Iterable):
        raise KgError(f"cannot make an event table of {type(source).__name__}: give a graph, a store, "
                      "where one is (a path or URL), ArticleResults or Events")
    return list(event_rows(source, include_all))


# ---------------------------------------------------------------- text

def format_header(fmt: str) -> str:
    """The header line (without its line break) of a 'csv' or 'tsv' event table."""
    return _line(dict(zip(COLUMNS, COLUMNS)), _check_format(fmt), header=True)


def format_row(row: Row, fmt: str) -> str:
    """One row of a 'csv' or 'tsv' event table, without its line break."""
    return _line(row, _check_format(fmt))


def format_event_table(rows: Iterable[Row], fmt: str) -> str:
    """A whole event table as text: the header, then a line per row ('\\n' line breaks)."""
    return "".join(line + "\n" for line in [format_header(fmt), *(format_row(r, fmt) for r in rows)])


def events_table(source: Any, fmt: str = "csv", include_all: bool = False) -> str:
    """The event table of a graph, a store, or extraction results / events as 'csv' or 'tsv'
    text (see `table_rows` for what `source` may be)."""
    _check_format(fmt)
    return format_event_table(table_rows(source, include_all), fmt)


def _check_format(fmt: str) -> str:
    if fmt not in TABLE_FORMATS:
        raise KgError(f"unknown event table format {fmt!r}; use one of: {', '.join(TABLE_FORMATS)}")
    return fmt


def _line(row: Row, fmt: str, header: bool = False) -> str:
    cells = (_cell(row.get(c), fmt, header) for c in COLUMNS)
    return ("," if fmt == "csv" else "\t").join(cells)


def _cell(value: Any, fmt: str, header: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if any(c in text for c in "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):  # one line a row, no tab in a cell
        text = " ".join(text.split())
    if fmt == "tsv" or (header and text.isidentifier()):  # TSV is never quoted
        return text
    return '"' + text.replace('"', '""') + '"'  # every text cell quoted: codes stay text


# ---------------------------------------------------------------- pandas

def events_frame(source: Any, include_all: bool = False) -> pd.DataFrame:
    """The event table of a graph, a store, or extraction results / events, as a pandas
    DataFrame: codes and names as strings, dates as datetime64, `negated` as boolean,
    `quad_class` and `num_mentions` as Int64 (see the module's docstring for the columns)."""
    pd = require_pandas()
    rows = table_rows(source, include_all)
    return _as_frame(pd.DataFrame(rows, columns=list(COLUMNS)), pd)


def read_event_table(path: Any, fmt: str | None = None) -> pd.DataFrame:
    """Read an event table written by `kg extract --format csv|tsv` back into a DataFrame with
    the dtypes of `events_frame` (format from `fmt`, else from the suffix: .tsv/.tab is TSV)."""
    pd = require_pandas()
    if fmt is None:
        fmt = "tsv" if str(path).lower().endswith((".tsv", ".tab")) else "csv"
    _check_format(fmt)
    frame = pd.read_csv(path, sep="," if fmt == "csv" else "\t", dtype=DTYPES,
                        keep_default_na=False, na_values=[""],  # "NA" is a name or code, not a gap
                        quoting=0 if fmt == "csv" else 3)  # csv.QUOTE_MINIMAL / QUOTE_NONE
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise KgError(f"{path}: not an event table (no column {', '.join(missing)})")
    return _as_frame(frame[list(COLUMNS)], pd)


def _as_frame(frame: pd.DataFrame, pd: Any) -> pd.DataFrame:
    """The frame with the table's dtypes (partial dates read as their first day)."""
    frame = frame.astype({c: t for c, t in DTYPES.items() if c not in DATE_COLUMNS})
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column].map(_full_date, na_action="ignore").astype("object"),
                                       errors="coerce", format="%Y-%m-%d").astype("datetime64[ns]")
    return frame


def _full_date(value: Any) -> str | None:
    """YYYY-MM-DD of a full or partial date (YYYY-MM: its first day; YYYY: 1 January)."""
    text = str(value).strip()
    if len(text) == 4 and text.isdigit():
        return f"{text}-01-01"
    if len(text) == 7 and text[:4].isdigit() and text[4] == "-" and text[5:].isdigit():
        return f"{text}-01"
    return text[:10]
