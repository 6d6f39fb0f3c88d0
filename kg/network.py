"""networkx projection of the event graph, and summary statistics.

`to_networkx` turns every event with a source into one edge of a MultiDiGraph (key = event
IRI) from the source actor to the target, else the object, else the theme; nodes are those
actors and themes. `graph_stats` counts what the graph holds; `format_stats` prints it.
Attributes without a value are left out, so the result can go straight to
`nx.write_graphml` / `nx.write_gexf`.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef

from kg.cameo import ROOT_CLASSES
from kg.vocab import KGO

THEME = "Theme"
GENERIC_TYPES = frozenset({"Actor", "Event", "DiplomaticEvent", "Agent", "Entity", "Thing"})
ACTOR_TYPES = ("State", "InternationalOrganization", "PoliticalOrganization", "ArmedGroup",
               "MediaOrganization", "Person", "Group", "Actor")

_PREFIXES = f"""
PREFIX kgo: <{KGO}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# One query, two kinds of rows: event rows (?event bound) and node-attribute rows (?node bound).
_PROJECTION_QUERY = _PREFIXES + """
SELECT DISTINCT ?event ?eventType ?source ?end ?endRole ?action ?cameo ?quad ?goldstein ?date
       ?negated ?modality ?sentence ?articleTitle ?articleId ?node ?p ?v
WHERE {
  {
    ?event kgo:source ?source .
    OPTIONAL { ?event rdf:type ?eventType }
    OPTIONAL { ?event kgo:target ?t }
    OPTIONAL { ?event kgo:object ?o }
    OPTIONAL { ?event kgo:theme ?th }
    BIND(COALESCE(?t, ?o, ?th) AS ?end)
    BIND(IF(BOUND(?t), "target", IF(BOUND(?o), "object", IF(BOUND(?th), "theme", ""))) AS ?endRole)
    OPTIONAL { ?event kgo:action ?action }
    OPTIONAL { ?event kgo:cameoCode ?cameo }
    OPTIONAL { ?event kgo:quadClass ?quad }
    OPTIONAL { ?event kgo:goldstein ?goldstein }
    OPTIONAL { ?event kgo:date ?date }
    OPTIONAL { ?event kgo:negated ?negated }
    OPTIONAL { ?event kgo:modality ?modality }
    OPTIONAL {
      ?event prov:wasDerivedFrom ?s .
      OPTIONAL { ?s kgo:text ?sentence }
      OPTIONAL {
        ?s dcterms:isPartOf ?article .
        OPTIONAL { ?article dcterms:title ?articleTitle }
        OPTIONAL { ?article dcterms:identifier ?articleId }
      }
    }
  } UNION {
    ?e kgo:source ?x .
    ?e kgo:source|kgo:target|kgo:object|kgo:theme ?node .
    ?node ?p ?v .
    FILTER(?p IN (rdf:type, rdfs:label, kgo:country, kgo:role))
  }
}
"""

_EVENT_FIELDS = {  # query variable -> edge attribute
    "action": "action", "cameo": "cameo", "quad": "quad_class", "goldstein": "goldstein",
    "date": "date", "negated": "negated", "modality": "modality", "sentence": "sentence",
    "articleTitle": "article_title", "articleId": "article_id",
}
_NODE_FIELDS = {"label": "label", "country": "country", "role": "role"}


