"""networkx projection of the event graph, and summary statistics.

`to_networkx` turns every event with a source into one edge of a MultiDiGraph (key = event
IRI) from the source actor to the target, else the object, else the theme; nodes are those
actors and themes. `graph_stats` counts what the graph holds; `format_stats` prints it.
Attributes without a value are left out, so the result goes straight to `nx.write_graphml`.

Both work at the actor level (the default) or at the state level (`by="state"`): there every
actor that acts for a state (kgo:actsFor; for a graph without those links, the one state of
its kgo:country in the graph) is folded into that state, its events re-drawn between states,
as event data is read by country (GDELT's Actor1CountryCode/Actor2CountryCode).

Both read the graph with one SPARQL query that returns the schema's triples in long form
(subject, property, value), pivoted here: rdflib evaluates that far faster than one row per
event with a dozen OPTIONALs, and it works the same against a remote SPARQL store.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.cameo import ROOT_CLASSES
from kg.errors import KgError
from kg.model import ACTOR_TYPES as MODEL_ACTOR_TYPES
from kg.vocab import KGO

THEME = "Theme"
GENERIC_TYPES = frozenset({"Actor", "Event", "DiplomaticEvent"})
ACTOR_TYPES = frozenset(MODEL_ACTOR_TYPES) | {"Actor"}

# property -> short key used when pivoting the query rows
_PROPERTIES: dict[URIRef, str] = {
    KGO.source: "source", KGO.target: "target", KGO.object: "object", KGO.theme: "theme",
    KGO.action: "action", KGO.cameoCode: "cameo", KGO.quadClass: "quad_class",
    KGO.goldstein: "goldstein", KGO.date: "date", KGO.negated: "negated",
    KGO.modality: "modality", RDF.type: "type", RDFS.label: "label", KGO.country: "country",
    KGO.role: "role", PROV.wasDerivedFrom: "derived_from", KGO.text: "text",
    DCTERMS.isPartOf: "part_of", DCTERMS.title: "title", DCTERMS.identifier: "identifier",
    RDFS.subClassOf: "subclass_of", KGO.affiliation: "affiliation", KGO.url: "url",
    KGO.sector: "sector", KGO.cameoActorCode: "actor_code", KGO.actsFor: "acts_for",
    KGO.attributedTo: "attributed_to", DCTERMS.source: "publisher",
}
_MENTIONS = ("source", "target", "object", "theme", "attributed_to", "affiliation")  # how articles name actors
_QUERY = "SELECT ?s ?p ?o WHERE { VALUES ?p { %s } ?s ?p ?o }" % " ".join(
    f"<{p}>" for p in _PROPERTIES)
COMMUNITY_SEED = 42
COMMUNITY_MEMBERS_SHOWN = 8
_EDGE_FIELDS = ("action", "cameo", "quad_class", "goldstein", "date", "negated", "modality")
LEVELS = ("actor", "state")  # what a node of the projection is: each actor, or each state
PERIODS = ("week", "month")  # time steps of `dyad_periods`
MOST_REPORTED = 5  # events listed under "most reported events"

Facts = dict[str, dict[str, list[Any]]]  # subject IRI -> short key -> RDF terms


def local_name(iri: str) -> str:
    """'https://.../ontology#Consult' -> 'Consult'."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def to_networkx(graph: Graph | Dataset, *, by: str = "actor") -> nx.MultiDiGraph:
    """Project the RDF event graph onto actors/themes (nodes) and events (edges).

    With by="state", each actor that acts for a state becomes that state: its events keep their
    key and attributes and name the actors folded at their ends (`source_actor`,
    `target_actor`); a state node counts its `folded` actors and lists their labels in
    `members` (most events first, "; " between them)."""
    _check_level(by)
    facts = _facts(graph)
    net = _project(facts)
    return _fold(net, facts) if by == "state" else net


