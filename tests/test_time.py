"""Time: `kg stats --by week|month` (cooperation/conflict balance per dyad over time) and the
view's time histogram, whose range is dragged with the real mouse in headless Chromium."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph.build import build_graph, save_graph
from kg.model import Actor, Article, ArticleResult, Event
from kg.views.network import dyad_periods, period_of
from kg.views.viz import render_html, timeline

from test_browser import Page, browser  # noqa: F401  (the Chromium fixture)

RUSSIA = Actor("Russia", "Russia", "State", country="RUS")
CHINA = Actor("China", "China", "State", country="CHN")
UKRAINE = Actor("Ukraine", "Ukraine", "State", country="UKR")
# (date, subject, action, target, CAMEO, quad, Goldstein): our own toy timeline
EVENTS = [
    ("2024-01-08", RUSSIA, "meet", CHINA, "040", 1, 1.0),
    ("2024-01-10", RUSSIA, "praise", CHINA, "051", 1, 3.4),
    ("2024-01-20", RUSSIA, "accuse", UKRAINE, "112", 3, -2.0),
    ("2024-02-05", RUSSIA, "attack", UKRAINE, "190", 4, -10.0),
    ("2024-02-06", RUSSIA, "criticize", CHINA, "111", 3, -2.0),
    ("2024-03-18", CHINA, "sign", RUSSIA, "057", 1, 8.0),
    ("2024-03-19", RUSSIA, "provide aid", UKRAINE, "070", 2, 7.0),
]


def results() -> list[ArticleResult]:
    out = []
    for i, (date, subject, action, target, code, quad, goldstein) in enumerate(EVENTS):
        sentence = f"{subject.name} did {action} with {target.name}."
        article = Article(f"t{i}", sentence, title=f"Item {i}", date=date)
        out.append(ArticleResult(article, [Event(article.id, 0, sentence, subject, action, target=target,
                                                 event_type="Event", cameo=code, quad_class=quad,
                                                 goldstein=goldstein, confidence=0.8)], [sentence]))
    return out


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("time") / "timeline.ttl"
    save_graph(build_graph(results()), path)
    return path


def test_periods() -> None:
    assert period_of("2024-01-08", "week") == "2024-W02" and period_of("2024-12-30", "week") == "2025-W01"
    assert period_of("2024-03-19", "month") == "2024-03" and period_of("2024-03", "week") is None


def test_dyad_balance_by_month() -> None:
    table = dyad_periods(build_graph(results()), "month")
    rows = {(r["period"], r["source_label"], r["target_label"]): r for r in table["rows"]}
    january = rows[("2024-01", "Russia", "China")]
    assert (january["events"], january["cooperation"], january["conflict"], january["balance"]) == (2, 2, 0, 2)
    assert january["goldstein"] == 4.4
    assert rows[("2024-02", "Russia", "Ukraine")]["balance"] == -1
    assert [r["period"] for r in table["rows"]] == sorted(r["period"] for r in table["rows"])


def test_stats_by_month_and_week(graph_file) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["stats", str(graph_file), "--by", "month"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("cooperation and conflict by month, per dyad")
    assert lines[1].split() == ["period", "dyad", "events", "mentions", "cooperation", "conflict", "balance", "goldstein"]
    assert lines[2].split() == ["2024-01", "Russia", "->", "China", "2", "2", "2", "0", "+2", "+4.4"]
    assert any(line.split()[:4] == ["2024-02", "Russia", "->", "Ukraine"] and line.split()[-2:] == ["-1", "-10.0"]
               for line in lines)
    weekly = json.loads(runner.invoke(main, ["stats", str(graph_file), "--by", "week", "--format", "json"]).output)
    assert weekly["period"] == "week" and weekly["rows"][0]["period"] == "2024-W02"
    state = runner.invoke(main, ["stats", str(graph_file), "--by", "state", "--by", "month"])
    assert state.exit_code == 0 and "2024-03" in state.output
    bad = runner.invoke(main, ["stats", str(graph_file), "--by", "week", "--by", "month"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output and "one time step" in bad.output


def test_timeline_bins() -> None:
    bins = timeline(["2024-01-08", "2024-01-10", "2024-03-19", None, "2024-02"])
    assert bins["step"] == "day" and bins["bins"][0] == {"start": "2024-01-08", "end": "2024-01-08", "count": 1}
    assert sum(b["count"] for b in bins["bins"]) == 4 and bins["bins"][-1]["start"] == "2024-03-19"
    yearly = timeline(["2000-01-01", "2024-01-01"])
    assert yearly["step"] == "year" and len(yearly["bins"]) == 25
    assert timeline([]) == {"step": None, "bins": []}


def test_dragging_the_histogram_filters_by_date(browser, tmp_path) -> None:  # noqa: F811
    path = tmp_path / "timeline.html"
    render_html(build_graph(results()), path, title="timeline")
    page = Page(browser, path)
    try:
        assert not page.errors
        view = page.page
        assert view.evaluate("kgView.visibleEvents") == len(EVENTS)
        bins = view.evaluate("kgView.data.timeline")
        assert bins["step"] == "day" and sum(b["count"] for b in bins["bins"]) == len(EVENTS)
        box = view.locator("#kg-histogram").bounding_box()
        n = len(bins["bins"])
        last = max(i for i, b in enumerate(bins["bins"]) if b["end"] < "2024-02-01")  # 31 January

        def x(i: float) -> float:
            return box["x"] + (i + 0.5) * box["width"] / n

        # drag from the first day to the end of January: January's events only
        y = box["y"] + box["height"] / 2
        view.mouse.move(x(0), y)
        view.mouse.down()
        view.mouse.move(x(last / 2), y, steps=4)
        view.mouse.move(x(last), y, steps=4)
        view.mouse.up()
        since, until = view.input_value("#kg-since"), view.input_value("#kg-until")
        assert (since, until) == ("2024-01-08", "2024-01-31")
        january = sum(1 for e in EVENTS if since <= e[0] <= until)
        assert january == 3 and view.evaluate("kgView.visibleEvents") == january
        assert view.evaluate("kgView.edges.get().filter(e => e.kind === 'events').length") == 2
        assert view.locator("#kg-histogram rect.kg-out").count() == n - (last + 1)
        assert "2024-01-08" in view.inner_text("#kg-range")
        # typing a date moves the brush too; "Show all" clears it
        view.fill("#kg-since", "2024-03-01")
        view.fill("#kg-until", "")
        assert view.evaluate("kgView.visibleEvents") == 2
        view.click("#kg-reset")
        assert view.evaluate("kgView.visibleEvents") == len(EVENTS)
        assert view.locator("#kg-histogram rect.kg-out").count() == 0
        assert view.get_attribute("#kg-histogram rect.kg-brush", "visibility") == "hidden"
        view.screenshot(path=str(tmp_path / "timeline.png"))
        assert not page.errors
    finally:
        page.close()