def local_name(iri: str) -> str:
    """'https://.../ontology#Consult' -> 'Consult'."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def to_networkx(graph: Graph | Dataset) -> nx.MultiDiGraph:
    """Project the RDF event graph onto actors/themes (nodes) and events (edges)."""
    events: dict[str, dict[str, Any]] = {}
    event_types: dict[str, set[str]] = defaultdict(set)
    node_props: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _query(graph, _PROJECTION_QUERY):
        if row.event is not None:
            _merge_event_row(row, events, event_types)
        elif row.node is not None and isinstance(row.node, URIRef):
            key = local_name(str(row.p)) if row.p != _RDF_TYPE else "type"
            node_props[str(row.node)][key].add(str(row.v))

    out = nx.MultiDiGraph()
    theme_ends = {e["end"] for e in events.values() if e.get("end_role") == "theme"}
    for iri in sorted(events, key=lambda i: (str(events[i].get("date", "")), i)):
        ev = events[iri]
        ev["event_type"] = _pick_type(event_types[iri], default="Event")
        for node in (ev["source"], ev.get("end")):
            if node is not None and node not in out:
                out.add_node(node, **_node_attrs(node, node_props.get(node, {}), node in theme_ends))
        if ev.get("end") is None:
            continue
        attrs = {k: v for k, v in ev.items() if k not in ("source", "end", "end_role")}
        out.add_edge(ev["source"], ev["end"], key=iri, **attrs)
    return out


def graph_stats(graph: Graph | Dataset, *, top: int = 10) -> dict[str, Any]:
    """Counts, actors by type, top actors by degree, events by CAMEO root, extreme dyads."""
    net = to_networkx(graph)
    counts = {name: _count(graph, pattern) for name, pattern in _COUNT_PATTERNS.items()}
    actor_types = _actor_types(graph)
    return {
        **counts,
        "actors": len(actor_types),
        "actors_by_type": dict(Counter(actor_types.values()).most_common()),
        "top_actors": _top_actors(net, top),
        "events_by_root": _events_by_root(graph),
        "cooperative_dyads": _dyads(net, top, cooperative=True),
        "conflictual_dyads": _dyads(net, top, cooperative=False),
    }


def format_stats(stats: dict[str, Any]) -> str:
    """Plain-text report of `graph_stats` output."""
    lines = [
        f"articles:            {stats['articles']}",
        f"sentences:           {stats['sentences']}",
        f"events:              {stats['events']}",
        f"diplomatic events:   {stats['diplomatic_events']}",
        f"actors:              {stats['actors']}",
        f"themes:              {stats['themes']}",
    ]
    lines += _section("actors by type", (f"{t}: {n}" for t, n in stats["actors_by_type"].items()))
    lines += _section("top actors by degree", (
        f"{a['label']} ({a['type']}): {a['degree']} events, {a['partners']} partners,"
        f" centrality {a['centrality']:.3f}" for a in stats["top_actors"]))
    lines += _section("events by CAMEO root", (
        f"{r['code'] or '--'} {r['name']}: {r['count']}" for r in stats["events_by_root"]))
    for key, title in (("cooperative_dyads", "most cooperative dyads (Goldstein sum)"),
                       ("conflictual_dyads", "most conflictual dyads (Goldstein sum)")):
        lines += _section(title, (
            f"{d['source_label']} -> {d['target_label']}: {d['goldstein']:+.1f}"
            f" ({d['events']} events)" for d in stats[key]))
    return "\n".join(lines)


# --- helpers -----------------------------------------------------------------------------

_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_COUNT_PATTERNS = {
    "articles": "?x a kgo:Article .",
    "sentences": "?x a kgo:Sentence .",
    "events": "{ ?x kgo:source ?s } UNION { ?x kgo:action ?a }",
    "diplomatic_events": "?x kgo:cameoCode ?c .",
    "themes": "?x a kgo:Theme .",
}


@contextmanager
def _union_default(graph: Graph | Dataset) -> Iterator[None]:
    """Query a Dataset over all its named graphs even if it was made without default_union."""
    if isinstance(graph, Dataset) and not graph.default_union:
        graph.default_union = True
        try:
            yield
        finally:
            graph.default_union = False
    else:
        yield


def _query(graph: Graph | Dataset, sparql: str) -> list[Any]:
    with _union_default(graph):
        return list(graph.query(sparql))


def _count(graph: Graph | Dataset, pattern: str) -> int:
    rows = _query(graph, _PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0][0]) if rows else 0


def _py(value: Any) -> Any:
    """RDF term -> str/int/float/bool scalar (dates as ISO strings)."""
    if value is None:
        return None
    if not isinstance(value, Literal):
        return str(value)
    py = value.toPython()
    if isinstance(py, Literal):  # no Python mapping (e.g. xsd:gYearMonth): the lexical form
        return str(py)
    if isinstance(py, (bool, int, float, str)):
        return py
    if isinstance(py, Decimal):
        return float(py)
    if hasattr(py, "isoformat"):
        return py.isoformat()
    return str(value)


def _merge_event_row(row: Any, events: dict[str, dict[str, Any]],
                     event_types: dict[str, set[str]]) -> None:
    iri = str(row.event)
    ev = events.setdefault(iri, {"source": str(row.source), "negated": False})
    if row.end is not None and "end" not in ev:
        ev["end"], ev["end_role"] = str(row.end), str(row.endRole)
    if row.eventType is not None:
        event_types[iri].add(str(row.eventType))
    for var, attr in _EVENT_FIELDS.items():
        value = _py(row[var])
        if value is not None and (attr not in ev or attr == "negated"):
            ev[attr] = bool(value) if attr == "negated" else value
    if "quad_class" in ev:
        ev["quad_class"] = int(ev["quad_class"])
    if "cameo" in ev:
        ev["cameo"] = str(ev["cameo"])


def _pick_type(iris: Iterable[str], default: str) -> str:
    """Most specific ontology class local name among an entity's rdf:types."""
    kgo = [local_name(i) for i in iris if i.startswith(str(KGO))]
    specific = sorted(n for n in kgo if n not in GENERIC_TYPES)
    return specific[0] if specific else (sorted(kgo)[0] if kgo else default)