def filter_network(net: nx.MultiDiGraph, *, actors: Iterable[str] = (),
                   event_types: Iterable[str] = (), since: str | None = None,
                   until: str | None = None) -> nx.MultiDiGraph:
    """Events touching one of `actors` (label, case-insensitive, or IRI; at the state level
    also an actor folded into a state), of one of `event_types` (class name, CAMEO root class
    name or code prefix), dated within [since, until] (ISO); nodes left without events are
    dropped. No filter: a copy."""
    wanted = {a.casefold() for a in actors}
    types = {t.casefold() for t in event_types}

    def keep(u: str, v: str, data: dict[str, Any]) -> bool:
        if wanted and not any(n.casefold() in wanted or net.nodes[n]["label"].casefold() in wanted
                              for n in (u, v)) \
                and not any(data.get(end, "").casefold() in wanted for end in ("source_actor", "target_actor")):
            return False
        cameo = data.get("cameo", "")
        if types and not (data["event_type"].casefold() in types
                          or ROOT_CLASSES.get(cameo[:2], "").casefold() in types
                          or any(cameo.startswith(t) for t in types if t.isdigit())):
            return False
        date = data.get("date")
        return not ((since or until) and (date is None or (since and date < since)
                                          or (until and date[:len(until)] > until)))

    if not (wanted or types or since or until):
        return net.copy()
    out = nx.MultiDiGraph()
    for u, v, key, data in net.edges(keys=True, data=True):
        if keep(u, v, data):
            out.add_node(u, **net.nodes[u])
            out.add_node(v, **net.nodes[v])
            out.add_edge(u, v, key=key, **data)
    return out


def graph_stats(graph: Graph | Dataset, *, top: int = 10, by: str = "actor") -> dict[str, Any]:
    """Counts, actors by type, most central actors, communities, events by CAMEO root and
    the most cooperative and most conflictual dyads; with by="state", of the actors folded
    into the states they act for (then also `by` and the number of `folded_actors`)."""
    _check_level(by)
    facts = _facts(graph)
    net = _project(facts)
    types = {s: {str(t) for t in f.get("type", ())} for s, f in facts.items()}
    events = [s for s, f in facts.items() if "source" in f or "action" in f]
    actors = _actor_types(types, facts)
    level: dict[str, Any] = {}
    if by == "state":
        net = _fold(net, facts)
        states = _states_of(facts, actors)
        level = {"by": by, "folded_actors": len(states)}
        actors = {states.get(a, a): actors.get(states.get(a, a), "State") for a in actors}
    else:  # a state only there for the actors that act for it is no actor of the articles
        named = {str(v) for f in facts.values() for k in _MENTIONS for v in f.get(k, ())}
        rolled_up = {str(v) for f in facts.values() for v in f.get("acts_for", ())}
        actors = {a: t for a, t in actors.items() if a in named or a not in rolled_up}
    reports = [_reports(facts, e) for e in events]
    return {**level,
        "articles": sum(str(KGO.Article) in t for t in types.values()),
        "sentences": sum(str(KGO.Sentence) in t for t in types.values()),
        "events": len(events),
        "mentions": sum(r["mentions"] for r in reports),
        "events_reported_more_than_once": sum(r["mentions"] > 1 for r in reports),
        "most_reported_events": _most_reported(facts, events, reports),
        "diplomatic_events": sum("cameo" in facts[e] for e in events),
        "actors": len(actors),
        "themes": sum(str(KGO[THEME]) in t for t in types.values()),
        "actors_by_type": dict(sorted(Counter(actors.values()).items(),
                                      key=lambda kv: (-kv[1], kv[0]))),
        "top_actors": _top_actors(net, top),
        "communities": _communities(net),
        "events_by_root": _events_by_root(facts, events),
        "cooperative_dyads": _dyads(net, top, cooperative=True),
        "conflictual_dyads": _dyads(net, top, cooperative=False),
    }


