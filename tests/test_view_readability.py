"""The view at corpus scale, in a real headless Chromium: hub labels legible at the default zoom
(the rest on hover or zoom), themes as short chips behind a toggle, filters that refit the view
and reset the side panel and the highlight, Goldstein scores in tooltips and the side panel.

The graph is synthetic (290 actors linked as a seeded Barabási–Albert graph, 10 themes, our own
sentences) and handed to the view as a `to_networkx`-style projection.
"""
from __future__ import annotations

import networkx as nx
import pytest

from kg.views.network import THEME
from kg.views.viz import THEME_CHIP_MAX, _chip, render_html, view_data

from test_browser import Page, browser  # noqa: F401  (the Chromium fixture)

N_ACTORS, N_THEMES = 290, 10
KINDS = [  # action, class, CAMEO, quad class, Goldstein
    ("meet", "ConsultGeneral", "040", 1, 1.0),
    ("criticize", "CriticizeOrDenounce", "111", 3, -2.0),
    ("provide aid to", "ProvideAidGeneral", "070", 2, 7.0),
    ("threaten", "ThreatenGeneral", "130", 3, -4.4),
]
LONG_THEME = "the long dispute over the fishing rights in the northern bay and who may patrol it"
LEGIBLE_PX = 13  # on screen, at the default zoom
HIDDEN_PX = 9  # vis-network draws no label below this on screen (its drawThreshold less one)


def actor(i: int) -> str:
    return f"urn:test:actor:{i}"


def theme(i: int) -> str:
    return f"urn:test:theme:{i}"


def synthetic_projection() -> nx.MultiDiGraph:
    """290 actors (every fifth a state), their events along a Barabási–Albert graph, and 10
    themes that the first actors speak about; dates through 2024, articles of 40 events."""
    g = nx.MultiDiGraph()
    for i in range(N_ACTORS):
        g.add_node(actor(i), label=f"Delegate {i:03d}" if i % 5 else f"Republic {i:03d}",
                   type="State" if i % 5 == 0 else "Person")
    for t in range(N_THEMES):
        g.add_node(theme(t), label=f"{LONG_THEME} (part {t})", type=THEME)
    edges = list(nx.barabasi_albert_graph(N_ACTORS, 2, seed=11).edges())
    edges += [(t, theme(t)) for t in range(N_THEMES)]
    for k, (a, b) in enumerate(edges):
        action, class_, cameo, quad, goldstein = KINDS[k % len(KINDS)]
        source, end = actor(a), b if isinstance(b, str) else actor(b)
        g.add_edge(source, end, key=f"urn:test:event:{k}", action=action, event_type=class_, cameo=cameo,
                   quad_class=quad, goldstein=goldstein, date=f"2024-{1 + k % 12:02d}-{1 + k % 27:02d}",
                   sentence=f"{g.nodes[source]['label']} said it would {action} {g.nodes[end]['label']}.",
                   article_id=f"test-{k // 40}", article_title=f"Test report {k // 40}")
    return g


@pytest.fixture(scope="module")
def projection() -> nx.MultiDiGraph:
    return synthetic_projection()


@pytest.fixture(scope="module")
def page(browser, projection, tmp_path_factory):  # noqa: F811
    path = tmp_path_factory.mktemp("readability") / "view.html"
    summary = render_html(projection, path, title="synthetic")
    assert summary.nodes == N_ACTORS + N_THEMES == 300 and summary.omitted_nodes == 0
    view = Page(browser, path)
    yield view
    view.close()


def labels(page: Page) -> list[dict]:
    """Each drawn (not hidden) node: its events, whether a hub, and its label's height on screen
    as vis-network draws it (canvas font size times the zoom, capped at maxVisible)."""
    return page.js("""() => {
        const net = kgView.network, scale = net.getScale();
        return kgView.nodes.get({filter: n => !n.hidden}).map(n => {
            const body = net.body.nodes[n.id], max = body.options.scaling.label.maxVisible;
            const d = kgView.data.nodes.find(x => x.id === n.id);
            return {id: n.id, events: d.events, hub: Boolean(d.hub), label: n.label,
                    px: Math.min(body.labelModule.fontOptions.size * scale, max)};
        }); }""")


def reset(page: Page) -> None:
    """Every filter off ("Show all"), then a click on an empty corner: nothing highlighted."""
    page.page.click("#kg-reset")
    box = page.page.locator("#kg-network").bounding_box()
    page.page.mouse.click(box["x"] + 5, box["y"] + 5)


