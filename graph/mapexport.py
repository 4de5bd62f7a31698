"""Write a drawn flow map as a page, a picture (PNG, SVG) or GeoJSON, by the file's extension.

GeoJSON (RFC 7946) holds one LineString per arrow, from the place's point to the other's in
longitude and latitude, with its market, weight (distinct sources), documents, flows and
evidence IRIs: what QGIS or kepler.gl open. Pictures are the page as headless Chromium draws
it (Playwright and the system's Chromium; see :mod:`graph.headless`).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from graph.draw import FlowNetwork, page_html, write_html
from graph.errors import CrimegraphError
from graph.fileio import atomic_write
from graph.flowmap import market_label

#: The file extensions written, and what each one writes.
FORMATS: dict[str, str] = {
    ".html": "interactive page",
    ".png": "picture of the page",
    ".svg": "vector picture of the map",
    ".geojson": "GeoJSON, a LineString per arrow",
}
#: The picture's size in CSS pixels (the PNG is twice as many device pixels).
PICTURE_SIZE = (1600, 1000)


def _position(coords: tuple[float, float]) -> list[float]:
    lat, lon = coords
    return [round(lon, 5), round(lat, 5)]


def flows_geojson(net: FlowNetwork) -> tuple[dict[str, Any], int]:
    """The arrows of a drawn map as a GeoJSON FeatureCollection, and how many arrows were
    left out because one of their places has no position on the map."""
    content, page = net.page.content, net.page
    documents: list[str] = content.get("documents", [])
    years: list[int | None] = content.get("document_years", [])
    labels = page.labels
    features, left_out = [], 0
    for edge in net.edges:
        if edge.get("kind") != "flow":
            continue
        start, end = page.coords.get(edge["from"]), page.coords.get(edge["to"])
        if start is None or end is None:
            left_out += 1
            continue
        flows = edge.get("flows", [])
        features.append(
            {
                "type": "Feature",
                "id": edge["id"],
                "geometry": {
                    "type": "LineString",
                    "coordinates": [_position(start), _position(end)],
                },
                "properties": {
                    "from": edge["from"],
                    "to": edge["to"],
                    "from_name": labels.get(edge["from"], edge["from"]),
                    "to_name": labels.get(edge["to"], edge["to"]),
                    "market": edge["market"],
                    "market_label": market_label(edge["market"]),
                    "weight": edge.get("sources", 1),
                    "documents": [documents[d] for d in edge.get("docs", [])],
                    "years": sorted({y for d in edge.get("docs", []) if (y := years[d])}),
                    "flows": [page.flow_iris[f] for f in flows],
                    "evidence": sorted({e for f in flows for e in page.flow_evidence[f]}),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}, left_out


def write_geojson(net: FlowNetwork, path: str | os.PathLike[str]) -> tuple[Path, int]:
    """Write :func:`flows_geojson` to a file, atomically; the path and the arrows left out."""
    collection, left_out = flows_geojson(net)
    target = Path(path)
    with atomic_write(target) as fh:
        json.dump(collection, fh, ensure_ascii=False, separators=(",", ":"))
    return target, left_out


def write_picture(
    net: FlowNetwork, path: str | os.PathLike[str], *, browser: Any | None = None
) -> Path:
    """Open the page in headless Chromium and write what it draws: the whole window as PNG,
    or the map (outlines, arrows, nodes, labels and a legend of markets) as SVG.

    ``browser``: a Playwright browser already open (:func:`graph.headless.chromium`), else one
    is started and closed.
    """
    if browser is None:
        from graph.headless import chromium

        with chromium() as started:
            return write_picture(net, path, browser=started)
    from graph.headless import open_page

    target = Path(path)
    kind = target.suffix.lower()
    width, height = PICTURE_SIZE
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(page_html(net), encoding="utf-8")
        page, seen = open_page(browser, page_file, width=width, height=height)
        try:
            if seen.console_errors:
                raise CrimegraphError(f"the page failed in Chromium: {seen.console_errors[0]}")
            if kind == ".png":
                png = page.screenshot(type="png")
                with atomic_write(target, "wb") as fh:
                    fh.write(png)
            else:
                svg = str(page.evaluate("window.crimegraph.svg()"))
                with atomic_write(target) as fh:
                    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n' + svg)
        finally:
            page.close()
    return target


def write_map(net: FlowNetwork, path: str | os.PathLike[str]) -> tuple[Path, str]:
    """Write a drawn map in the format its extension names; the path and a note on what was
    written. An unknown extension raises."""
    target = Path(path)
    kind = target.suffix.lower()
    if kind not in FORMATS:
        known = ", ".join(FORMATS)
        raise CrimegraphError(f"{target.name}: unknown output format (known: {known})")
    if kind == ".geojson":
        _, left_out = write_geojson(net, target)
        arrows = sum(1 for e in net.edges if e.get("kind") == "flow")
        note = f"{arrows - left_out} LineStrings"
        return target, note + (f", {left_out} arrows left out (no position)" if left_out else "")
    if kind in (".png", ".svg"):
        return write_picture(net, target), FORMATS[kind]
    return write_html(net, target), FORMATS[kind]