def format_stats(stats: dict[str, Any]) -> str:
    """Plain-text report of `graph_stats` output."""
    lines = [f"{name + ':':<20} {stats[key]}" for key, name in (
        ("articles", "articles"), ("sentences", "sentences"), ("events", "events"),
        ("diplomatic_events", "diplomatic events"), ("actors", "actors"), ("themes", "themes"))]
    if stats.get("by") == "state":
        lines[4] += f" (at the state level: {_count(stats['folded_actors'], 'actor')} folded into their states)"
    if "mentions" in stats:
        lines.insert(3, f"{'mentions:':<20} {stats['mentions']} ({_count(stats['events_reported_more_than_once'], 'event')}"
                        " reported more than once)")
        lines += _section("most reported events (mentions, articles, sources)", (
            f"{e['label']}{' on ' + e['date'] if e.get('date') else ''}: {_count(e['mentions'], 'mention')},"
            f" {_count(e['articles'], 'article')}, {_count(e['sources'], 'source')}"
            for e in stats["most_reported_events"]))
    lines += _section("actors by type", (f"{t}: {n}" for t, n in stats["actors_by_type"].items()))
    lines += _section("most central actors (by events)", (
        f"{a['label']} ({a['type']}{_folded(a)}): {_count(a['degree'], 'event')}, {_count(a['partners'], 'partner')},"
        f" degree centrality {a['centrality']:.3f}, betweenness {a['betweenness']:.3f}"
        for a in stats["top_actors"]))
    lines += _section("communities (Louvain, actors linked by events)", (
        f"{i}. {c['size']} actors: {', '.join(c['members'][:COMMUNITY_MEMBERS_SHOWN])}"
        + (f", … ({c['size'] - COMMUNITY_MEMBERS_SHOWN} more)" if c["size"] > COMMUNITY_MEMBERS_SHOWN else "")
        for i, c in enumerate(stats["communities"], 1)))
    lines += _section("events by CAMEO root", (
        f"{r['code'] or '--'} {r['name']}: {r['count']}" for r in stats["events_by_root"]))
    for key, title in (("cooperative_dyads", "most cooperative dyads (Goldstein sum)"),
                       ("conflictual_dyads", "most conflictual dyads (Goldstein sum)")):
        lines += _section(title, (
            f"{d['source_label']} -> {d['target_label']}: {d['goldstein']:+.1f}"
            f" ({_count(d['events'], 'event')})" for d in stats[key]))
    return "\n".join(lines)


# --- reading the graph ---------------------------------------------------------------------

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


def _facts(graph: Graph | Dataset) -> Facts:
    facts: Facts = defaultdict(lambda: defaultdict(list))
    with _union_default(graph):
        for s, p, o in graph.query(_QUERY):  # type: ignore[misc]
            if isinstance(s, URIRef):
                facts[str(s)][_PROPERTIES[p]].append(o)
    return facts


def _first(facts: Facts, subject: Any, key: str) -> Any:
    """The (deterministically chosen) value of a property, None when absent."""
    values = facts.get(str(subject), {}).get(key) if subject is not None else None
    return min(values, key=str) if values else None


def _py(value: Any) -> Any:
    """RDF term -> str/int/float/bool scalar (dates as their ISO lexical form)."""
    if value is None or not isinstance(value, Literal):
        return None if value is None else str(value)
    py = value.toPython()
    if isinstance(py, Decimal):
        return float(py)
    return py if isinstance(py, (bool, int, float)) else str(value)


def _pick_type(iris: Iterable[Any], default: str) -> str:
    """Most specific ontology class local name among an entity's rdf:types."""
    kgo = sorted(local_name(str(i)) for i in iris if str(i).startswith(str(KGO)))
    specific = [n for n in kgo if n not in GENERIC_TYPES]
    return specific[0] if specific else (kgo[0] if kgo else default)


# --- projection ----------------------------------------------------------------------------

def _project(facts: Facts) -> nx.MultiDiGraph:
    edges = []
    for iri, f in facts.items():
        source = _first(facts, iri, "source")
        if source is None:
            continue
        end = next((v for k in ("target", "object", "theme") if (v := _first(facts, iri, k))), None)
        edges.append((iri, str(source), str(end) if end is not None else None, f))
    edges.sort(key=lambda e: (str(_first(facts, e[0], "date") or ""), e[0]))
    theme_ends = {str(v) for f in facts.values() if "source" in f for v in f.get("theme", ())}
    net = nx.MultiDiGraph()
    for iri, source, end, f in edges:
        for node in (source, end):
            if node is not None and node not in net:
                net.add_node(node, **_node_attrs(facts, node, node in theme_ends))
        if end is not None:
            net.add_edge(source, end, key=iri, **_edge_attrs(facts, iri))
    return net


