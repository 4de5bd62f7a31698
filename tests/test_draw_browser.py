"""The HTML flow map in a real headless Chromium: it loads offline, draws, filters, is safe.

Locally the tests skip when Chromium is not installed; in CI (``CI=true``) they fail instead,
since CI installs it (``apt-get install chromium``).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from graph.build import BuildResult
from graph.draw import FlowNetwork, draw, write_html
from graph.headless import PageLoad, open_page

from .test_draw import HOSTILE, hostile_graph


@pytest.fixture(scope="module")
def gold(gold_build: BuildResult) -> Graph:
    return gold_build.graph


@pytest.fixture(scope="module")
def drawn(gold: Graph, tmp_path_factory: pytest.TempPathFactory) -> tuple[FlowNetwork, Path]:
    net = draw(gold)
    return net, write_html(net, tmp_path_factory.mktemp("page") / "flows.html")


@pytest.fixture
def loaded(browser: Any, drawn: tuple[FlowNetwork, Path]) -> Iterator[tuple[Any, PageLoad]]:
    page, seen = open_page(browser, drawn[1])
    yield page, seen
    page.close()


def arrows_shown(page: Any) -> list[tuple[str, str, str]]:
    """(from, to, market) of every flow arrow the page shows."""
    shown: list[list[str]] = page.evaluate(
        """() => window.crimegraph.edges
            .get({filter: e => e.kind === "flow" && !e.hidden})
            .map(e => [e.from, e.to, e.market])"""
    )
    return sorted((a, b, m) for a, b, m in shown)


def arrows_of(net: FlowNetwork) -> list[tuple[str, str, str]]:
    return sorted((e["from"], e["to"], e["market"]) for e in net.edges if e["kind"] == "flow")


def test_the_page_loads_with_no_error_and_no_request_but_itself(
    loaded: tuple[Any, PageLoad],
) -> None:
    _, seen = loaded
    assert seen.console_errors == []
    assert seen.requests == [seen.url]


def test_the_network_holds_every_node_and_edge(
    loaded: tuple[Any, PageLoad], drawn: tuple[FlowNetwork, Path]
) -> None:
    page, _ = loaded
    net = drawn[0]
    counts = page.evaluate(
        "() => [window.crimegraph.nodes.length, window.crimegraph.edges.length,"
        " Object.keys(window.crimegraph.network.getPositions()).length]"
    )
    assert counts == [net.num_nodes(), net.num_edges(), net.num_nodes()]
    assert arrows_shown(page) == arrows_of(net)


def test_choosing_one_market_hides_the_other_markets_arrows(
    loaded: tuple[Any, PageLoad], gold: Graph
) -> None:
    page, _ = loaded
    page.click("#cg-markets-none")
    assert arrows_shown(page) == []
    page.check('input[data-market="heroin-trade"]')
    assert arrows_shown(page) == arrows_of(draw(gold, markets=["heroin-trade"]))
    page.click("#cg-markets-all")
    assert len(arrows_shown(page)) == len(arrows_of(draw(gold)))


def test_choosing_a_country_shows_only_the_flows_that_touch_it(
    loaded: tuple[Any, PageLoad], gold: Graph
) -> None:
    page, _ = loaded
    page.select_option("#cg-country", "KAZ")
    assert arrows_shown(page) == arrows_of(draw(gold, countries=["KAZ"]))
    hidden_countries = page.evaluate(
        """() => window.crimegraph.nodes.get({filter: n => n.kind === "country" && n.hidden})
            .map(n => n.id)"""
    )
    assert "TLS" in hidden_countries  # Timor-Leste's flows do not touch Kazakhstan


def test_a_screenshot_shows_a_drawing(
    browser: Any, loaded: tuple[Any, PageLoad], tmp_path: Path
) -> None:
    page, _ = loaded
    shot = tmp_path / "flows.png"
    page.locator("#cg-network").screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    inked, colours = pixel_stats(browser, shot.read_bytes())
    assert inked > 0.01, f"only {inked:.2%} of the pixels differ from the background"
    assert colours > 20


def pixel_stats(browser: Any, png: bytes) -> tuple[float, int]:
    """Share of non-white pixels and number of distinct colours of a PNG, decoded by Chromium
    in a blank page of its own."""
    data_url = "data:image/png;base64," + base64.b64encode(png).decode()
    blank = browser.new_page()
    stats: list[float] = blank.evaluate(
        """async (url) => {
            const bitmap = await createImageBitmap(await (await fetch(url)).blob());
            const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
            const ctx = canvas.getContext("2d");
            ctx.drawImage(bitmap, 0, 0);
            const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
            let inked = 0; const colours = new Set();
            for (let i = 0; i < px.length; i += 4) {
                if (px[i] < 245 || px[i + 1] < 245 || px[i + 2] < 245) inked++;
                colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
            }
            return [inked / (px.length / 4), colours.size];
        }""",
        data_url,
    )
    blank.close()
    return stats[0], int(stats[1])


def test_text_from_a_hostile_document_runs_no_code(browser: Any, tmp_path: Path) -> None:
    path = write_html(draw(hostile_graph(), title=f"Flows {HOSTILE}"), tmp_path / "hostile.html")
    page, seen = open_page(browser, path)
    try:
        dialogs: list[str] = []
        page.on("dialog", lambda d: dialogs.append(d.message))
        page.select_option("#cg-country", "KAZ")  # redraw with filters
        tooltip = hover_node(page, "heroin <script>")
        assert page.evaluate("() => window.pwned") is None
        assert dialogs == [] and seen.console_errors == []
        assert seen.requests == [seen.url]  # the <img src=x> was never made an element
        assert HOSTILE in tooltip  # shown, as text
        assert page.title().startswith("Flows <script>")
    finally:
        page.close()


def hover_node(page: Any, prefix: str) -> str:
    """Move the mouse onto the first node whose label starts with ``prefix``; the tooltip's text."""
    x, y = page.evaluate(
        """(prefix) => {
            const cg = window.crimegraph;
            const id = cg.nodes.get().find(n => n.label.startsWith(prefix)).id;
            const p = cg.network.canvasToDOM(cg.network.getPositions([id])[id]);
            const box = document.getElementById("cg-network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        prefix,
    )
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return str(page.inner_text("div.vis-tooltip"))


def test_draw_country_kaz_has_no_arrow_that_does_not_touch_kaz(
    browser: Any, gold: Graph, tmp_path: Path
) -> None:
    net = draw(gold, countries=["KAZ"])
    page, seen = open_page(browser, write_html(net, tmp_path / "kaz.html"))
    try:
        shown = arrows_shown(page)
        assert shown and seen.console_errors == []
        assert all("KAZ" in (a, b) for a, b, _ in shown)
        whole = arrows_of(draw(gold, countries=["KAZ"], whole_chains=True))
        assert set(shown) < set(whole)  # the whole chains add legs that do not touch KAZ
    finally:
        page.close()


def test_the_page_country_filter_keeps_only_arrows_touching_it_unless_whole_chains(
    loaded: tuple[Any, PageLoad], gold: Graph
) -> None:
    page, _ = loaded
    page.select_option("#cg-country", "KAZ")
    touching = arrows_shown(page)
    assert touching and all("KAZ" in (a, b) for a, b, _ in touching)
    page.check("#cg-whole-chains")
    assert arrows_shown(page) == arrows_of(draw(gold, countries=["KAZ"], whole_chains=True))
    page.uncheck("#cg-whole-chains")
    page.select_option("#cg-country", "")