# ---------------------------------------------------------------------------- labels

def test_hubs_are_marked_and_themes_become_chips(projection) -> None:
    data, _ = view_data(projection, max_nodes=300)
    actors = [n for n in data["nodes"] if n["type"] != THEME]
    hubs = [n for n in actors if n.get("hub")]
    assert 12 <= len(hubs) <= 40
    most = sorted(actors, key=lambda n: -n["events"])
    assert {n["id"] for n in hubs} == {n["id"] for n in most[:len(hubs)]}
    chips = [n["short"] for n in data["nodes"] if n["type"] == THEME]
    assert len(chips) == N_THEMES and all(len(c) <= THEME_CHIP_MAX and c.endswith("\u2026") for c in chips)
    assert chips[0] == "the long dispute over\u2026"  # cut between words
    assert _chip("release of hostages") == "release of hostages"


def test_hub_labels_are_legible_at_the_default_zoom(page: Page) -> None:
    drawn = labels(page)
    assert len(drawn) == N_ACTORS  # themes hidden by default
    legible = [n for n in drawn if n["px"] >= LEGIBLE_PX]
    hidden = [n for n in drawn if n["px"] < HIDDEN_PX]
    assert 10 <= len(legible) <= 40 and len(legible) + len(hidden) == len(drawn)
    assert all(n["hub"] for n in legible)
    top = max(drawn, key=lambda n: n["events"])
    assert top in legible and top["px"] == max(n["px"] for n in drawn) >= 18  # text grows with events
    # the labels drawn do not overlap one another
    boxes = page.js("ids => ids.map(id => kgView.network.body.nodes[id].labelModule.size)", [n["id"] for n in legible])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert (a["left"] + a["width"] <= b["left"] or b["left"] + b["width"] <= a["left"]
                    or a["top"] + a["height"] <= b["top"] or b["top"] + b["height"] <= a["top"])


def test_other_labels_show_on_zoom_and_on_hover(page: Page) -> None:
    before = {n["id"]: n["px"] for n in labels(page)}
    scale = page.js("kgView.network.getScale()")
    page.js("s => kgView.network.moveTo({scale: s})", scale * 2.5)
    zoomed = labels(page)
    assert sum(n["px"] >= HIDDEN_PX + 1 for n in zoomed) > 3 * sum(px >= HIDDEN_PX for px in before.values())
    page.js("() => kgView.fitVisible()")
    # hover the outermost leaf: its name shows
    leaf = page.js("""() => {
        const pos = kgView.network.getPositions(), ids = Object.keys(pos).filter(id => !kgView.nodes.get(id).hidden);
        const cx = ids.reduce((s, id) => s + pos[id].x, 0) / ids.length, cy = ids.reduce((s, id) => s + pos[id].y, 0) / ids.length;
        return ids.sort((a, b) => Math.hypot(pos[b].x - cx, pos[b].y - cy) - Math.hypot(pos[a].x - cx, pos[a].y - cy))[0]; }""")
    assert before[leaf] < HIDDEN_PX
    page.page.mouse.move(*page.node_point(leaf))
    page.page.wait_for_function("id => kgView.hovered === id", arg=leaf, timeout=5000)
    assert next(n for n in labels(page) if n["id"] == leaf)["px"] >= 14
    box = page.page.locator("#kg-network").bounding_box()
    page.page.mouse.move(box["x"] + 5, box["y"] + 5)  # an empty corner of the canvas
    page.page.wait_for_function("() => kgView.hovered === null", timeout=5000)
    assert next(n for n in labels(page) if n["id"] == leaf)["px"] < HIDDEN_PX


def test_themes_are_shown_on_demand(page: Page, projection) -> None:
    themes = [theme(t) for t in range(N_THEMES)]
    assert page.js("ids => ids.every(id => kgView.nodes.get(id).hidden)", themes)
    theme_edges = "kgView.edges.get({filter: e => e.kind === 'events' && e.to.startsWith('urn:test:theme:')})"
    assert page.js(f"{theme_edges}.every(e => e.hidden)")
    assert page.page.inner_text("label:has(#kg-themes)").strip() == f"themes ({N_THEMES})"
    page.page.check("#kg-themes")
    assert page.js("ids => ids.every(id => !kgView.nodes.get(id).hidden)", themes)
    assert page.js(f"{theme_edges}.filter(e => !e.hidden).length") == N_THEMES
    chip = page.js("id => kgView.nodes.get(id)", themes[0])
    assert chip["shape"] == "box" and len(chip["label"]) <= THEME_CHIP_MAX
    assert page.js("id => kgView.nodes.get(id).title.innerText", themes[0]).startswith(LONG_THEME)
    page.page.uncheck("#kg-themes")
    assert page.js("ids => ids.every(id => kgView.nodes.get(id).hidden)", themes)