def _node_attrs(facts: Facts, iri: str, theme_end: bool) -> dict[str, Any]:
    types = facts.get(iri, {}).get("type", [])
    is_theme = KGO[THEME] in types or (theme_end and not types)
    attrs = {"label": str(_first(facts, iri, "label") or local_name(iri)),
             "type": THEME if is_theme else _pick_type(types, default="Actor")}
    for key in ("country", "role", "sector", "actor_code"):
        if (value := _first(facts, iri, key)) is not None:
            attrs[key] = str(value)
    if (org := _first(facts, iri, "affiliation")) is not None:  # the state/organisation represented
        attrs["affiliation"] = str(org)
        attrs["affiliation_label"] = str(_first(facts, org, "label") or local_name(str(org)))
        attrs["affiliation_type"] = _pick_type(facts.get(str(org), {}).get("type", []), "Actor")
    return attrs


def _reports(facts: Facts, event: str) -> dict[str, int]:
    """How often an event is reported: mentions (sentences), articles, sources (publishers; an
    article without one is a source of its own), as GDELT's NumMentions/NumArticles/NumSources."""
    sentences = {str(s) for s in facts.get(event, {}).get("derived_from", ())}
    articles = {str(a) for s in sentences for a in facts.get(s, {}).get("part_of", ())}
    sources = {str(_first(facts, a, "publisher") or a) for a in articles}
    return {"mentions": max(len(sentences), 1), "articles": len(articles), "sources": len(sources)}


def _most_reported(facts: Facts, events: list[str], reports: list[dict[str, int]]) -> list[dict[str, Any]]:
    ranked = sorted((pair for pair in zip(events, reports) if pair[1]["mentions"] > 1),
                    key=lambda pair: (-pair[1]["mentions"], -pair[1]["articles"], pair[0]))
    return [{"iri": e, "label": str(_first(facts, e, "label") or local_name(e)),
             **({"date": str(d)} if (d := _first(facts, e, "date")) is not None else {}), **r}
            for e, r in ranked[:MOST_REPORTED]]


