"""The map under the network: outlines, points inside countries, route panel data, GeoJSON.

How the page draws and behaves in a browser is tests/test_draw_map_browser.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geojson
import pytest
from rdflib import Graph

from graph.basemap import contains, outlines, representative_point
from graph.cli import main
from graph.draw import FlowNetwork, draw
from graph.geolayout import Projection, equal_earth
from graph.mapexport import flows_geojson, write_geojson
from graph.network import to_networkx

from .test_draw import gold, net

__all__ = ["gold", "net"]  # fixtures shared with the network's own tests


# --- the basemap ------------------------------------------------------------------------------


def test_the_basemap_has_the_countries_of_natural_earth_by_iso3() -> None:
    found = outlines()
    assert len(found) > 170
    assert {"KAZ", "RUS", "AFG", "TJK", "XKX", "FRA", "USA"} <= set(found)
    assert "ATA" not in found  # Antarctica is left out


@pytest.mark.parametrize(
    ("iso3", "given", "where"),
    [
        ("KAZ", (48.0, 68.0), "the given point, inside Kazakhstan"),
        ("RUS", (61.5, 105.3), "the hand anchor, west of the Urals"),
        ("KWT", (29.5, 45.75), "a point inside Kuwait (the given one is in Iraq)"),
        ("PHL", (13.0, 122.0), "a point on an island, not at sea"),
    ],
)
def test_a_country_node_goes_to_a_point_inside_it(
    iso3: str, given: tuple[float, float], where: str
) -> None:
    lat, lon = representative_point(iso3, *given)
    assert contains(iso3, lat, lon), where
    if iso3 == "RUS":
        assert lon < 60.0  # the Urals run along 60°E


def test_every_country_drawn_sits_inside_its_outline(gold: Graph) -> None:
    nxg = to_networkx(gold)
    for key, data in nxg.nodes(data=True):
        if data["kind"] == "country" and key in outlines():
            assert contains(key, *representative_point(key, data["lat"], data["lon"])), key


def test_the_world_map_is_equal_earth_with_east_to_the_right_and_north_up() -> None:
    kaz, rus, afg = Projection()(48.0, 68.0), Projection()(56.0, 44.0), Projection()(33.0, 65.0)
    assert rus[0] < kaz[0] and rus[1] < kaz[1] < afg[1]
    x, y = equal_earth(90.0, 0.0)
    assert x == 0.0 and y == pytest.approx(1.3173, abs=1e-4)


def test_the_world_page_carries_outlines_and_a_graticule_and_a_focused_one_only_outlines(
    gold: Graph, net: FlowNetwork
) -> None:
    world = net.page.content["basemap"]
    assert {o["id"] for o in world["outlines"]} >= {"KAZ", "RUS"} and world["graticule"]
    ring = next(o for o in world["outlines"] if o["id"] == "KAZ")["rings"][0]
    x, y = Projection()(48.0, 68.0)
    xs, ys = ring[0::2], ring[1::2]
    assert min(xs) < x < max(xs) and min(ys) < y < max(ys)
    focused = draw(gold, countries=["KAZ"]).page.content["basemap"]
    assert focused["outlines"] and not focused["graticule"]
    assert draw(gold, layout="force").page.content["basemap"] is None


# --- what the route panel and the time control read -------------------------------------------


def test_each_flow_lists_its_documents_years_chain_and_evidence(net: FlowNetwork) -> None:
    page = net.page.content
    n = len(page["flows"])
    assert len(page["flow_docs"]) == len(page["flow_evidence"]) == len(page["flow_chains"]) == n
    assert len(page["document_years"]) == len(page["documents"])
    assert page["years"] == sorted({y for y in page["document_years"] if y})
    assert {2000, 2022} <= set(page["years"])
    for f in range(n):
        for q in page["flow_evidence"][f]:
            text, docs = page["evidence"][q]
            assert text and set(docs) & set(page["flow_docs"][f])


def test_the_chain_of_a_flow_names_its_places_in_order(net: FlowNetwork) -> None:
    page = net.page.content
    [arrow] = [
        e
        for e in net.edges
        if e["kind"] == "flow"
        and (e["from"], e["to"], e["market"]) == ("AFG", "KAZ", "heroin-trade")
    ]
    chains = [page["flow_chains"][f] for f in arrow["flows"]]
    assert any(c.startswith("Afghanistan → ") and "Kazakhstan" in c for c in chains), chains


def test_arrows_widen_with_distinct_sources_not_editions(net: FlowNetwork) -> None:
    arrows = [e for e in net.edges if e["kind"] == "flow"]
    assert all(1 <= a["sources"] <= len(a["docs"]) for a in arrows)
    widths = [w for _, w in sorted((a["sources"], a["width"]) for a in arrows)]
    assert widths == sorted(widths)


# --- GeoJSON ----------------------------------------------------------------------------------


def test_geojson_is_valid_rfc_7946_with_a_linestring_per_arrow(
    net: FlowNetwork, tmp_path: Path
) -> None:
    path, left_out = write_geojson(net, tmp_path / "flows.geojson")
    collection = geojson.loads(path.read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    assert "crs" not in collection  # RFC 7946: WGS 84 longitude, latitude only
    arrows = [e for e in net.edges if e["kind"] == "flow"]
    assert len(collection["features"]) + left_out == len(arrows)
    assert len(collection["features"]) > 0.9 * len(arrows)
    for feature in collection["features"]:
        line = feature["geometry"]
        assert line["type"] == "LineString" and len(line["coordinates"]) == 2
        for lon, lat in line["coordinates"]:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert props["market"] and props["weight"] >= 1 and props["flows"] and props["evidence"]


def test_geojson_puts_kazakhstan_at_its_longitude_and_latitude(net: FlowNetwork) -> None:
    collection, _ = flows_geojson(net)
    [feature] = [
        f
        for f in collection["features"]
        if (f["properties"]["from"], f["properties"]["to"], f["properties"]["market"])
        == ("AFG", "KAZ", "heroin-trade")
    ]
    assert feature["geometry"]["coordinates"][1] == [68.0, 48.0]
    assert feature["properties"]["to_name"] == "Kazakhstan"
    assert all(e.startswith("https://") for e in feature["properties"]["evidence"])


def test_crimegraph_draw_writes_geojson(
    seed_build_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "flows.geojson"
    assert main(["draw", str(seed_build_dir), "-o", str(out), "--country", "KAZ"]) == 0
    assert "LineStrings" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_crimegraph_draw_refuses_an_unknown_format_in_one_line(
    seed_build_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["draw", str(seed_build_dir), "-o", str(tmp_path / "map.pdf")])
    err = capsys.readouterr().err
    assert status == 1 and "unknown output format" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_picture_without_playwright_says_how_to_install_it(
    seed_build_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("graph.headless.chromium_path", lambda: Path(sys.executable))
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    status = main(["draw", str(seed_build_dir), "-o", str(tmp_path / "map.png")])
    err = capsys.readouterr().err
    assert status == 1 and "pip install 'crimegraph[export]'" in err and err.count("\n") == 1
    assert not (tmp_path / "map.png").exists()
