"""Where the map puts sub-national places and checkpoints: at reference coordinates, else at
their country; a checkpoint on a border halfway between its two countries.

Such nodes have no ``geo:lat``/``geo:long`` in the graph, so the geo layout used to anchor them
at the mean of their drawn neighbours, or, with none, at the origin of the canvas: the edge of a
map centred elsewhere. Here each gets an anchor (latitude, longitude):

* a city, valley or other place whose name (or the name without its last word, "Chu Valley" →
  "Chu") is a place of ``data/reference/places.csv`` (GeoNames) in one of its countries: there;
* a checkpoint ``cg:onBorderOf`` two countries: halfway between their centres (on the great
  circle), so it sits between the two;
* otherwise the centre of the (first) country it is located in or on the border of.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import networkx as nx
from rdflib import Graph, Literal, URIRef

from graph.geolayout import spherical_mean
from graph.namespaces import CG, GEO
from graph.places import fold
from graph.refcsv import read_reference

#: Node kinds the module places.
PLACED_KINDS = frozenset({"checkpoint", "subnational"})


@functools.cache
def _reference_places() -> dict[tuple[str, str], tuple[float, float]]:
    """(folded name, ISO3) → (lat, lon) of every reference place with coordinates; the most
    populous first when two share a name."""
    found: dict[tuple[str, str], tuple[float, float]] = {}
    rows = read_reference("places.csv", ("name", "iso3"))
    rows.sort(key=lambda r: -int(r.get("population") or 0))
    for row in rows:
        if not row.get("lat") or not row.get("lon"):
            continue
        point = (float(row["lat"]), float(row["lon"]))
        names = [row["name"], *(row.get("keys") or "").split("|")]
        for name in names:
            key = fold(name).casefold().strip()
            if key:
                found.setdefault((key, row["iso3"]), point)
    return found


def reference_point(name: str, countries: list[str]) -> tuple[float, float] | None:
    """The coordinates of a place name in one of ``countries``, from the reference places.

    >>> reference_point("Almaty", ["KAZ"])
    (43.2525, 76.9115)
    >>> reference_point("Atlantis", ["KAZ"]) is None
    True
    """
    table = _reference_places()
    words = name.split()
    candidates = [name] + ([" ".join(words[:-1])] if len(words) > 1 else [])
    for candidate in candidates:
        key = fold(candidate).casefold().strip()
        for code in countries:
            if (key, code) in table:
                return table[(key, code)]
    return None


def _point(g: Graph, country: URIRef) -> tuple[float, float] | None:
    lat, lon = g.value(country, GEO.lat), g.value(country, GEO.long)
    if isinstance(lat, Literal) and isinstance(lon, Literal):
        return (float(lat.toPython()), float(lon.toPython()))
    return None


def _codes(g: Graph, countries: list[URIRef]) -> list[str]:
    return [str(c) for c in (g.value(n, CG.iso3) for n in countries) if c is not None]


def place_anchors(g: Graph, nxg: nx.MultiDiGraph) -> Mapping[str, tuple[float, float]]:
    """(lat, lon) anchors of the projection's checkpoints and sub-national places."""
    out: dict[str, tuple[float, float]] = {}
    for key, data in nxg.nodes(data=True):
        if data.get("kind") not in PLACED_KINDS or "lat" in data:
            continue
        node = URIRef(data["iri"])
        sides = sorted(c for c in g.objects(node, CG.onBorderOf) if isinstance(c, URIRef))
        within = sorted(c for c in g.objects(node, CG.locatedIn) if isinstance(c, URIRef))
        countries = sides or within
        point = reference_point(str(data.get("label", "")), _codes(g, countries))
        if point is None and len(sides) >= 2:
            ends = [p for p in (_point(g, c) for c in sides[:2]) if p is not None]
            point = spherical_mean(ends) if len(ends) == 2 else None
        if point is None:
            point = next((p for p in (_point(g, c) for c in countries) if p is not None), None)
        if point is not None:
            out[key] = point
    return out
