"""One event, many reports: which extracted records are mentions of one event.

News repeats itself (a headline and its lead, five outlets on one meeting). Records with the
same merge key are one event node with several mentions (kgo:Mention), as GDELT keeps
NumMentions / NumArticles / NumSources:

    key     source actor, target actor (the target, else an object that is an actor), CAMEO
            root, negated, modality: a denial or a plan is not the report of a deed
    date    the event's date, else its article's; two dates within MERGE_WINDOW_DAYS (one day)
            of the event's date are the same happening ("met on Monday" in Monday's article and
            an undated "met" in Tuesday's). Partial dates (YYYY-MM, YYYY) match only themselves.

A record without a source actor, a target actor, a CAMEO code or any date is an event of its
own. The event takes the IRI and the coding (class, code, Goldstein, label, confidence) of its
first report read, as GDELT's event record does; every report adds a mention node with its own
sentence, article, confidence and label, and the event's prov:wasDerivedFrom lists each
mention's sentence. Each article's named graph holds the whole event it reports (the first
report's description, copied: its statements, the labels and classes of its actors and its
direct edge), its own mentions and the event's link to their sentences, so a query of one
article's graph sees the events it reports. `EventIndex` remembers the events seen (of a build,
or read from a store before writing to it), so a later article, in the same build or an
incremental one, finds the event.
"""
from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from kg.vocab import sparql_prefixes

MERGE_WINDOW_DAYS = 1
DESCRIPTIONS_KEPT = 2_000  # events whose description is kept in memory (the most recent; others are read back)
MEMORY_EVENTS = 2_000  # events an index keeps in memory; a larger one is kept in a temporary file

Key = tuple[str, str, str, bool, str]  # source IRI, target IRI, CAMEO root, negated, modality ("" if none)