def _edge_attrs(facts: Facts, iri: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {"event_type": _pick_type(facts[iri].get("type", []), "Event")}
    attrs.update(_reports(facts, iri))
    for key in _EDGE_FIELDS:
        if (value := _py(_first(facts, iri, key))) is not None:
            attrs[key] = value
    attrs["negated"] = bool(attrs.get("negated", False))
    if "quad_class" in attrs:
        attrs["quad_class"] = int(attrs["quad_class"])
    if "cameo" in attrs:
        attrs["cameo"] = str(attrs["cameo"])
    sentence = _first(facts, iri, "derived_from")
    if (text := _first(facts, sentence, "text")) is not None:
        attrs["sentence"] = str(text)
    article = _first(facts, sentence, "part_of")
    for key, attr in (("title", "article_title"), ("identifier", "article_id"), ("url", "article_url")):
        if (value := _first(facts, article, key)) is not None:
            attrs[attr] = str(value)
    return attrs


# --- the state level -----------------------------------------------------------------------

def _check_level(by: str) -> None:
    if by not in LEVELS:
        raise KgError(f"unknown level {by!r}; use one of: {', '.join(LEVELS)}")


def _states_of(facts: Facts, nodes: Iterable[str]) -> dict[str, str]:
    """Node -> the state it acts for (kgo:actsFor, else the one kgo:State node of its country),
    for the nodes that are not themselves a state and have one."""
    state_class = KGO.State
    by_country: dict[str, list[str]] = defaultdict(list)
    for iri, f in facts.items():
        if state_class in f.get("type", ()) and (country := _first(facts, iri, "country")) is not None:
            by_country[str(country)].append(iri)
    states = {}
    for node in nodes:
        if state_class in facts.get(node, {}).get("type", ()):
            continue
        state = _first(facts, node, "acts_for")
        if state is None and (country := _first(facts, node, "country")) is not None:
            same = by_country.get(str(country), [])
            state = same[0] if len(same) == 1 else None
        if state is not None and str(state) != node:
            states[node] = str(state)
    return states


def _fold(net: nx.MultiDiGraph, facts: Facts) -> nx.MultiDiGraph:
    states = _states_of(facts, net.nodes)
    folded = nx.MultiDiGraph()
    members: dict[str, list[str]] = defaultdict(list)
    for node, attrs in net.nodes(data=True):
        state = states.get(node, node)
        if state not in folded:
            folded.add_node(state, **(attrs if state == node else _node_attrs(facts, state, False)))
        if state != node:
            members[state].append(node)
    for u, v, key, data in net.edges(keys=True, data=True):
        ends = {f"{side}_actor": net.nodes[n]["label"] for side, n in (("source", u), ("target", v))
                if n in states}
        folded.add_edge(states.get(u, u), states.get(v, v), key=key, **data, **ends)
    for state, nodes in members.items():
        nodes.sort(key=lambda n: (-_events(net, n), net.nodes[n]["label"], n))
        folded.nodes[state]["folded"] = len(nodes)
        folded.nodes[state]["members"] = "; ".join(net.nodes[n]["label"] for n in nodes)
    return folded


def _events(net: nx.MultiDiGraph, node: str) -> int:
    """The events a node takes part in (an event from a node to itself counts once)."""
    return net.degree(node) - net.number_of_edges(node, node)


# --- statistics ----------------------------------------------------------------------------

def _actor_types(types: dict[str, set[str]], facts: Facts) -> dict[str, str]:
    """Actor IRI -> its class local name (classes known here, or ⊑* kgo:Actor in the graph)."""
    actor_classes = {str(KGO[t]) for t in ACTOR_TYPES}
    changed = True
    while changed:  # transitive closure over rdfs:subClassOf, when the ontology is loaded
        new = {c for c, f in facts.items()
               if c not in actor_classes and any(str(p) in actor_classes
                                                 for p in f.get("subclass_of", ()))}
        actor_classes |= new
        changed = bool(new)
    return {s: _pick_type(ts, default="Actor") for s, ts in types.items() if ts & actor_classes}


def _actor_graph(net: nx.MultiDiGraph) -> nx.Graph:
    """Undirected actor–actor graph (themes left out), weighted by the number of events."""
    simple = nx.Graph()
    simple.add_nodes_from(n for n, t in net.nodes(data="type") if t != THEME)
    for u, v in net.edges():
        if u != v and u in simple and v in simple:
            weight = simple.get_edge_data(u, v, {"weight": 0})["weight"]
            simple.add_edge(u, v, weight=weight + 1)
    return simple


def _top_actors(net: nx.MultiDiGraph, top: int) -> list[dict[str, Any]]:
    simple = nx.DiGraph(net)
    centrality = nx.degree_centrality(simple) if len(simple) > 1 else {}
    # betweenness on the actor graph: who sits on the paths between other actors
    betweenness = nx.betweenness_centrality(_actor_graph(net)) if len(net) > 2 else {}
    partners = {n: len(set(simple.predecessors(n)) | set(simple.successors(n))) for n in simple}
    actors = [n for n, t in net.nodes(data="type") if t != THEME]
    actors.sort(key=lambda n: (-_events(net, n), -partners[n], net.nodes[n]["label"], n))
    return [{
        "iri": n, "label": net.nodes[n]["label"], "type": net.nodes[n]["type"],
        "degree": _events(net, n), "partners": partners[n],
        "centrality": round(centrality.get(n, 0.0), 4),
        "betweenness": round(betweenness.get(n, 0.0), 4),
        **({"folded": net.nodes[n]["folded"]} if "folded" in net.nodes[n] else {}),
    } for n in actors[:top]]


def _communities(net: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Louvain communities (fixed seed) of the actors that share at least one event,
    largest first; members ordered by their number of events."""
    simple = _actor_graph(net)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    if simple.number_of_edges() == 0:
        return []
    groups = nx.community.louvain_communities(simple, weight="weight", seed=COMMUNITY_SEED)
    ranked = [sorted(g, key=lambda n: (-net.degree(n), net.nodes[n]["label"], n)) for g in groups]
    ranked.sort(key=lambda g: (-len(g), net.nodes[g[0]]["label"]))
    return [{"size": len(g), "members": [net.nodes[n]["label"] for n in g], "iris": g}
            for g in ranked]


def _events_by_root(facts: Facts, events: list[str]) -> list[dict[str, Any]]:
    counts = Counter(str(_first(facts, e, "cameo") or "")[:2] for e in events)
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


def _folded(actor: dict[str, Any]) -> str:
    return f", {_count(actor['folded'], 'actor')} folded in" if actor.get("folded") else ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _section(title: str, items: Iterable[str]) -> list[str]:
    body = [f"  {item}" for item in items]
    return ["", f"{title}:", *(body or ["  (none)"])]


# --- over time -----------------------------------------------------------------------------

def period_of(date: str, period: str) -> str | None:
    """The week ('2024-W11', ISO 8601) or month ('2024-03') of an ISO date; None when the
    date is too partial for it (a month has no week; a year has neither)."""
    import datetime as dt

    if period == "month":
        return date[:7] if len(date) >= 7 and date[4] == "-" else None
    try:
        year, week, _ = dt.date.fromisoformat(date[:10]).isocalendar()
    except ValueError:
        return None
    return f"{year}-W{week:02d}"


def dyad_periods(graph: Graph | Dataset | nx.MultiDiGraph, period: str = "month", *,
                 by: str = "actor") -> dict[str, Any]:
    """The cooperation/conflict balance of each directed dyad per week or month: factual
    events (not negated, not hypothetical) with a CAMEO quad class, counted as cooperation
    (quad classes 1-2) or conflict (3-4), with their mentions and Goldstein sum; rows by
    period, then by number of events. Undated (or too partially dated) events are counted
    apart."""
    if period not in PERIODS:
        raise KgError(f"unknown period {period!r}; use one of: {', '.join(PERIODS)}")
    net = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph, by=by)
    cells: dict[tuple[str, str, str], dict[str, Any]] = {}
    undated = 0
    for u, v, data in net.edges(data=True):
        if net.nodes[v]["type"] == THEME or not data.get("quad_class") or data.get("negated") or data.get("modality"):
            continue
        step = period_of(str(data["date"]), period) if data.get("date") else None
        if step is None:
            undated += 1
            continue
        cell = cells.setdefault((step, u, v), {"period": step, "source": u, "target": v,
                                               "source_label": net.nodes[u]["label"],
                                               "target_label": net.nodes[v]["label"], "events": 0,
                                               "mentions": 0, "cooperation": 0, "conflict": 0, "goldstein": 0.0})
        cell["events"] += 1
        cell["mentions"] += int(data.get("mentions", 1))
        cell["cooperation" if data["quad_class"] <= 2 else "conflict"] += 1
        cell["goldstein"] = round(cell["goldstein"] + float(data.get("goldstein", 0.0)), 2)
    rows = sorted(cells.values(), key=lambda c: (c["period"], -c["events"], c["source_label"], c["target_label"],
                                                 c["source"], c["target"]))
    for row in rows:
        row["balance"] = row["cooperation"] - row["conflict"]
    return {"period": period, "rows": rows, "undated_events": undated}


def format_periods(table: dict[str, Any]) -> str:
    """Plain-text table of `dyad_periods`: a line per period and dyad."""
    rows = table["rows"]
    head = (f"cooperation and conflict by {table['period']}, per dyad (factual events with a CAMEO code;"
            " balance = cooperation - conflict)")
    if not rows:
        return head + "\n  (no dated events)" + _undated(table)
    dyads = [f"{r['source_label']} -> {r['target_label']}" for r in rows]
    width = max(len("dyad"), *(len(d) for d in dyads))
    step = max(len("period"), *(len(r["period"]) for r in rows))
    lines = [head, f"{'period':<{step}}  {'dyad':<{width}}  events  mentions  cooperation  conflict  balance  goldstein"]
    for row, dyad in zip(rows, dyads):
        lines.append(f"{row['period']:<{step}}  {dyad:<{width}}  {row['events']:>6}  {row['mentions']:>8}"
                     f"  {row['cooperation']:>11}  {row['conflict']:>8}  {row['balance']:>+7}  {row['goldstein']:>+9.1f}")
    return "\n".join(lines) + _undated(table)


def _undated(table: dict[str, Any]) -> str:
    n = table["undated_events"]
    return f"\n({_count(n, 'event')} without a {table['period']} left out)" if n else ""
