"""Interactive HTML network view (vis-network), one self-contained offline file.

Actors are nodes coloured by type and sized by how many events they take part in; the names
of the hubs (every name on a small view) are legible at the zoom the view opens at, their
text growing with their events, and the others show on hover, highlight or zoom. Themes are
short chips, hidden until the "themes" box is ticked. Hovering or clicking an actor shows its
type, role, country, CAMEO sector and actor code (and, in the state-level view of
`to_networkx(..., by="state")`, the actors folded into it); persons are linked (dotted grey)
to the state or organisation they represent. The events between an ordered pair of actors are aggregated into one edge,
coloured by the dominant CAMEO quad class, labelled by action and count, widened by the
number of reports of its events (mentions, kg.graph.mentions; the tooltip gives both counts),
dashed when every event on it is negated or hypothetical; hovering shows its events,
clicking lists each one (date, action, CAMEO class, Goldstein score, evidence sentence,
article) in the side panel, under the mean and sum of the Goldstein scores of its factual
events. Controls filter by actor name, event class, quad class and date range (typed, or
dragged across the time histogram of events per day, week, month or year); a filter refits
the view to what is left and refreshes or clears the side panel and the highlight.
Clicking a node highlights its neighbourhood. Physics lays the graph out, then stops.

The page is built from a JSON island by inlined JavaScript (vis-network's own file, shipped
with pyvis, is inlined too): no request leaves the page. vis-network's options are made with
pyvis's API (`network_options`); the page is kg's own template, not pyvis's (which fetches
Bootstrap from a CDN and does not escape): docs/VIEW.md says how the two differ. Article text is untrusted: the
script writes it with textContent only, labels are drawn on the canvas, and the JSON is
escaped so that no `</script>` can end the island.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment
from pyvis.network import Network
from pyvis.options import Layout
from rdflib import Dataset, Graph

from kg.cameo import QUAD_CLASS_NAMES, ROOT_CLASSES
from kg.files import write_atomic
from kg.views.network import THEME, to_networkx

DEFAULT_MAX_NODES = 300
TYPE_COLOURS = {
    "State": "#4e79a7", "InternationalOrganization": "#76b7b2", "PoliticalOrganization": "#b07aa1",
    "ArmedGroup": "#9c755f", "MediaOrganization": "#edc948", "Person": "#ff9da7",
    "Group": "#a0cbe8", "Actor": "#bab0ac", THEME: "#e8e8e8",
}
QUAD_COLOURS = {1: "#59a14f", 2: "#1b7837", 3: "#f28e2b", 4: "#d62728", 0: "#9e9e9e"}
QUAD_NAMES = {**QUAD_CLASS_NAMES, 0: "not a CAMEO event"}
AFFILIATION_COLOUR = "#8c8c8c"
NODE_LABEL_MAX = 40  # longer actor names are cut on the canvas; the tooltip has them whole
THEME_CHIP_MAX = 24  # a theme is drawn as a short chip (its first words); the tooltip has it whole
LABEL_ALL_MAX = 40  # up to this many actors (or themes) every label is legible at the default zoom
HUBS_MAX = 40  # on a bigger view, only the most connected this many are (and the rest on hover or zoom)
EDGE_LABELS_MAX = 400  # above this many edges, edge labels are left off (tooltips keep them)
LABEL_THRESHOLD, LABEL_MAX_PX = 10, 22  # vis-network draws no label under 9 px on screen, none over 22
_VIS_LIB = "lib/vis-9.1.2"  # the vis-network that pyvis's own template inlines (cdn_resources="in_line")


@dataclass(frozen=True)
class VizSummary:
    """What was drawn: nodes, event edges (one per ordered actor pair), the events on them,
    affiliation links, and the nodes left out by max_nodes."""

    nodes: int
    edges: int
    omitted_nodes: int
    events: int = 0
    affiliations: int = 0


def render_html(graph: Graph | Dataset | nx.MultiDiGraph, path: str | os.PathLike[str], *,
                title: str = "kg network", max_nodes: int = DEFAULT_MAX_NODES,
                built: str | None = None) -> VizSummary:
    """Write the network view of `graph` (RDF, or a `to_networkx` projection) to `path`."""
    page, summary = page_html(graph, title=title, max_nodes=max_nodes, built=built)
    write_atomic(Path(path), page, make_parents=True)
    return summary


def page_html(graph: Graph | Dataset | nx.MultiDiGraph, *, title: str = "kg network",
              max_nodes: int = DEFAULT_MAX_NODES, built: str | None = None) -> tuple[str, VizSummary]:
    """The network view as an HTML string, with what it shows."""
    full = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph)
    data, summary = view_data(full, max_nodes=max_nodes)
    built = built or _build_date()
    page = _environment().from_string(_TEMPLATE).render(
        title=title, built=built, data=data, summary=summary, counts=_counts(data, summary),
        note=_omitted_note(full, summary), legend_types=_legend_types(data["nodes"]),
        quads=[(q, QUAD_NAMES[q], QUAD_COLOURS[q]) for q in (1, 2, 3, 4, 0)],
        classes=_class_options(data["events"]), affiliation_colour=AFFILIATION_COLOUR,
        themes=sum(n["type"] == THEME for n in data["nodes"]),
        vis_js=_vis_asset("vis-network.min.js"), vis_css=_vis_asset("vis-network.css"))
    return page, summary


class NotebookView:
    """The network view for Jupyter: an iframe whose srcdoc is the whole offline page."""

    def __init__(self, page: str, summary: VizSummary, height: int = 640) -> None:
        self.page, self.summary, self.height = page, summary, height

    def _repr_html_(self) -> str:
        return (f'<iframe class="kg-view" srcdoc="{html.escape(self.page, quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ccc"></iframe>')

    def __repr__(self) -> str:
        s = self.summary
        return f"<kg network view: {s.nodes} nodes, {s.edges} edges, {s.events} events>"


def notebook_view(graph: Graph | Dataset | nx.MultiDiGraph, *, title: str = "kg network",
                  max_nodes: int = DEFAULT_MAX_NODES, height: int = 640) -> NotebookView:
    """The same view as `render_html`, to display inline in a notebook (last expression of a cell)."""
    page, summary = page_html(graph, title=title, max_nodes=max_nodes)
    return NotebookView(page, summary, height)


# --- data handed to the page ---------------------------------------------------------------

def view_data(full: nx.MultiDiGraph, *, max_nodes: int) -> tuple[dict[str, Any], VizSummary]:
    """Nodes, events and affiliation links of the view (plain JSON-able data, raw text)."""
    attrs = {n: dict(a) for n, a in full.nodes(data=True)}
    for person in list(attrs.values()):  # organisations represented but never acting
        org = person.get("affiliation")
        if org and org not in attrs:
            attrs[org] = {"label": person.get("affiliation_label", org),
                          "type": person.get("affiliation_type", "Actor")}
    degree = {n: full.degree(n) - full.number_of_edges(n, n) if n in full else 0 for n in attrs}
    ranked = sorted(attrs, key=lambda n: (-degree[n], attrs[n].get("label", ""), n))
    keep = ranked[:max(max_nodes, 0)]
    kept = set(keep)
    nodes = [_node(n, attrs[n], degree[n]) for n in keep]
    _rank_labels(nodes)
    events = [_event(key, u, v, d) for u, v, key, d in full.edges(keys=True, data=True)
              if u in kept and v in kept]
    links = _affiliation_links(keep, attrs)
    pairs = len({(e["from"], e["to"]) for e in events})
    data = {"nodes": nodes, "events": events, "links": links,
            "quads": {str(q): {"name": QUAD_NAMES[q], "colour": c} for q, c in QUAD_COLOURS.items()},
            "edgeLabels": pairs <= EDGE_LABELS_MAX, "affiliationColour": AFFILIATION_COLOUR,
            "timeline": timeline([e.get("date") for e in events]),
            "options": network_options(layout_options(len(nodes), pairs)), "labelAll": LABEL_ALL_MAX}
    return data, VizSummary(nodes=len(keep), edges=pairs, omitted_nodes=len(attrs) - len(keep),
                            events=len(events), affiliations=len(links))


TIMELINE_BINS_MAX = 120  # bars of the time histogram at most: days, else weeks, else months, else years


def timeline(dates: list[str | None]) -> dict[str, Any]:
    """The time histogram of the view: consecutive bins (day, ISO week, month or year: the
    finest that keeps at most TIMELINE_BINS_MAX bars) from the first to the last event date,
    each with its first and last day and its number of events; partial dates count in the bin
    of their first day. No dates: no bins."""
    days = sorted(d for d in (_first_day(x) for x in dates if x) if d is not None)
    if not days:
        return {"step": None, "bins": []}
    first, last = days[0], days[-1]
    for step in ("day", "week", "month", "year"):
        starts = _bin_starts(first, last, step)
        if len(starts) <= TIMELINE_BINS_MAX:
            break
    ends = [s - dt.timedelta(days=1) for s in starts[1:]] + [_next_start(starts[-1], step) - dt.timedelta(days=1)]
    counts = Counter(_bin_start(d, step) for d in days)
    return {"step": step, "bins": [{"start": s.isoformat(), "end": e.isoformat(), "count": counts.get(s, 0)}
                                   for s, e in zip(starts, ends)]}


def _build_date() -> str:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set, as reproducible builds do:
    the same inputs then give the same page byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit() else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


def _first_day(text: str) -> dt.date | None:
    text = str(text).strip()
    for candidate in (text[:10], text[:7] + "-01", text[:4] + "-01-01"):
        try:
            return dt.date.fromisoformat(candidate)
        except ValueError:
            continue
    return None


def _bin_start(day: dt.date, step: str) -> dt.date:
    if step == "week":
        return day - dt.timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    if step == "year":
        return day.replace(month=1, day=1)
    return day


def _next_start(start: dt.date, step: str) -> dt.date:
    if step == "day":
        return start + dt.timedelta(days=1)
    if step == "week":
        return start + dt.timedelta(days=7)
    if step == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def _bin_starts(first: dt.date, last: dt.date, step: str) -> list[dt.date]:
    starts, current = [], _bin_start(first, step)
    while current <= last and len(starts) <= TIMELINE_BINS_MAX:
        starts.append(current)
        current = _next_start(current, step)
    return starts


def layout_options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    """vis-network's layout and physics for a view of this size: the force-directed layout runs
    for a number of iterations, then physics stops. Small views get vis-network's improved
    initial layout and a long, gentle run; big ones a random seeded start, stronger gravity and
    fewer iterations (benchmarks/viz_large.py: a 2,000-actor view settles within 3 s)."""
    if n_nodes <= 150:
        return {"improvedLayout": True, "iterations": 500, "gravity": -140, "springLength": 180,
                "avoidOverlap": 0.6, "damping": 0.4, "theta": 0.5}
    big = n_nodes > 600  # a coarser Barnes-Hut approximation (theta) costs the layout little here
    return {"improvedLayout": False, "iterations": 80 if big else 150, "gravity": -80, "springLength": 140,
            "avoidOverlap": 0.3, "damping": 0.4, "theta": 1.0 if big else 0.9}


def network_options(layout: dict[str, Any]) -> dict[str, Any]:
    """The vis-network options of the page, made with pyvis's API (`Network`, its `Options`:
    layout, forceAtlas2 physics, stabilization, interaction, edge colours), then what pyvis has no
    setter for (the solver's theta, fonts, label scaling, arrows, hover and tooltips) added to its
    JSON. pyvis's `Layout` switches the hierarchical layout on: it is switched off again."""
    net = Network(directed=True, cdn_resources="in_line")
    options = net.options
    options.layout = Layout(randomSeed=7, improvedLayout=layout["improvedLayout"])
    options.layout.hierarchical.enabled = False
    net.force_atlas_2based(gravity=layout["gravity"], spring_length=layout["springLength"],
                           damping=layout["damping"], overlap=layout["avoidOverlap"])
    options.physics.forceAtlas2Based.theta = layout["theta"]
    stabilization = options.physics.stabilization
    stabilization.iterations, stabilization.updateInterval, stabilization.fit = layout["iterations"], 25, False
    net.toggle_hide_edges_on_drag(not layout["improvedLayout"])
    net.inherit_edge_colors(False)
    result = json.loads(options.to_json())
    result["interaction"].update(hover=True, tooltipDelay=150)
    result["nodes"] = {"font": {"size": 14, "color": "#222", "strokeWidth": 3, "strokeColor": "#ffffff"},
                       "borderWidth": 1,
                       "scaling": {"label": {"enabled": False, "drawThreshold": LABEL_THRESHOLD,
                                             "maxVisible": LABEL_MAX_PX}}}
    result["edges"].update(font={"size": 11, "align": "middle", "color": "#343434"},
                           arrows={"to": {"scaleFactor": 0.6}}, selectionWidth=1.5)
    return result


def _node(iri: str, attrs: dict[str, Any], degree: int) -> dict[str, Any]:
    type_ = attrs.get("type", "Actor")
    label = str(attrs.get("label", iri))
    short = _chip(label) if type_ == THEME else _short(label)
    node = {"id": iri, "label": label, "short": short, "type": type_,
            "events": degree, "colour": TYPE_COLOURS.get(type_, TYPE_COLOURS["Actor"]),
            "size": round(8 + 5 * degree ** 0.5, 1)}
    for key in ("country", "role", "sector", "actor_code", "affiliation_label", "members"):
        if attrs.get(key):
            node[key] = str(attrs[key])
    if attrs.get("folded"):
        node["folded"] = int(attrs["folded"])
    return node


def _event(iri: str, source: str, end: str, data: dict[str, Any]) -> dict[str, Any]:
    cameo = data.get("cameo")
    event = {"id": iri, "from": source, "to": end, "action": str(data.get("action", "")),
             "class": data.get("event_type", "Event"), "quad": int(data.get("quad_class") or 0),
             "root": cameo[:2] if cameo else ""}
    for key in ("mentions", "articles", "sources"):  # how often it was reported (kg.graph.mentions)
        if int(data.get(key) or 0) > 1:
            event[key] = int(data[key])
    for key, name in (("cameo", "cameo"), ("date", "date"), ("modality", "modality"),
                      ("sentence", "sentence"), ("article_title", "article"),
                      ("article_id", "articleId"), ("article_url", "url"), ("goldstein", "goldstein"),
                      ("source_actor", "fromActor"), ("target_actor", "toActor")):
        if data.get(key) is not None:
            event[name] = data[key] if key == "goldstein" else str(data[key])
    if data.get("negated"):
        event["negated"] = True
    return event


def _affiliation_links(keep: list[str], attrs: dict[str, Any]) -> list[dict[str, str]]:
    """Person -> the organisation it represents, else -> the one drawn state of its country."""
    kept = set(keep)
    states: dict[str, list[str]] = {}
    for n in keep:
        if attrs[n].get("type") == "State" and attrs[n].get("country"):
            states.setdefault(attrs[n]["country"], []).append(n)
    links = []
    for n in keep:
        if attrs[n].get("type") != "Person":
            continue
        org = attrs[n].get("affiliation")
        same_country = states.get(attrs[n].get("country", ""), [])
        to = org if org in kept else (same_country[0] if len(same_country) == 1 else None)
        if to and to != n:
            links.append({"from": n, "to": to})
    return links


def _rank_labels(nodes: list[dict[str, Any]]) -> None:
    """Mark the nodes whose labels the view shows at its default zoom (`hub`) and give each an
    importance `weight` in 0..1 (square root of its events over the most of its kind), which
    sizes its text: every label when there are at most LABEL_ALL_MAX actors, else the HUBS_MAX
    most connected; themes are ranked apart, as they are shown apart."""
    for is_theme in (False, True):
        group = [n for n in nodes if (n["type"] == THEME) == is_theme]
        if not group:
            continue
        most = max(n["events"] for n in group) or 1
        hubs = len(group) if len(group) <= LABEL_ALL_MAX else min(HUBS_MAX, max(12, len(group) // 12))
        for rank, n in enumerate(sorted(group, key=lambda n: -n["events"])):  # stable: nodes are ranked
            n["weight"] = round((n["events"] / most) ** 0.5, 3)
            if rank < hubs and n["events"]:
                n["hub"] = True


def _short(text: str) -> str:
    return text if len(text) <= NODE_LABEL_MAX else text[: NODE_LABEL_MAX - 1].rstrip() + "\u2026"


def _chip(text: str) -> str:
    """A theme's chip: its first words, at most THEME_CHIP_MAX characters, cut between words."""
    text = " ".join(text.split())
    if len(text) <= THEME_CHIP_MAX:
        return text
    cut = text[: THEME_CHIP_MAX - 1]
    if " " in cut and text[THEME_CHIP_MAX - 1] != " ":
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "\u2026"


def _counts(data: dict[str, Any], summary: VizSummary) -> str:
    actors = sum(n["type"] != THEME for n in data["nodes"])
    themes = len(data["nodes"]) - actors
    articles = len({e.get("articleId") for e in data["events"]} - {None})
    parts = [_plural(actors, "actor"), _plural(summary.events, "event")]
    if themes:
        parts.insert(1, _plural(themes, "theme"))
    folded = sum(n.get("folded", 0) for n in data["nodes"])
    return (", ".join(parts) + f" on {_plural(summary.edges, 'edge')}"
            + (f", from {_plural(articles, 'article')}" if articles else "")
            + (f" · state level: {_plural(folded, 'actor')} folded into their states" if folded else ""))


def _omitted_note(full: nx.MultiDiGraph, summary: VizSummary) -> str:
    if not summary.omitted_nodes:
        return ""
    total = summary.nodes + summary.omitted_nodes
    left_events = full.number_of_edges() - summary.events
    return (f"Showing the {summary.nodes:,} most connected of {total:,} actors and themes: "
            f"{summary.omitted_nodes:,} left out, with {_plural(left_events, 'event')}. "
            "Raise --max-nodes (or filter with kg viz --actor/--event-type/--since) to see them.")


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _legend_types(nodes: list[dict[str, Any]]) -> list[tuple[str, str, bool]]:
    present = {n["type"] for n in nodes}
    known = [t for t in TYPE_COLOURS if t in present]
    return [(t, TYPE_COLOURS.get(t, TYPE_COLOURS["Actor"]), t == THEME)
            for t in known + sorted(present - set(TYPE_COLOURS))]


def _class_options(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(value, text) of the event-class filter: CAMEO roots present, then uncoded events."""
    counts = Counter(e["root"] for e in events)
    options = [(root, f"{root} {ROOT_CLASSES.get(root, 'CAMEO ' + root)} ({n})")
               for root, n in sorted(counts.items()) if root]
    if counts.get(""):
        options.append(("none", f"no CAMEO code ({counts['']})"))
    return options


# --- page ----------------------------------------------------------------------------------

@cache
def _vis_asset(name: str) -> str:
    """A file of the vis-network shipped with pyvis, read through pyvis's own template loader
    (the one its template inlines with cdn_resources="in_line")."""
    env = Network(cdn_resources="in_line").templateEnv
    return env.loader.get_source(env, f"{_VIS_LIB}/{name}")[0]


def _environment() -> Environment:
    return Environment(autoescape=True)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ vis_css|safe }}</style>
<script>{{ vis_js|safe }}</script>
<style>
 html, body { height: 100%; margin: 0; }
 body { font-family: system-ui, sans-serif; font-size: 14px; display: flex; flex-direction: column; color: #222; }
 header { padding: 8px 14px 6px; border-bottom: 1px solid #ddd; }
 h1 { font-size: 1.3em; margin: 0 0 2px 0; }
 .kg-meta { color: #444; }
 .kg-note { background: #fff3cd; border: 1px solid #e0c36a; padding: 3px 8px; margin: 4px 0 0; display: inline-block; }
 .kg-legend { font-size: .9em; margin-top: 4px; }
 .kg-legend > span, .kg-legend label { margin-right: 12px; white-space: nowrap; }
 .kg-dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; border: 1px solid #888; vertical-align: middle; margin-right: 4px; }
 .kg-line { display: inline-block; width: 22px; border-top: 3px solid; vertical-align: middle; margin-right: 4px; }
 #kg-controls { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin-top: 6px; font-size: .9em; }
 #kg-controls input[type=search] { width: 12em; }
 #kg-shown { color: #555; }
 #kg-timeline { display: flex; align-items: flex-end; gap: 8px; margin-top: 4px; font-size: .85em; color: #555; }
 #kg-histogram { width: 480px; max-width: 60vw; height: 46px; cursor: crosshair; user-select: none; background: #f6f6f6; border: 1px solid #ddd; }
 #kg-histogram rect.kg-bar { fill: #8aa1b9; }
 #kg-histogram rect.kg-bar.kg-out { fill: #d3d9df; }
 #kg-histogram rect.kg-brush { fill: rgba(78, 121, 167, .18); stroke: #4e79a7; stroke-width: 1; }
 main { flex: 1; display: flex; min-height: 0; }
 #kg-network { flex: 1; min-width: 0; }
 #kg-details { width: 340px; overflow-y: auto; border-left: 1px solid #ddd; padding: 8px 12px; font-size: .9em; background: #fafafa; }
 #kg-details h2 { font-size: 1.05em; margin: 4px 0 6px; }
 .kg-hint { color: #666; }
 .kg-event { border-top: 1px solid #e3e3e3; padding: 6px 0; }
 .kg-event-head { font-weight: 600; }
 .kg-evidence { font-style: italic; margin: 3px 0; }
 .kg-article { color: #555; font-size: .92em; overflow-wrap: anywhere; }
 div.vis-tooltip { max-width: 460px; white-space: normal; font-family: system-ui, sans-serif; font-size: 12px; }
 div.vis-tooltip .kg-event { padding: 3px 0; }
</style>
</head>
<body>
<header>
 <h1 id="kg-title">{{ title }}</h1>
 <div class="kg-meta"><span id="kg-counts">{{ counts }}</span> · built {{ built }} ·
  hover or click an edge for its events and evidence, click an actor to highlight its neighbours
  <span id="kg-status"></span></div>
 {% if note %}<div class="kg-note" id="kg-note">{{ note }}</div>{% endif %}
 <div class="kg-legend">Actors (size = number of events):
  {% for name, colour, box in legend_types %}<span><i class="kg-dot" style="background: {{ colour }};{% if box %} border-radius: 0;{% endif %}"></i>{{ name }}</span>{% endfor %}
  <span><i class="kg-line" style="border-top-style: dotted; border-color: {{ affiliation_colour }}"></i>represents</span>
  <span><i class="kg-line" style="border-top-style: dashed; border-color: #555"></i>negated or hypothetical</span></div>
 <div id="kg-controls">
  <label>Actor <input id="kg-actor" type="search" placeholder="name contains…"></label>
  <label>Event class <select id="kg-class"><option value="">all</option>
   {% for value, text in classes %}<option value="{{ value }}">{{ text }}</option>{% endfor %}</select></label>
  <span id="kg-quads">{% for q, name, colour in quads %}<label><input type="checkbox" value="{{ q }}" checked><i class="kg-line" style="border-color: {{ colour }}"></i>{{ name }}</label>{% endfor %}</span>
  <label>From <input id="kg-since" type="date"></label>
  <label>to <input id="kg-until" type="date"></label>
  {% if themes %}<label title="themes: what an event is about when it has no actor as target"><input id="kg-themes" type="checkbox"> themes ({{ themes }})</label>{% endif %}
  <button id="kg-reset" type="button">Show all</button>
  <span id="kg-shown"></span>
 </div>
 {% if data.timeline.bins %}<div id="kg-timeline"><span>Events per {{ data.timeline.step }}<br>(drag to filter)</span>
  <svg id="kg-histogram" role="img" aria-label="events per {{ data.timeline.step }}; drag across it to show only the events of a time range"></svg>
  <span id="kg-range"></span></div>{% endif %}
</header>
<main>
 <div id="kg-network"></div>
 <aside id="kg-details"><p class="kg-hint">Click an edge to list its events with the sentence each comes from; click an actor for its events.</p></aside>
</main>
<script type="application/json" id="kg-data">{{ data|tojson }}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var eventById = {};
  data.events.forEach(function (e) { eventById[e.id] = e; });
  var FADED = 0.15;
  var view = window.kgView = {data: data, stabilized: false, highlighted: null, selectedEdge: null,
                              marks: {script: performance.now()}};  /* ms since navigation (benchmarks) */

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function safeUrl(text) {  /* only http(s) links are made clickable */
    try { var url = new URL(text); return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null; }
    catch (e) { return null; }
  }
  function eventBlock(ev) {
    var box = el("div", null, "kg-event");
    var head = [ev.date || "undated", ev.action, ev["class"]];
    if (ev.cameo) head.push("CAMEO " + ev.cameo);
    if (ev.negated) head.push("negated");
    if (ev.modality) head.push(ev.modality);
    if (typeof ev.goldstein === "number") head.push("Goldstein " + signed(ev.goldstein));
    box.appendChild(el("div", head.join(" · "), "kg-event-head"));
    box.appendChild(el("div", endName(ev.fromActor, ev.from) + " \u2192 " + endName(ev.toActor, ev.to)));
    if (ev.mentions) box.appendChild(el("div", "reported " + ev.mentions + " times, in " + plural(ev.articles || 1, "article") +
                                             " from " + plural(ev.sources || 1, "source"), "kg-reports"));
    if (ev.sentence) box.appendChild(el("div", "\u201c" + ev.sentence + "\u201d", "kg-evidence"));
    var article = ev.article || ev.articleId;
    if (article || ev.url) {
      var line = el("div", null, "kg-article");
      line.appendChild(el("span", "Article: " + (article || "")));
      if (ev.url) {
        var href = safeUrl(ev.url);
        var link = el(href ? "a" : "span", " " + ev.url);
        if (href) { link.href = href; link.target = "_blank"; link.rel = "noopener noreferrer"; }
        line.appendChild(link);
      }
      box.appendChild(line);
    }
    return box;
  }
  function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }
  function signed(x) { return (x > 0 ? "+" : x < 0 ? "\u2212" : "") + Math.abs(x).toFixed(1); }
  function goldsteinLine(events) {  /* mean and sum over the factual events, as kg stats sums them */
    var scores = events.filter(function (ev) { return typeof ev.goldstein === "number" && !ev.negated && !ev.modality; })
                       .map(function (ev) { return ev.goldstein; });
    if (!scores.length) return null;
    var sum = scores.reduce(function (a, b) { return a + b; }, 0);
    return el("div", "Goldstein: mean " + signed(sum / scores.length) + ", sum " + signed(sum) + " over " +
              plural(scores.length, "factual event") +
              (scores.length < events.length ? " (negated, hypothetical and uncoded ones left out)" : ""), "kg-goldstein");
  }
  function mentionsOf(events) { return events.reduce(function (sum, ev) { return sum + (ev.mentions || 1); }, 0); }
  function endName(actor, id) {  /* at the state level: "Sergei Lavrov (Russia)" */
    return actor ? actor + " (" + byId[id].label + ")" : byId[id].label;
  }
  function nodeFacts(n) {
    var facts = [];
    if (n.role) facts.push("role: " + n.role);
    if (n.country) facts.push("country: " + n.country);
    if (n.sector) facts.push("sector: " + n.sector);
    if (n.actor_code) facts.push("CAMEO actor code: " + n.actor_code);
    if (n.affiliation_label) facts.push("represents: " + n.affiliation_label);
    return facts;
  }
  var MEMBERS_SHOWN = 12;
  function membersLine(n) {  /* the actors folded into a state, most events first */
    if (!n.folded) return null;
    var names = n.members.split("; ");
    return "includes " + n.folded + (n.folded === 1 ? " actor: " : " actors: ") +
           names.slice(0, MEMBERS_SHOWN).join(", ") + (names.length > MEMBERS_SHOWN ? ", \u2026" : "");
  }
  var TOOLTIP_EVENTS = 8;
  function edgeTooltip(from, to, events) {
    var box = el("div");
    var reports = mentionsOf(events);
    box.appendChild(el("b", byId[from].label + " \u2192 " + byId[to].label + ": " + plural(events.length, "event") +
                       (reports > events.length ? " (" + plural(reports, "mention") + ")" : "")));
    var goldstein = goldsteinLine(events);
    if (goldstein) box.appendChild(goldstein);
    events.slice(0, TOOLTIP_EVENTS).forEach(function (ev) { box.appendChild(eventBlock(ev)); });
    if (events.length > TOOLTIP_EVENTS) box.appendChild(el("div", "\u2026 and " + (events.length - TOOLTIP_EVENTS) + " more: click the edge"));
    return box;
  }
  function nodeTooltip(n) {
    var box = el("div");
    box.appendChild(el("b", n.label));
    var lines = [n.type].concat(nodeFacts(n));
    if (n.folded) lines.push(membersLine(n));
    lines.push(n.events + (n.events === 1 ? " event" : " events"));
    lines.forEach(function (line) { box.appendChild(el("div", line)); });
    return box;
  }

  /* --- labels: the hubs legible at the fitted zoom, the rest on hover, highlight or zoom ---- */
  var HUB_PX = 14, HUB_PX_MAX = 20, CHIP_PX = 12, REST_PX = 6, HOVER_PX = 14;  /* text height on screen */
  view.fontScale = 1; view.labelled = {}; view.near = null; view.hovered = null; view.visible = {};
  data.nodes.forEach(function (n) { if (n.hub) view.labelled[n.id] = true; });
  function isTheme(id) { return byId[id].type === "Theme"; }
  function fontFor(n) {  /* canvas font of a node: its screen size at the zoom the labels were sized for */
    var px = !view.labelled[n.id] ? REST_PX + 2 * (n.weight || 0)
           : isTheme(n.id) ? CHIP_PX : HUB_PX + (HUB_PX_MAX - HUB_PX) * (n.weight || 0);
    var size = px / view.fontScale;
    if (view.hovered === n.id || (view.near && view.near[n.id])) size = Math.max(size, HOVER_PX / network.getScale());
    return {size: size, color: view.near && !view.near[n.id] ? "#c8c8c8" : "#222"};
  }
  view.fontFor = function (id) { return fontFor(byId[id]); };
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = {id: n.id, label: n.short, title: nodeTooltip(n), shape: "dot", size: n.size, color: n.colour,
                opacity: 1, hidden: false, font: {size: (n.hub ? HUB_PX : REST_PX) * 2}};
    if (isTheme(n.id)) {  /* a chip */
      item.shape = "box"; item.hidden = true; item.margin = 5; item.shapeProperties = {borderRadius: 9};
    }
    return item;
  }));
  var edges = new vis.DataSet([]);
  view.nodes = nodes; view.edges = edges;

  /* --- filters ---------------------------------------------------------------------- */
  var controls = {
    actor: document.getElementById("kg-actor"), cls: document.getElementById("kg-class"),
    since: document.getElementById("kg-since"), until: document.getElementById("kg-until"),
    quads: Array.prototype.slice.call(document.querySelectorAll("#kg-quads input")),
    themes: document.getElementById("kg-themes")  /* absent when the graph has no themes */
  };
  function themesShown() { return Boolean(controls.themes && controls.themes.checked); }
  var dates = data.events.map(function (e) { return e.date; }).filter(Boolean).sort();
  if (dates.length) {
    [controls.since, controls.until].forEach(function (input) { input.min = dates[0]; input.max = dates[dates.length - 1]; });
  }
  function filters() {
    var quads = {};
    controls.quads.forEach(function (box) { if (box.checked) quads[box.value] = true; });
    return {actor: controls.actor.value.trim().toLowerCase(), cls: controls.cls.value, quads: quads,
            since: controls.since.value, until: controls.until.value};
  }
  function isFiltered(f) {
    return Boolean(f.actor || f.cls || f.since || f.until || controls.quads.some(function (b) { return !b.checked; }));
  }
  function passes(ev, f) {
    if (f.actor && [byId[ev.from].label, byId[ev.to].label, ev.fromActor || "", ev.toActor || ""]
        .every(function (name) { return name.toLowerCase().indexOf(f.actor) < 0; })) return false;
    if (f.cls && (f.cls === "none" ? ev.root !== "" : ev.root !== f.cls)) return false;
    if (!f.quads[String(ev.quad)]) return false;
    if ((f.since || f.until) && !ev.date) return false;
    if (f.since && ev.date < f.since) return false;
    if (f.until && ev.date > f.until) return false;
    return true;
  }
  function edgeItems(events) {
    var groups = {}, order = [];
    events.forEach(function (ev) {
      var key = ev.from + "\\n" + ev.to;
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(ev);
    });
    return order.map(function (key) {
      var evs = groups[key].slice().sort(function (a, b) { return (a.date || "").localeCompare(b.date || ""); });
      var quads = {}, actions = [];
      evs.forEach(function (ev) {
        quads[ev.quad] = (quads[ev.quad] || 0) + 1;
        if (actions.indexOf(ev.action) < 0) actions.push(ev.action);
      });
      var quad = Object.keys(quads).sort(function (a, b) { return quads[b] - quads[a] || a - b; })[0];
      var colour = data.quads[quad].colour;
      var label = actions.slice(0, 2).join(", ") + (actions.length > 2 ? ", \u2026" : "") +
                  (evs.length > 1 ? " \u00d7" + evs.length : "");
      var reports = mentionsOf(evs);
      return {id: "events:" + key, kind: "events", from: evs[0].from, to: evs[0].to,
              events: evs.map(function (ev) { return ev.id; }), count: evs.length, mentions: reports, baseColour: colour,
              label: data.edgeLabels ? label : undefined,  /* title: built when first hovered (tooltipOf) */
              color: {color: colour, highlight: colour, hover: colour, opacity: 1},
              width: 1 + 2 * Math.log2(reports), arrows: "to",  /* weight: the reports of its events */
              dashes: evs.every(function (ev) { return ev.negated || ev.modality; }),
              smooth: {enabled: true, type: "curvedCW", roundness: 0.15}};
    });
  }
  function apply() {
    var f = filters(), filtered = isFiltered(f), themes = themesShown();
    var passing = data.events.filter(function (ev) { return passes(ev, f); });
    /* themes hidden: their events' edges stay in the layout, undrawn, so that themes appear in place */
    var events = themes ? passing : passing.filter(function (ev) { return !isTheme(ev.from) && !isTheme(ev.to); });
    var visible = {};
    if (filtered) events.forEach(function (ev) { visible[ev.from] = visible[ev.to] = true; });
    else data.nodes.forEach(function (n) { if (themes || !isTheme(n.id)) visible[n.id] = true; });
    view.visible = visible;
    var items = edgeItems(passing);
    items.forEach(function (item) { item.hidden = !visible[item.from] || !visible[item.to]; });
    data.links.forEach(function (link) {
      if (visible[link.from] && visible[link.to]) {
        items.push({id: "represents:" + link.from + "\\n" + link.to, kind: "represents", from: link.from, to: link.to,
                    title: el("div", byId[link.from].label + " represents " + byId[link.to].label),
                    baseColour: data.affiliationColour, dashes: [2, 4], width: 1.5, arrows: "",
                    color: {color: data.affiliationColour, opacity: 1}, smooth: false});
      }
    });
    edges.clear();
    edges.add(items);
    nodes.update(data.nodes.map(function (n) { return {id: n.id, hidden: !visible[n.id]}; }));
    var shownNodes = data.nodes.filter(function (n) { return visible[n.id]; }).length;
    document.getElementById("kg-shown").textContent = filtered
      ? "showing " + events.length + " of " + data.events.length + " events, " + shownNodes + " of " + data.nodes.length + " nodes"
      : "";
    view.visibleEvents = events.length;
    if (view.highlighted && !visible[view.highlighted]) view.highlighted = null;
    if (view.highlighted || view.near) highlight(view.highlighted);
    refreshPanel();
    drawBrush();
    if (view.stabilized) fitVisible();
  }
  view.apply = apply;
  function fitVisible() {  /* fit the view to what is visible, then size the labels for that zoom */
    var ids = data.nodes.filter(function (n) { return view.visible[n.id]; }).map(function (n) { return n.id; });
    if (ids.length) network.fit({nodes: ids, animation: false});
    view.fontScale = network.getScale();
    view.labelled = {};
    if (ids.length <= data.labelAll) ids.forEach(function (id) { view.labelled[id] = true; });
    else declutter(ids.filter(function (id) { return byId[id].hub; })).forEach(function (id) { view.labelled[id] = true; });
    nodes.update(data.nodes.map(function (n) { return {id: n.id, font: fontFor(n)}; }));
    view.fitted = (view.fitted || 0) + 1;
  }
  view.fitVisible = fitVisible;
  function declutter(hubs) {  /* the hubs, most events first, whose labels overlap none drawn before */
    var at = network.getPositions(hubs), boxes = [];
    return hubs.slice().sort(function (a, b) { return byId[b].events - byId[a].events; }).filter(function (id) {
      var n = byId[id], size = (HUB_PX + (HUB_PX_MAX - HUB_PX) * (n.weight || 0)) / view.fontScale;
      var w = n.short.length * size * 0.58, top = at[id].y + n.size + 2 / view.fontScale;
      var box = {left: at[id].x - w / 2, right: at[id].x + w / 2, top: top, bottom: top + size * 1.1};
      var clear = boxes.every(function (o) {
        return box.right < o.left || box.left > o.right || box.bottom < o.top || box.top > o.bottom;
      });
      if (clear) boxes.push(box);
      return clear;
    });
  }

  /* --- time histogram: drag across it to set the date range ----------------------------- */
  var histogram = document.getElementById("kg-histogram"), bins = data.timeline.bins;
  var SVG = "http://www.w3.org/2000/svg", brush = null, bars = [];
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function binAt(clientX) {  /* index of the bin under a mouse position */
    var box = histogram.getBoundingClientRect();
    var i = Math.floor((clientX - box.left) / box.width * bins.length);
    return Math.max(0, Math.min(bins.length - 1, i));
  }
  function drawBrush() {
    if (!histogram) return;
    var since = controls.since.value, until = controls.until.value, first = null, last = null;
    bins.forEach(function (b, i) {
      var inside = (!since || b.end >= since) && (!until || b.start <= until);
      bars[i].setAttribute("class", "kg-bar" + (inside ? "" : " kg-out"));
      if (inside && (since || until)) { if (first === null) first = i; last = i; }
    });
    brush.setAttribute("visibility", first === null ? "hidden" : "visible");
    if (first !== null) { brush.setAttribute("x", first); brush.setAttribute("width", last - first + 1); }
    document.getElementById("kg-range").textContent = since || until ? (since || "\u2026") + " \u2013 " + (until || "\u2026") : "";
  }
  function setRange(since, until) {  /* the date inputs follow the histogram, then the filters apply */
    controls.since.value = since || ""; controls.until.value = until || "";
    apply();
  }
  if (histogram) {
    var peak = Math.max.apply(null, bins.map(function (b) { return b.count; }).concat([1]));
    histogram.setAttribute("viewBox", "0 0 " + bins.length + " 100");
    histogram.setAttribute("preserveAspectRatio", "none");
    bins.forEach(function (b, i) {
      var h = b.count ? Math.max(4, 96 * b.count / peak) : 0;
      var bar = svgEl("rect", {x: i + 0.08, width: 0.84, y: 100 - h, height: h, "class": "kg-bar"});
      bar.appendChild(svgEl("title", {})).textContent = (b.start === b.end ? b.start : b.start + " \u2013 " + b.end) +
        ": " + plural(b.count, "event");
      histogram.appendChild(bar); bars.push(bar);
    });
    brush = svgEl("rect", {x: 0, width: 0, y: 0, height: 100, "class": "kg-brush", visibility: "hidden"});
    histogram.appendChild(brush);
    var dragFrom = null;
    histogram.addEventListener("mousedown", function (e) { dragFrom = binAt(e.clientX); e.preventDefault(); });
    window.addEventListener("mousemove", function (e) {
      if (dragFrom === null) return;
      var to = binAt(e.clientX), lo = Math.min(dragFrom, to), hi = Math.max(dragFrom, to);
      brush.setAttribute("visibility", "visible"); brush.setAttribute("x", lo); brush.setAttribute("width", hi - lo + 1);
    });
    window.addEventListener("mouseup", function (e) {
      if (dragFrom === null) return;
      var to = binAt(e.clientX), lo = Math.min(dragFrom, to), hi = Math.max(dragFrom, to);
      dragFrom = null;
      var whole = lo === 0 && hi === bins.length - 1;
      if (whole) setRange("", ""); else setRange(bins[lo].start, bins[hi].end);  /* a click picks one bar */
    });
  }
  view.setRange = setRange;
  ["input", "change"].forEach(function (type) {
    [controls.actor, controls.cls, controls.since, controls.until, controls.themes].concat(controls.quads).forEach(function (c) {
      if (c) c.addEventListener(type, apply);
    });
  });
  document.getElementById("kg-reset").addEventListener("click", function () {
    controls.actor.value = ""; controls.cls.value = ""; controls.since.value = ""; controls.until.value = "";
    controls.quads.forEach(function (b) { b.checked = true; });
    apply();
  });

  /* --- neighbourhood highlight and side panel ----------------------------------------- */
  function highlight(id) {  /* fade all but a node and its visible neighbours, whose names show */
    view.highlighted = id || null;
    var near = null;
    if (id) {
      near = {};
      near[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { if (view.visible[n]) near[n] = true; });
    }
    view.near = near;
    nodes.update(data.nodes.map(function (n) {
      return {id: n.id, opacity: !id || near[n.id] ? 1 : FADED, font: fontFor(n)};
    }));
    edges.update(edges.get().map(function (e) {
      var on = !id || e.from === id || e.to === id;
      return {id: e.id, color: {color: e.baseColour, highlight: e.baseColour, hover: e.baseColour, opacity: on ? 1 : FADED},
              font: {color: on ? "#343434" : "#d0d0d0"}};
    }));
  }
  var details = document.getElementById("kg-details");
  var PANEL_HINT = details.textContent.trim();
  function resetPanel() {
    view.panel = null; view.selectedEdge = null;
    details.textContent = "";
    details.appendChild(el("p", PANEL_HINT, "kg-hint"));
  }
  function refreshPanel() {  /* after a filter: the same actor or edge with the events left, else the hint */
    var p = view.panel, edge = p && p.kind === "edge" ? edges.get(p.id) : null;
    if (!p) return;
    if (p.kind === "node" && view.visible[p.id]) showNode(p.id);
    else if (edge && !edge.hidden) showEdge(p.id);
    else resetPanel();
  }
  view.panel = null;
  function showPanel(heading, blocks) {
    details.textContent = "";
    details.appendChild(el("h2", heading));
    blocks.forEach(function (b) { details.appendChild(b); });
  }
  function showEdge(edgeId) {
    var edge = edges.get(edgeId);
    if (!edge) return;
    view.selectedEdge = edgeId;
    view.panel = {kind: "edge", id: edgeId};
    if (edge.kind === "represents") {
      showPanel(byId[edge.from].label + " represents " + byId[edge.to].label, []);
      return;
    }
    showPanel(byId[edge.from].label + " \u2192 " + byId[edge.to].label + ": " + plural(edge.count, "event") +
              (edge.mentions > edge.count ? " (" + plural(edge.mentions, "mention") + ")" : ""),
              [goldsteinLine(edge.events.map(function (id) { return eventById[id]; }))].filter(Boolean)
                .concat(edge.events.map(function (id) { return eventBlock(eventById[id]); })));
  }
  function showNode(id) {
    var n = byId[id], f = filters();
    var evs = data.events.filter(function (ev) {
      return (ev.from === id || ev.to === id) && passes(ev, f) && view.visible[ev.from] && view.visible[ev.to];
    });
    view.panel = {kind: "node", id: id};
    var facts = [n.type].concat(nodeFacts(n));
    var head = [el("div", facts.join(" · ") + " · " + evs.length + (evs.length === 1 ? " event" : " events"), "kg-hint")];
    if (n.folded) head.push(el("div", membersLine(n), "kg-hint"));
    var goldstein = goldsteinLine(evs);
    if (goldstein) head.push(goldstein);
    showPanel(n.label, head.concat(evs.map(eventBlock)));
  }
  view.showEdge = showEdge;

  /* --- network, physics that settles then stops --------------------------------------- */
  /* the options are made in Python with pyvis's API (kg.views.viz.network_options) */
  var network = new vis.Network(document.getElementById("kg-network"), {nodes: nodes, edges: edges}, data.options);
  view.network = network;
  apply();
  view.marks.network = performance.now();
  var status = document.getElementById("kg-status");
  if (!data.nodes.length) { view.stabilized = true; view.stabilizedAt = performance.now(); }  /* nothing to lay out */
  network.on("stabilizationProgress", function (p) {
    status.textContent = "(laying out: " + Math.round(100 * p.iterations / p.total) + "%)";
  });
  network.once("stabilizationIterationsDone", function () {
    status.textContent = "";
    network.setOptions({physics: {enabled: false}});
    view.marks.layout = performance.now();
    fitVisible();
    view.stabilized = true;
    view.stabilizedAt = performance.now();
  });
  function tooltipOf(edgeId) {  /* an edge's tooltip, built when wanted: big views have thousands */
    var edge = edges.get(edgeId);
    if (edge && !edge.title && edge.kind === "events") {
      edges.update({id: edgeId, title: edgeTooltip(edge.from, edge.to, edge.events.map(function (id) { return eventById[id]; }))});
    }
    return edge ? edges.get(edgeId).title : null;
  }
  view.tooltipOf = tooltipOf;
  network.on("hoverEdge", function (params) { tooltipOf(params.edge); });
  network.on("hoverNode", function (params) {  /* a hovered node's name shows, whatever the zoom */
    view.hovered = params.node;
    nodes.update({id: params.node, font: fontFor(byId[params.node])});
  });
  network.on("blurNode", function (params) {
    if (view.hovered === params.node) view.hovered = null;
    if (byId[params.node]) nodes.update({id: params.node, font: fontFor(byId[params.node])});
  });
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); showNode(params.nodes[0]); }
    else if (params.edges.length) { highlight(null); showEdge(params.edges[0]); }
    else { highlight(null); }
  });
})();
</script>
</body>
</html>
"""
