"""Interactive HTML network view (pyvis / vis-network), one self-contained offline file.

Actors are nodes coloured by type (themes are boxes), sized by degree; events are directed
edges coloured by CAMEO quad class, dashed when negated or hypothetical. Parallel events
with the same action between the same pair become one edge whose tooltip lists them all.
Every text taken from the graph is HTML-escaped: article text is untrusted.
"""
from __future__ import annotations

import copy
import html
import math
import os
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader
from pyvis.network import Network
from rdflib import Dataset, Graph

from kg.network import THEME, to_networkx

TYPE_COLOURS = {
    "State": "#4e79a7", "InternationalOrganization": "#76b7b2", "PoliticalOrganization": "#b07aa1",
    "ArmedGroup": "#9c755f", "MediaOrganization": "#edc948", "Person": "#ff9da7",
    "Group": "#a0cbe8", "Actor": "#bab0ac", THEME: "#e8e8e8",
}
QUAD_COLOURS = {1: "#59a14f", 2: "#1b7837", 3: "#f28e2b", 4: "#d62728", None: "#9e9e9e"}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
              4: "material conflict", None: "not a CAMEO event"}
MAX_EVENTS_IN_TOOLTIP = 25


@dataclass(frozen=True)
class VizSummary:
    """What was drawn: node and (aggregated) edge counts, and nodes left out by max_nodes."""

    nodes: int
    edges: int
    omitted_nodes: int


def render_html(graph: Graph | Dataset | nx.MultiDiGraph, path: str | os.PathLike[str], *,
                title: str = "kg network", max_nodes: int = 300) -> VizSummary:
    """Write the network view of `graph` (RDF, or a `to_networkx` projection) to `path`."""
    full = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph)
    keep = sorted(full, key=lambda n: (-full.degree(n), full.nodes[n].get("label", ""), n))
    keep = keep[:max(max_nodes, 0)]
    sub = full.subgraph(keep)
    net = Network(height="85vh", width="100%", directed=True, cdn_resources="in_line")
    for node in keep:
        net.add_node(node, **_node_options(node, full.nodes[node], full.degree(node)))
    groups = _aggregate(sub)
    pair_index: Counter[tuple[str, str]] = Counter()
    for (u, v, action, dashed), events in groups.items():
        pair_index[(u, v)] += 1
        net.add_edge(u, v, **_edge_options(action, dashed, events, pair_index[(u, v)]))
    net.options = copy.deepcopy(_OPTIONS)
    omitted = len(full) - len(keep)
    note = (f"Showing {len(keep)} of {len(full)} actors and themes (the most connected);"
            f" {omitted} omitted." if omitted else "")
    summary = (f"{len(keep)} nodes, {sub.number_of_edges()} events in {len(groups)} edges."
               " Hover an edge for its events and evidence; drag to rearrange.")
    types = {attrs.get("type", "Actor") for _, attrs in sub.nodes(data=True)}
    net.templateEnv = _environment(title=title, note=note, summary=summary, types=types)
    net.path = "kg.html"
    _write_atomic(Path(path), net.generate_html())
    return VizSummary(nodes=len(keep), edges=len(groups), omitted_nodes=omitted)


# --- nodes and edges ---------------------------------------------------------------------

def _esc(text: Any) -> str:
    return html.escape(str(text))