def _node_attrs(iri: str, props: dict[str, set[str]], theme_end: bool) -> dict[str, Any]:
    types = props.get("type", set())
    is_theme = str(KGO[THEME]) in types or (theme_end and not types)
    attrs: dict[str, Any] = {"type": THEME if is_theme else _pick_type(types, default="Actor")}
    for key, attr in _NODE_FIELDS.items():
        values = props.get(key)
        if values:
            attrs[attr] = sorted(values)[0]
    attrs.setdefault("label", local_name(iri))
    return attrs


def _actor_types(graph: Graph | Dataset) -> dict[str, str]:
    classes = " ".join(f"kgo:{t}" for t in ACTOR_TYPES)
    rows = _query(graph, _PREFIXES + f"""
        SELECT DISTINCT ?x ?t WHERE {{
          ?x a ?t .
          OPTIONAL {{ VALUES ?known {{ {classes} }} FILTER(?t = ?known) }}
          FILTER(BOUND(?known) || EXISTS {{ ?t rdfs:subClassOf+ kgo:Actor }})
        }}""")
    types: dict[str, set[str]] = defaultdict(set)
    for x, t in rows:
        types[str(x)].add(str(t))
    return {x: _pick_type(ts, default="Actor") for x, ts in types.items()}


def _top_actors(net: nx.MultiDiGraph, top: int) -> list[dict[str, Any]]:
    simple = nx.DiGraph(net)
    centrality = nx.degree_centrality(simple) if len(simple) > 1 else {}
    partners = {n: len(set(simple.predecessors(n)) | set(simple.successors(n))) for n in simple}
    actors = [n for n, t in net.nodes(data="type") if t != THEME]
    actors.sort(key=lambda n: (-net.degree(n), -partners[n], net.nodes[n]["label"], n))
    return [{
        "iri": n, "label": net.nodes[n]["label"], "type": net.nodes[n]["type"],
        "degree": net.degree(n), "partners": partners[n],
        "centrality": round(centrality.get(n, 0.0), 4),
    } for n in actors[:top]]


def _events_by_root(graph: Graph | Dataset) -> list[dict[str, Any]]:
    rows = _query(graph, _PREFIXES + """
        SELECT ?x (SAMPLE(?c) AS ?code) WHERE {
          { ?x kgo:source ?s } UNION { ?x kgo:action ?a }
          OPTIONAL { ?x kgo:cameoCode ?c }
        } GROUP BY ?x""")
    counts = Counter(str(code)[:2] if code is not None else "" for _, code in rows)
    return [{"code": c, "name": ROOT_CLASSES.get(c, f"CAMEO {c}") if c else "Event (no CAMEO code)",
             "count": n} for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _dyads(net: nx.MultiDiGraph, top: int, *, cooperative: bool) -> list[dict[str, Any]]:
    """Directed actor pairs ranked by summed Goldstein of factual (not negated/modal) events."""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    counts: Counter[tuple[str, str]] = Counter()
    for u, v, data in net.edges(data=True):
        if (net.nodes[v]["type"] == THEME or "goldstein" not in data
                or data.get("negated") or data.get("modality")):
            continue
        sums[(u, v)] += data["goldstein"]
        counts[(u, v)] += 1
    sign = 1 if cooperative else -1
    ranked = sorted((p for p in sums if sign * sums[p] > 0),
                    key=lambda p: (-sign * sums[p], net.nodes[p[0]]["label"], p))
    return [{"source": u, "target": v, "source_label": net.nodes[u]["label"],
             "target_label": net.nodes[v]["label"], "goldstein": round(sums[(u, v)], 2),
             "events": counts[(u, v)]} for u, v in ranked[:top]]


def _section(title: str, items: Iterable[str]) -> list[str]:
    body = [f"  {item}" for item in items]
    return ["", f"{title}:", *(body or ["  (none)"])]
