"""The map in headless Chromium: outlines drawn, time and clutter controls, route focus,
labels apart, PNG and SVG pictures. Skips (fails in CI) without Chromium, as
tests/test_draw_browser.py does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from graph.draw import FlowNetwork, draw, write_html
from graph.geolayout import Projection
from graph.headless import PageLoad, open_page
from graph.mapexport import write_picture

from .test_draw import HOSTILE, hostile_graph
from .test_draw_browser import arrows_shown, gold, pixel_stats

__all__ = ["gold"]  # a fixture shared with the other browser tests

LAND, CHOSEN, OCEAN = (230, 226, 216), (201, 214, 227), (243, 247, 250)


@pytest.fixture(scope="module")
def drawn(gold: Graph, tmp_path_factory: pytest.TempPathFactory) -> tuple[FlowNetwork, Path]:
    net = draw(gold)
    return net, write_html(net, tmp_path_factory.mktemp("map") / "map.html")


@pytest.fixture
def loaded(browser: Any, drawn: tuple[FlowNetwork, Path]) -> Iterator[tuple[Any, PageLoad]]:
    page, seen = open_page(browser, drawn[1])
    yield page, seen
    page.close()


def pixel(page: Any, lat: float, lon: float) -> tuple[int, int, int]:
    """The colour the map's canvas has at a latitude and longitude of the world map."""
    x, y = Projection()(lat, lon)
    rgb: list[int] = page.evaluate(
        """([x, y]) => {
            const cg = window.crimegraph;
            cg.network.redraw();
            const p = cg.network.canvasToDOM({x, y});
            const canvas = document.querySelector("#cg-network canvas");
            const k = canvas.width / canvas.getBoundingClientRect().width;
            const ctx = canvas.getContext("2d");
            const d = ctx.getImageData(Math.round(p.x * k), Math.round(p.y * k), 1, 1).data;
            return [d[0], d[1], d[2]];
        }""",
        [x, y],
    )
    return (rgb[0], rgb[1], rgb[2])


def test_country_outlines_are_drawn_under_the_network(loaded: tuple[Any, PageLoad]) -> None:
    page, seen = loaded
    assert seen.console_errors == [] and seen.requests == [seen.url]
    page.click("#cg-markets-none")  # nothing over the map
    assert pixel(page, 47.0, 72.0) == LAND  # inside Kazakhstan
    assert pixel(page, -40.0, 75.0) == OCEAN  # the Indian Ocean
    page.select_option("#cg-country", "KAZ")
    assert pixel(page, 47.0, 72.0) == CHOSEN  # the chosen country stands out
    page.select_option("#cg-country", "")
    page.click("#cg-markets-all")


def test_the_year_control_shows_the_routes_of_that_years_sources(
    loaded: tuple[Any, PageLoad], drawn: tuple[FlowNetwork, Path]
) -> None:
    page, _ = loaded
    content = drawn[0].page.content
    years, flow_docs = content["document_years"], content["flow_docs"]
    every = arrows_shown(page)
    by_year = {}
    for year in (2000, 2022):
        page.select_option("#cg-year", str(year))
        by_year[year] = arrows_shown(page)
        expected = sorted(
            (e["from"], e["to"], e["market"])
            for e in drawn[0].edges
            if e["kind"] == "flow"
            and any(years[d] == year for f in e["flows"] for d in flow_docs[f])
        )
        assert by_year[year] == expected and expected
    assert by_year[2000] != by_year[2022]
    page.select_option("#cg-year", "")
    assert arrows_shown(page) == every


def test_showing_the_strongest_arrows_keeps_those_with_most_sources(
    loaded: tuple[Any, PageLoad],
) -> None:
    page, _ = loaded
    total = len(arrows_shown(page))
    page.select_option("#cg-top", "50")
    sources: list[list[Any]] = page.evaluate(
        """() => window.crimegraph.edges.get({filter: e => e.kind === "flow"})
            .map(e => [e.sources, e.hidden === true])"""
    )
    shown = [s for s, hidden in sources if not hidden]
    hidden = [s for s, off in sources if off]
    assert len(shown) == 50 and min(shown) >= max(hidden)
    assert "50 arrows (of " in page.inner_text("#cg-stats")
    page.select_option("#cg-top", "0")
    assert len(arrows_shown(page)) == total