# ---------------------------------------------------------------------------- filters

def in_view(page: Page) -> bool:
    """Every visible node's centre lies inside the network's canvas."""
    return page.js("""() => {
        const net = kgView.network, box = document.getElementById('kg-network').getBoundingClientRect();
        const ids = kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id), pos = net.getPositions(ids);
        return ids.every(id => { const p = net.canvasToDOM(pos[id]);
            return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; }); }""")


def test_a_filter_resets_the_panel_and_the_highlight_and_refits(page: Page) -> None:
    view = page.page
    hub = actor(0)
    far = page.js("() => kgView.network.getScale()")
    view.mouse.click(*page.node_point(hub))
    assert page.js("kgView.highlighted") == hub and view.inner_text("#kg-details h2") == "Republic 000"
    # a filter that leaves the actor visible: panel and highlight follow what is left
    view.uncheck("#kg-quads input[value='3']")  # no verbal conflict
    assert page.js("kgView.highlighted") == hub
    shown = page.js("id => kgView.data.events.filter(e => (e.from === id || e.to === id) && e.quad !== 3 "
                    "&& !e.to.startsWith('urn:test:theme:')).length", hub)
    assert f"{shown} events" in view.inner_text("#kg-details .kg-hint")
    assert view.locator("#kg-details .kg-event").count() == shown
    faded = page.js("kgView.nodes.get({filter: n => n.opacity < 1 && !n.hidden}).length")
    assert faded > 0
    # a filter that hides it: the panel is back to its hint, nothing is highlighted, the view refits
    fitted = page.js("kgView.fitted")
    view.fill("#kg-actor", "Delegate 289")  # a late-comer of the graph and its two partners
    assert hub not in page.visible_nodes()
    assert page.js("kgView.highlighted") is None and page.js("kgView.panel") is None
    assert view.inner_text("#kg-details").startswith("Click an edge")
    assert page.js("kgView.nodes.get().every(n => n.opacity === 1)")
    assert page.js("kgView.fitted") > fitted and in_view(page)
    assert page.js("kgView.network.getScale()") > 2 * far  # zoomed in on the few left
    assert all(n["px"] >= LEGIBLE_PX for n in labels(page))  # few enough to name them all
    # an edge in the panel goes when the filter hides it
    edge = page.visible_edges()[0]
    page.js("id => kgView.showEdge(id)", f"events:{edge['from']}\n{edge['to']}")
    view.fill("#kg-actor", "Republic 000")
    assert page.js("kgView.panel") is None and view.inner_text("#kg-details").startswith("Click an edge")
    view.check("#kg-quads input[value='3']")
    reset(page)
    assert in_view(page) and abs(page.js("kgView.network.getScale()") - far) < 0.05 * far
    assert page.js("kgView.highlighted") is None


# ---------------------------------------------------------------------------- Goldstein

def test_goldstein_in_tooltips_and_panel(page: Page, projection) -> None:
    a, b = actor(0), actor(1)
    scores = [d["goldstein"] for _, v, d in projection.out_edges(a, data=True) if v == b]
    assert scores
    mean, total = sum(scores) / len(scores), sum(scores)

    def signed(x: float) -> str:
        return ("+" if x > 0 else "\u2212" if x < 0 else "") + f"{abs(x):.1f}"

    line = f"Goldstein: mean {signed(mean)}, sum {signed(total)} over {len(scores)} factual event"
    edge = f"events:{a}\n{b}"
    tip = page.js("id => kgView.tooltipOf(id).innerText", edge)
    assert line in tip and f"Goldstein {signed(scores[0])}" in tip
    page.js("id => kgView.showEdge(id)", edge)
    assert line in page.page.inner_text("#kg-details")
    page.page.mouse.move(*page.edge_point(edge))  # and the real tooltip, under the mouse
    tooltip = page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "Goldstein" in tooltip.inner_text()
    page.page.mouse.move(1, 1)
    assert page.errors == [] and page.blocked == []


def test_an_empty_view_is_ready(browser, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "empty.html"
    render_html(nx.MultiDiGraph(), path)
    view = Page(browser, path)  # waits for kgView.stabilized
    try:
        assert view.errors == [] and view.js("kgView.nodes.length") == 0
    finally:
        view.close()