def date_text(value: str | None) -> str | None:
    """A date as the graph records it: YYYY-MM-DD (a time part dropped), else as written."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return value


def merge_date(value: str | None) -> str | None:
    """The date text a merge compares: YYYY-MM-DD of a full date (a time part dropped), a
    partial date as written, None when there is none (as the event table writes dates)."""
    return date_text(value)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


class EventIndex:
    """The mergeable events seen so far: key -> [(date, event IRI, IRI of the named graph that
    describes the event)], and the descriptions of those events.

    A build's index grows with its corpus (about 4 events an article), so it is kept in memory
    only up to MEMORY_EVENTS events and then moved to a private temporary file (`_Spill`, an
    SQLite database that is deleted when the index is): a long build's memory stays flat. The
    descriptions of the DESCRIPTIONS_KEPT events remembered or used last are kept in memory; the
    others go to that file. Which events merge, and what a copied description holds, are the
    same either way."""

    def __init__(self, window_days: int = MERGE_WINDOW_DAYS,
                 describe: Callable[[str, str], list] | None = None) -> None:
        self.window = window_days
        self._events: dict[Key, list[tuple[str, str, str]]] | None = {}  # None once they are in the file
        self._count = 0
        self._spill: _Spill | None = None
        self._descriptions: OrderedDict[str, list] = OrderedDict()
        self.describe = describe  # (event IRI, graph IRI) -> its description, read from where it is

    def remember(self, iri: str, statements: list) -> None:
        """Keep the statements that describe an event (see `description`)."""
        self._descriptions[iri] = statements
        self._descriptions.move_to_end(iri)
        if len(self._descriptions) > DESCRIPTIONS_KEPT:
            self._spilled().put_description(*self._descriptions.popitem(last=False))

    def description(self, iri: str, graph: str) -> list:
        """The statements of the first report that describe an event: kept (in memory or in
        the index's file), else read through `describe` from the graph or store, else none."""
        found = self._descriptions.get(iri)
        if found is None and self._spill is not None:
            found = self._spill.description(iri)
        if found is None and self.describe is not None:
            found = self.describe(iri, graph)
        if found is not None:
            self.remember(iri, found)
        return found or []

    def __len__(self) -> int:
        return self._count

    def find(self, key: Key, date: str) -> tuple[str, str] | None:
        """(event IRI, describing graph) of the event this key and date report, or None."""
        day = _day(date)
        best = None
        known = self._events.get(key, ()) if self._events is not None else self._spilled().events(key)
        for seen, iri, graph in known:
            if seen == date:
                distance = 0
            else:
                other = _day(seen)
                if day is None or other is None or abs((other - day).days) > self.window:
                    continue
                distance = abs((other - day).days)
            candidate = (distance, seen, iri, graph)
            if best is None or candidate < best:
                best = candidate
        return (best[2], best[3]) if best else None

    def add(self, key: Key, date: str, iri: str, graph: str) -> None:
        """Remember an event (its first report's date, IRI and article graph)."""
        self._count += 1
        if self._events is None:
            self._spilled().add_event(key, date, iri, graph)
            return
        self._events.setdefault(key, []).append((date, iri, graph))
        if self._count > MEMORY_EVENTS:  # from now on in the file
            spill = self._spilled()
            for known, events in self._events.items():
                for event in events:
                    spill.add_event(known, *event)
            self._events = None

    def _spilled(self) -> _Spill:
        if self._spill is None:
            self._spill = _Spill()
        return self._spill

    def place(self, key: Key, date: str, iri: str, graph: str) -> tuple[str, str]:
        """The event a report belongs to: a known one, else a new one with the report's IRI
        and graph. Returns (event IRI, IRI of the graph that describes it)."""
        found = self.find(key, date)
        if found is not None:
            return found
        self.add(key, date, iri, graph)
        return iri, graph

    @classmethod
    def of(cls, select: Callable[[str], Any], describe: Callable[[str, str], list] | None = None) -> EventIndex:
        """The mergeable events of a graph or store, read with one query: `select(sparql)` runs
        it there (`kg.graph.sparql.query_graph` on a Dataset, a store's own `query`)."""

        index = cls(describe=describe)
        seen: set[str] = set()
        for g, e, src, tgt, obj, code, date, negated, modality in select(_EVENTS_QUERY).rows:
            end = tgt if tgt is not None else obj
            if str(e) in seen or end is None or date is None or not str(code):
                continue
            seen.add(str(e))
            negative = str(negated) in ("true", "1") if negated is not None else False
            key = (str(src), str(end), str(code)[:2], negative, str(modality) if modality is not None else "")
            index.add(key, merge_date(str(date)) or "", str(e), str(g))
        return index


_EVENTS_QUERY = sparql_prefixes("kgo") + """SELECT ?g ?e ?src ?tgt ?obj ?code ?date ?negated ?modality WHERE {
  GRAPH ?g {
    ?e kgo:action ?action ; kgo:source ?src ; kgo:cameoCode ?code ; kgo:date ?date .
    FILTER NOT EXISTS { ?src a kgo:Theme }
    OPTIONAL { ?e kgo:target ?tgt }
    OPTIONAL { ?e kgo:object ?obj FILTER NOT EXISTS { ?obj a kgo:Theme } }
    OPTIONAL { ?e kgo:negated ?negated }
    OPTIONAL { ?e kgo:modality ?modality }
  }
} ORDER BY ?g ?e"""


class _Spill:
    """Where a large EventIndex keeps its events and the descriptions it does not hold in
    memory: a private temporary SQLite database (SQLite deletes its file when the connection
    closes), with a small page cache, so its memory does not grow with its contents."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -2048"):  # KiB of cache
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE events (key TEXT NOT NULL, date TEXT NOT NULL, iri TEXT NOT NULL, "
                         "graph TEXT NOT NULL)")
        self._db.execute("CREATE INDEX events_by_key ON events (key)")
        self._db.execute("CREATE TABLE descriptions (iri TEXT PRIMARY KEY, statements BLOB NOT NULL)")

    @staticmethod
    def _key(key: Key) -> str:
        return repr(key)

    def add_event(self, key: Key, date: str, iri: str, graph: str) -> None:
        self._db.execute("INSERT INTO events VALUES (?, ?, ?, ?)", (self._key(key), date, iri, graph))

    def events(self, key: Key) -> list[tuple[str, str, str]]:
        return self._db.execute("SELECT date, iri, graph FROM events WHERE key = ? ORDER BY rowid",
                                (self._key(key),)).fetchall()

    def put_description(self, iri: str, statements: list) -> None:
        self._db.execute("INSERT OR REPLACE INTO descriptions VALUES (?, ?)",
                         (iri, pickle.dumps(statements, protocol=pickle.HIGHEST_PROTOCOL)))

    def description(self, iri: str) -> list | None:
        row = self._db.execute("SELECT statements FROM descriptions WHERE iri = ?", (iri,)).fetchone()
        return pickle.loads(row[0]) if row is not None else None

    def __del__(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()


def description_query(event: str, graph: str) -> str:
    """SPARQL: the statements of `graph` that describe `event` (?s ?p ?o): its own (not its
    sentences), the classes and labels of its actors and themes, and its direct edge."""
    from kg.cameo import EDGE_PROPERTIES

    edges = " ".join(f"kgo:{p}" for p in sorted(set(EDGE_PROPERTIES.values())))
    e, g = f"<{event}>", f"<{graph}>"
    return sparql_prefixes("kgo", "prov", "rdf", "rdfs") + f"""SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{
  {{ {e} ?p ?o . BIND({e} AS ?s) FILTER(?p != prov:wasDerivedFrom) }}
  UNION {{ VALUES ?r {{ kgo:source kgo:target kgo:object kgo:theme kgo:attributedTo }} VALUES ?p {{ rdf:type rdfs:label }}
          {e} ?r ?s . ?s ?p ?o }}
  UNION {{ VALUES ?p {{ {edges} }} VALUES ?r {{ kgo:target kgo:object kgo:theme }} {e} kgo:source ?s ; ?r ?o . ?s ?p ?o }}
}} }}"""


def description_statements(rows: list[tuple], event: str, convert: Callable[[Any], Any]) -> list[tuple]:
    """The statements of `description_query`'s rows, as terms made by `convert`, keeping only
    the direct edge of the event itself (one of its root's property, when it is asserted)."""
    from kg.cameo import EDGE_PROPERTIES, edge_property
    from kg.vocab import KGO

    own = {str(p): str(o) for s, p, o in rows if str(s) == event}
    code, asserted = own.get(str(KGO.cameoCode)), own.get(str(KGO.negated)) in ("false", "0", None) \
        and str(KGO.modality) not in own
    try:
        edge = str(KGO[edge_property(code)]) if code and asserted else None
    except (KeyError, ValueError):
        edge = None
    edges = {str(KGO[p]) for p in EDGE_PROPERTIES.values()}
    return [(convert(s), convert(p), convert(o)) for s, p, o in rows
            if str(s) == event or str(p) not in edges or str(p) == edge]