def click_arrow(page: Any, arrow_id: str) -> None:
    """Click the middle of an arrow as drawn (arrows curve)."""
    x, y = page.evaluate(
        """(id) => {
            const cg = window.crimegraph;
            const mid = cg.network.body.edges[id].edgeType.getPoint(0.5);
            const p = cg.network.canvasToDOM(mid);
            const box = document.getElementById("cg-network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        arrow_id,
    )
    page.mouse.click(x, y)


def test_clicking_an_arrow_highlights_its_whole_route_and_lists_its_evidence(
    loaded: tuple[Any, PageLoad], drawn: tuple[FlowNetwork, Path]
) -> None:
    page, _ = loaded
    net = drawn[0]
    content = net.page.content
    page.click("#cg-markets-none")
    page.check('input[data-market="heroin-trade"]')
    by_key = {(e["from"], e["to"], e["market"]): e for e in net.edges if e["kind"] == "flow"}
    arrow = by_key[("AFG", "KAZ", "heroin-trade")]
    click_arrow(page, arrow["id"])
    focus = page.evaluate("window.crimegraph.state.focus")
    assert focus["arrow"] == arrow["id"]
    chain = {
        e["id"] for e in net.edges if e["kind"] == "flow" and set(e["flows"]) & set(focus["flows"])
    }
    assert set(focus["arrows"]) == chain
    assert by_key[("KAZ", "RUS", "heroin-trade")]["id"] in chain  # the route goes on to Russia
    dimmed = page.evaluate(
        """(chain) => window.crimegraph.edges.get({filter: e => e.kind === "flow" && !e.hidden
            && !chain.includes(e.id)}).map(e => e.color.color)""",
        sorted(chain),
    )
    assert dimmed and all(c.startswith("rgba(160,160,160") for c in dimmed)
    assert page.is_visible("#cg-route")
    quotes = page.locator("#cg-route .cg-quote").all_inner_texts()
    expected = {
        content["evidence"][q][0] for f in focus["flows"] for q in content["flow_evidence"][f]
    }
    assert quotes and set(quotes) <= expected
    assert "Afghanistan" in page.inner_text("#cg-route .cg-route-head")
    page.click("#cg-route-clear")
    assert page.evaluate("window.crimegraph.state.focus") is None
    assert not page.is_visible("#cg-route")
    page.click("#cg-markets-all")


def test_clicking_a_country_shows_its_flows(loaded: tuple[Any, PageLoad], gold: Graph) -> None:
    page, _ = loaded
    x, y = page.evaluate(
        """() => {
            const cg = window.crimegraph;
            const p = cg.network.canvasToDOM(cg.network.getPositions(["KAZ"]).KAZ);
            const box = document.getElementById("cg-network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(x, y)
    assert page.input_value("#cg-country") == "KAZ"
    shown = arrows_shown(page)
    assert shown and all("KAZ" in (a, b) for a, b, _ in shown)
    page.select_option("#cg-country", "")


def test_labels_never_overlap_and_more_show_when_zoomed_in(loaded: tuple[Any, PageLoad]) -> None:
    page, _ = loaded

    def labels() -> list[dict[str, Any]]:
        page.evaluate("window.crimegraph.network.redraw()")
        page.wait_for_timeout(100)
        found: list[dict[str, Any]] = page.evaluate("window.crimegraph.state.labels")
        return found

    far = labels()
    assert far
    for i, a in enumerate(far):
        for b in far[i + 1 :]:
            x0, y0, x1, y1 = a["box"]
            u0, v0, u1, v1 = b["box"]
            assert not (x0 < u1 and u0 < x1 and y0 < v1 and v0 < y1), (a["text"], b["text"])
    page.evaluate(
        """() => { const n = window.crimegraph.network, kaz = n.getPositions(["KAZ"]).KAZ;
            n.moveTo({scale: n.getScale() * 4, position: kaz, animation: false}); }"""
    )
    near = {label["id"] for label in labels()}
    assert "KAZ" in near
    page.evaluate("window.crimegraph.network.fit({animation: false})")


def test_the_png_picture_shows_the_map(
    browser: Any, drawn: tuple[FlowNetwork, Path], tmp_path: Path
) -> None:
    path = write_picture(drawn[0], tmp_path / "map.png", browser=browser)
    png = path.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    inked, colours = pixel_stats(browser, png)
    assert inked > 0.3 and colours > 50  # land, ocean, arrows, nodes


def test_the_svg_picture_holds_outlines_arrows_and_escaped_text(
    browser: Any, tmp_path: Path
) -> None:
    net = draw(hostile_graph(), title=f"Flows {HOSTILE}")
    path = write_picture(net, tmp_path / "map.svg", browser=browser)
    root = ET.parse(path).getroot()  # well-formed: the hostile text did not break it
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    paths = list(root.iter(f"{ns}path"))
    assert any(p.get("data-country") == "KAZ" for p in paths)
    assert sum(1 for p in paths if p.get("data-arrow")) == 1
    assert not list(root.iter(f"{ns}script")) and not list(root.iter(f"{ns}image"))
    texts = [t.text or "" for t in root.iter(f"{ns}text")]
    assert f"Flows {HOSTILE}" in texts  # the title, as text
    assert any("Kazakhstan" in t for t in texts)


def test_clicking_an_arrow_of_a_hostile_document_shows_its_text_as_text(
    browser: Any, tmp_path: Path
) -> None:
    path = write_html(draw(hostile_graph()), tmp_path / "hostile.html")
    page, seen = open_page(browser, path)
    try:
        arrow = page.evaluate("window.crimegraph.edges.get({filter: e => e.kind === 'flow'})[0].id")
        click_arrow(page, arrow)
        assert page.evaluate("window.crimegraph.state.focus.arrow") == arrow
        assert HOSTILE in page.inner_text("#cg-route")
        assert page.evaluate("() => window.pwned") is None
        assert seen.requests == [seen.url] and seen.console_errors == []
    finally:
        page.close()