def _label(text: Any) -> str:
    """Escape for a vis label drawn with font.multi='html' (which decodes only &lt; and &amp;)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;")


NODE_LABEL_MAX = 40  # longer labels (mostly themes) are cut on the canvas; the tooltip has them whole


def _short(text: str) -> str:
    return text if len(text) <= NODE_LABEL_MAX else text[: NODE_LABEL_MAX - 1].rstrip() + "\u2026"


def _node_options(iri: str, attrs: dict[str, Any], degree: int) -> dict[str, Any]:
    type_ = attrs.get("type", "Actor")
    lines = [f"<b>{_esc(attrs.get('label', iri))}</b>", f"type: {_esc(type_)}"]
    lines += [f"{key}: {_esc(attrs[key])}" for key in ("country", "role") if attrs.get(key)]
    lines += [f"events: {degree}", f"<small>{_esc(iri)}</small>"]
    return {
        "label": _label(_short(str(attrs.get("label", iri)))) or " ",
        "title": "<br>".join(lines),
        "color": TYPE_COLOURS.get(type_, TYPE_COLOURS["Actor"]),
        "shape": "box" if type_ == THEME else "dot",
        "size": round(10 + 6 * math.sqrt(degree), 1),
    }


def _aggregate(net: nx.MultiDiGraph) -> dict[tuple[str, str, str, bool], list[dict[str, Any]]]:
    """Group events by (source, end, action, negated-or-hypothetical), ordered by date."""
    groups: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = defaultdict(list)
    for u, v, key, data in net.edges(keys=True, data=True):
        dashed = bool(data.get("negated") or data.get("modality"))
        groups[(u, v, str(data.get("action", "")), dashed)].append({"iri": key, **data})
    for events in groups.values():
        events.sort(key=lambda e: (str(e.get("date", "")), e["iri"]))
    return dict(sorted(groups.items()))


def _edge_options(action: str, dashed: bool, events: list[dict[str, Any]],
                  index: int) -> dict[str, Any]:
    count = len(events)
    quad = Counter(e.get("quad_class") for e in events).most_common(1)[0][0]
    shown = [_event_html(e) for e in events[:MAX_EVENTS_IN_TOOLTIP]]
    if count > MAX_EVENTS_IN_TOOLTIP:
        shown.append(f"… and {count - MAX_EVENTS_IN_TOOLTIP} more")
    return {
        "label": _label(action) + (f" ×{count}" if count > 1 else ""),
        "title": f"<b>{count} event{'s' if count > 1 else ''}</b><hr>" + "<hr>".join(shown),
        "color": QUAD_COLOURS.get(quad, QUAD_COLOURS[None]),
        "width": round(1 + 2 * math.log2(count), 2),
        "dashes": dashed,
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": round(0.1 * index, 2)},
    }


def _event_html(event: dict[str, Any]) -> str:
    head = [event.get("date") or "undated", event.get("action", ""), event.get("event_type", "Event")]
    if event.get("cameo"):
        head.append(f"CAMEO {event['cameo']}")
    if event.get("negated"):
        head.append("negated")
    if event.get("modality"):
        head.append(str(event["modality"]))
    lines = [" · ".join(_esc(h) for h in head)]
    if event.get("sentence"):
        lines.append(f"<i>“{_esc(event['sentence'])}”</i>")
    source = event.get("article_title") or event.get("article_id")
    if source:
        lines.append(f"<small>{_esc(source)}</small>")
    return "<br>".join(lines)


# --- page ----------------------------------------------------------------------------------

_OPTIONS: dict[str, Any] = {
    "physics": {
        "enabled": True, "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 140, "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": 500, "updateInterval": 25, "fit": True},
    },
    "nodes": {"font": {"multi": "html", "size": 14}, "borderWidth": 1},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "font": {"multi": "html", "size": 10, "align": "middle"},
        "color": {"inherit": False},
    },
    "interaction": {"hover": True, "tooltipDelay": 150},
}

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ kg_title }}</title>
<style>{% include 'lib/vis-9.1.2/vis-network.css' %}</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<style>
 body { font-family: system-ui, sans-serif; margin: 0; }
 header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
 h1 { font-size: 1.25em; margin: 0 0 4px 0; }
 .kg-note { background: #fff3cd; border: 1px solid #e0c36a; padding: 3px 8px; margin: 4px 0; display: inline-block; }
 .kg-legend { font-size: .85em; margin-top: 3px; }
 .kg-legend span { margin-right: 14px; white-space: nowrap; }
 .kg-dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; border: 1px solid #888; vertical-align: middle; margin-right: 4px; }
 .kg-line { display: inline-block; width: 24px; border-top: 3px solid; vertical-align: middle; margin-right: 4px; }
 #mynetwork { width: {{ width }}; height: {{ height }}; }
 div.vis-tooltip { max-width: 520px; white-space: normal; }
</style>
</head>
<body>
<header>
 <h1>{{ kg_title }}</h1>
 <div>{{ kg_summary }} <span id="kg-status"></span></div>
 {% if kg_note %}<div class="kg-note" id="kg-note">{{ kg_note }}</div>{% endif %}
 <div class="kg-legend">Actors:
 {% for name, colour in kg_types %}<span><i class="kg-dot" style="background: {{ colour }};{% if name == kg_theme %} border-radius: 0;{% endif %}"></i>{{ name }}</span>{% endfor %}
 <span>(size = number of events)</span></div>
 <div class="kg-legend">Events:
 {% for name, colour in kg_quads %}<span><i class="kg-line" style="border-color: {{ colour }}"></i>{{ name }}</span>{% endfor %}
 <span><i class="kg-line" style="border-top-style: dashed; border-color: #555"></i>negated or hypothetical</span></div>
</header>
<div id="mynetwork"></div>
<script>
(function () {
  function asHtml(item) {
    if (typeof item.title === "string") {
      var div = document.createElement("div");
      div.innerHTML = item.title;  /* built from html-escaped text only */
      item.title = div;
    }
    return item;
  }
  var nodes = new vis.DataSet({{ nodes|tojson }}.map(asHtml));
  var edges = new vis.DataSet({{ edges|tojson }}.map(asHtml));
  var status = document.getElementById("kg-status");
  var network = new vis.Network(document.getElementById("mynetwork"),
                                {nodes: nodes, edges: edges}, {{ options|safe }});
  network.on("stabilizationProgress", function (p) {
    status.textContent = "(laying out: " + Math.round(100 * p.iterations / p.total) + "%)";
  });
  network.once("stabilizationIterationsDone", function () {
    status.textContent = "";
    network.setOptions({physics: {enabled: false}});
  });
})();
</script>
</body>
</html>
"""


def _environment(*, title: str, note: str, summary: str, types: set[str]) -> Environment:
    """Jinja environment with our template plus pyvis' bundled vis-network files to inline."""
    lib = Path(pyvis.__file__).parent / "templates"
    env = Environment(loader=ChoiceLoader([DictLoader({"kg.html": _TEMPLATE}),
                                           FileSystemLoader(str(lib))]), autoescape=True)
    env.globals.update(
        kg_title=title, kg_note=note, kg_summary=summary,
        kg_types=[(t, c) for t, c in TYPE_COLOURS.items() if t in types]
        + [(t, TYPE_COLOURS["Actor"]) for t in sorted(types - set(TYPE_COLOURS))],
        kg_theme=THEME,
        kg_quads=[(QUAD_NAMES[q], c) for q, c in QUAD_COLOURS.items()],
    )
    return env


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
