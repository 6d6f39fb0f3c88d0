"""The HTML view in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Every page is opened from file:// with every other request aborted and recorded; the tests
read the page's vis DataSets through `window.kgView` and move the real mouse over the canvas.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

import kg
from kg.model import Actor, Article, ArticleResult, Event
from kg.views.viz import render_html
from kg.vocab import actor_iri

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
KGO = "PREFIX kgo: <https://w3id.org/kg-diplomacy/ontology#>\n"
PWNED = "window.__kgPwned"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (bash scripts/setup-venv.sh does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]'")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900})
        yield context
        context.close()


class Page:
    """A kg view opened from file://, with the requests it tried, its errors and dialogs."""

    def __init__(self, context, path: Path) -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgView && window.kgView.stabilized", timeout=60_000)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def visible_edges(self) -> list[dict[str, Any]]:
        return self.js("kgView.edges.get({filter: e => e.kind === 'events' && !e.hidden})"
                       ".map(e => ({from: e.from, to: e.to, events: e.events, count: e.count}))")

    def visible_nodes(self) -> set[str]:
        return set(self.js("kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))

    def edge_point(self, edge_id: str) -> tuple[float, float]:
        """Page coordinates of the middle of a drawn edge."""
        return tuple(self.js("""id => {
            const net = kgView.network, p = net.body.edges[id].edgeType.getPoint(0.5);
            const dom = net.canvasToDOM(p), box = document.getElementById('kg-network').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y]; }""", edge_id))

    def node_point(self, node_id: str) -> tuple[float, float]:
        return tuple(self.js("""id => {
            const net = kgView.network, dom = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('kg-network').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y]; }""", node_id))

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def example_page(browser, example_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("view") / "example.html"
    render_html(example_graph, path, title="Russia, Hamas and the hostages")
    page = Page(browser, path)
    yield page
    page.close()


def _rows(graph: Dataset, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(str(v) if v is not None else "" for v in row) for row in kg.run_query(graph, KGO + sparql).rows]


def _graph_events(graph: Dataset) -> dict[str, tuple[str, str]]:
    """Event IRI -> (source, end) straight from SPARQL: the end is the target, else the object, else the theme."""
    rows = _rows(graph, """SELECT ?e (MIN(?s) AS ?src) (MIN(?t) AS ?tgt) (MIN(?o) AS ?obj) (MIN(?th) AS ?thm)
        WHERE { ?e kgo:source ?s . OPTIONAL { ?e kgo:target ?t } OPTIONAL { ?e kgo:object ?o }
                OPTIONAL { ?e kgo:theme ?th } } GROUP BY ?e""")
    return {e: (s, t or o or th) for e, s, t, o, th in rows if t or o or th}


# --------------------------------------------------------------------------- the example page

def test_loads_offline_without_errors(example_page: Page) -> None:
    assert example_page.blocked == []  # nothing but the file itself was requested
    assert example_page.errors == [] and example_page.dialogs == []
    assert example_page.js("document.querySelectorAll('script[src], link[href], img, iframe').length") == 0


def test_counts_equal_the_graph(example_page: Page, example_graph: Dataset) -> None:
    events = _graph_events(example_graph)
    ends = {n for pair in events.values() for n in pair}
    orgs = {org for person, org in _rows(example_graph, "SELECT ?p ?o WHERE { ?p kgo:affiliation ?o }")
            if person in ends}
    assert example_page.js("kgView.nodes.length") == len(ends | orgs)
    example_page.page.check("#kg-themes")  # themes are off by default
    edges = example_page.visible_edges()
    example_page.page.uncheck("#kg-themes")
    assert len(edges) == len(set(events.values()))  # one edge per ordered pair
    assert sum(e["count"] for e in edges) == len(events)
    assert sorted(i for e in edges for i in e["events"]) == sorted(events)
    counts = example_page.page.inner_text("#kg-counts")
    assert f"{len(events)} events on {len(set(events.values()))} edges" in counts


def test_persons_are_linked_to_whom_they_represent(example_page: Page, example_graph: Dataset) -> None:
    links = example_page.js("kgView.edges.get({filter: e => e.kind === 'represents'}).map(e => [e.from, e.to])")
    marzouk, hamas = (actor_iri(n, "Actor") for n in ("Mousa Abu Marzouk", "Hamas"))
    assert [marzouk, hamas] in links
    bogdanov, russia = (actor_iri(n, "Actor") for n in ("Mikhail Bogdanov", "Russia"))
    assert [bogdanov, russia] in links  # same country, no explicit affiliation


def test_hovering_and_clicking_an_edge_shows_the_evidence(example_page: Page, example_graph: Dataset) -> None:
    lavrov, hamas = (actor_iri(n, "Actor") for n in ("Sergei Lavrov", "Hamas"))
    (sentence,), = _rows(example_graph, f"""SELECT ?text WHERE {{ ?e kgo:source <{lavrov}> ; kgo:target <{hamas}> ;
        kgo:action "condemn" ; <http://www.w3.org/ns/prov#wasDerivedFrom>/kgo:text ?text }}""")
    page = example_page.page
    x, y = example_page.edge_point(f"events:{lavrov}\n{hamas}")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert sentence in tooltip.inner_text()
    assert "Sergei Lavrov \u2192 Hamas: 1 event" in tooltip.inner_text()
    page.mouse.click(x, y)
    details = page.inner_text("#kg-details")
    assert sentence in details and "condemn" in details and "CAMEO 111" in details
    assert "Article: Russia tells Hamas to release hostages" in details


def test_clicking_a_node_highlights_its_neighbourhood(example_page: Page) -> None:
    russia = actor_iri("Russia", "State")
    page = example_page.page
    page.mouse.click(*example_page.node_point(russia))
    assert example_page.js("kgView.highlighted") == russia
    neighbours = set(example_page.js("id => kgView.network.getConnectedNodes(id)", russia)) & example_page.visible_nodes()
    opacity = example_page.js("Object.fromEntries(kgView.nodes.get().map(n => [n.id, n.opacity]))")
    assert {n for n, o in opacity.items() if o == 1} == neighbours | {russia}
    assert len([o for o in opacity.values() if o < 1]) == len(opacity) - len(neighbours) - 1 > 0
    assert page.inner_text("#kg-details h2") == "Russia"
    box = page.locator("#kg-network").bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)  # empty canvas: everything back
    assert example_page.js("kgView.nodes.get().every(n => n.opacity === 1)")
    assert example_page.js("kgView.highlighted") is None


def test_filters_change_what_is_visible(example_page: Page) -> None:
    page = example_page.page
    everything = example_page.visible_nodes()
    page.fill("#kg-actor", "lavrov")
    edges = example_page.visible_edges()
    lavrov = actor_iri("Sergei Lavrov", "Person")
    assert len(edges) == 2 and all(lavrov in (e["from"], e["to"]) for e in edges)  # two actors, and a theme:
    assert example_page.visible_nodes() == {lavrov} | {e["to"] for e in edges}
    assert page.inner_text("#kg-shown").startswith("showing 2 of ")
    page.check("#kg-themes")
    edges = example_page.visible_edges()
    assert len(edges) == 3 and all(lavrov in (e["from"], e["to"]) for e in edges)
    assert example_page.visible_nodes() == {lavrov} | {e["to"] for e in edges}
    assert page.inner_text("#kg-shown").startswith("showing 3 of ")
    page.uncheck("#kg-themes")
    page.fill("#kg-actor", "")
    page.select_option("#kg-class", "11")  # Disapprove
    classes = example_page.js("kgView.edges.get({filter: e => e.kind === 'events'})"
                              ".flatMap(e => e.events.map(id => kgView.data.events.find(v => v.id === id).root))")
    assert classes and set(classes) == {"11"}
    page.select_option("#kg-class", "")
    page.uncheck("#kg-quads input[value='1']")  # verbal cooperation off
    quads = example_page.js("kgView.data.events.filter(v => kgView.edges.get().some(e => (e.events || []).includes(v.id)))"
                            ".map(v => v.quad)")
    assert quads and 1 not in quads
    page.click("#kg-reset")
    assert example_page.visible_nodes() == everything
    assert example_page.js("kgView.visibleEvents") == example_page.js(  # every event but those of themes
        "kgView.data.events.filter(e => kgView.data.nodes.every(n => n.type !== 'Theme' || (n.id !== e.from && n.id !== e.to))).length")


def test_physics_settles_then_stops(example_page: Page) -> None:
    assert example_page.js("kgView.network.physics.physicsEnabled") is False
    before = example_page.js("kgView.network.getPositions()")
    example_page.page.wait_for_timeout(300)
    assert example_page.js("kgView.network.getPositions()") == before


def test_screenshot(example_page: Page, tmp_path_factory) -> None:
    example_page.page.mouse.move(1, 1)
    shot = tmp_path_factory.mktemp("screenshots") / "example-view.png"
    example_page.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")


# --------------------------------------------------------------------------- hostile articles

PAYLOADS = [f"<script>{PWNED} = 1</script>", f"<img src=x onerror=\"{PWNED}=2\">",
            f"<a href=\"javascript:{PWNED}=3\">link</a>", f"<svg onload={PWNED}=4>"]
PROBE_ARTICLES = [
    {"id": "probe-1", "date": "2023-10-07", "title": f"Talks {PAYLOADS[0]}", "url": f"javascript:{PWNED}=5",
     "text": f"Russia condemned Israel over the strikes {PAYLOADS[0]}.\nEgypt met Qatar in Cairo {PAYLOADS[1]}."},
    {"id": "probe-2", "date": "2023-11-20", "title": "Second", "url": "https://news.invalid/2",
     "text": f"Turkey criticized Sweden {PAYLOADS[2]}.\nFrance called on Iran to free the journalists."},
]


@pytest.fixture(scope="module")
def hostile_graph(nlp, tmp_path_factory) -> Dataset:
    """Real extraction of articles full of markup, plus actors whose names are markup."""
    source = tmp_path_factory.mktemp("probe") / "probe.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in PROBE_ARTICLES), encoding="utf-8")
    results = list(kg.extract_paths([source]))
    sentence = f"{PAYLOADS[3]} met {PAYLOADS[1]} in Geneva."
    evil = [Actor(p, p, "Person", affiliation=PAYLOADS[0] if i == 3 else None) for i, p in enumerate(PAYLOADS)]
    article = Article("probe-3", sentence, title=PAYLOADS[2], date="2023-12-01", url=f"javascript:{PWNED}=6")
    results.append(ArticleResult(article, [
        Event("probe-3", 0, sentence, evil[3], "meet", object=evil[1], event_type="ConsultGeneral",
              cameo="040", goldstein=1.0, quad_class=1, date="2023-12-01"),
        Event("probe-3", 0, sentence, evil[0], "condemn", object=evil[2], event_type="CriticizeOrDenounce",
              cameo="111", goldstein=-2.0, quad_class=3, date="2023-12-01"),
    ], [sentence]))
    return kg.build_graph(results)


@pytest.fixture(scope="module")
def hostile_page(browser, hostile_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.html"
    render_html(hostile_graph, path, title=f"Probe {PAYLOADS[0]}")
    page = Page(browser, path)
    if page.page.locator("#kg-themes").count():
        page.page.check("#kg-themes")  # every node and edge drawn
    yield page
    page.close()


def _touch_everything(page: Page) -> None:
    """Hover and click every edge and node, so every tooltip and panel is rendered."""
    for edge in page.js("kgView.edges.getIds()"):
        point = page.edge_point(edge)
        page.page.mouse.move(*point)
        page.page.wait_for_timeout(200)
        page.page.mouse.click(*point)
        page.js("id => kgView.showEdge(id)", edge)
    for node in page.js("kgView.nodes.getIds()"):
        page.page.mouse.click(*page.node_point(node))


def test_injection_probes_execute_nothing(hostile_page: Page) -> None:
    _touch_everything(hostile_page)
    assert hostile_page.js(f"typeof {PWNED}") == "undefined"
    assert hostile_page.dialogs == [] and hostile_page.errors == []
    assert hostile_page.blocked == []  # no <img src=x>, no navigation
    assert hostile_page.page.url.startswith("file:")
    counts = hostile_page.js("""({scripts: document.scripts.length, imgs: document.images.length,
        svgs: document.querySelectorAll('body svg:not(#kg-histogram)').length,
        jsLinks: [...document.querySelectorAll('a')].filter(a => a.protocol === 'javascript:').length})""")
    assert counts == {"scripts": 3, "imgs": 0, "svgs": 0, "jsLinks": 0}


def test_markup_is_shown_as_text(hostile_page: Page) -> None:
    page = hostile_page.page
    assert page.inner_text("#kg-title") == f"Probe {PAYLOADS[0]}"
    labels = hostile_page.js("kgView.nodes.get().map(n => n.label)")
    assert PAYLOADS[3] in labels and PAYLOADS[1] in labels  # drawn on the canvas as text
    evil = actor_iri(PAYLOADS[0], "Person")
    page.mouse.click(*hostile_page.node_point(evil))
    details = page.inner_text("#kg-details")
    assert PAYLOADS[0] in details and PAYLOADS[2] in details  # name, and article title as text
    edge = next(e for e in hostile_page.js("kgView.edges.getIds()") if e.startswith(f"events:{evil}"))
    hostile_page.js("id => kgView.showEdge(id)", edge)
    details = page.inner_text("#kg-details")
    assert f"\u201c{PAYLOADS[3]} met {PAYLOADS[1]} in Geneva.\u201d" in details  # the evidence
    assert f"Article: {PAYLOADS[2]} javascript:{PWNED}=6" in details  # the URL is text, not a link


def test_date_range_filter(hostile_page: Page, hostile_graph: Dataset) -> None:
    page = hostile_page.page
    dated = _rows(hostile_graph, "SELECT ?e ?d WHERE { ?e kgo:source ?s ; kgo:date ?d }")
    in_november = {e for e, d in dated if "2023-11-01" <= d <= "2023-11-30"} & set(_graph_events(hostile_graph))
    page.fill("#kg-since", "2023-11-01")
    page.fill("#kg-until", "2023-11-30")
    shown = {i for e in hostile_page.visible_edges() for i in e["events"]}
    assert shown == in_november and shown
    page.click("#kg-reset")
    assert hostile_page.js("kgView.visibleEvents") == len(_graph_events(hostile_graph))
