"""Seas and the countries on them: which countries could be linked by sea.

Read from ``data/reference/seas.csv`` (each sea and its basin) and ``coasts.csv`` (which
countries have a coast on which sea, transcribed from the CIA World Factbook). Two countries with
a coast on the same basin could trade by sea whatever lies between them, so implied transit
(:mod:`graph.transit`) does not send such a leg over land through a chain of neighbours.

>>> sea_link("KAZ", "IRN")
'Caspian Sea'
>>> sea_link("AFG", "RUS") is None, sea_link("COL", "ESP") is not None
(True, True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.refcsv import read_reference

if TYPE_CHECKING:
    from graph.rdf import TripleSink


@dataclass(frozen=True)
class Sea:
    """A sea or ocean: its slug, label and the basin it is part of."""

    slug: str
    label: str
    basin: str


@dataclass(frozen=True)
class Coasts:
    """The seas, and the seas each coastal country touches."""

    seas: dict[str, Sea]
    by_country: dict[str, tuple[str, ...]]

    def basins(self, iso3: str) -> set[str]:
        return {self.seas[s].basin for s in self.by_country.get(iso3, ())}


@functools.cache
def load_coasts() -> Coasts:
    """The two tables, checked: every coast names a listed sea."""
    from graph.errors import CrimegraphError

    seas = {
        r["slug"]: Sea(r["slug"], r["label"], r["basin"])
        for r in read_reference("seas.csv", ("slug", "label", "basin"))
    }
    by_country: dict[str, list[str]] = {}
    for r in read_reference("coasts.csv", ("iso3", "sea")):
        if r["sea"] not in seas:
            raise CrimegraphError(f"coasts.csv: unknown sea {r['sea']!r} for {r['iso3']}")
        by_country.setdefault(r["iso3"], []).append(r["sea"])
    return Coasts(seas, {k: tuple(v) for k, v in by_country.items()})


def is_coastal(iso3: str) -> bool:
    """Whether the country has a coast on any sea of the table."""
    return iso3 in load_coasts().by_country


def sea_link(a: str, b: str) -> str | None:
    """The label of a sea both countries touch, else of a basin both reach; None if none."""
    coasts = load_coasts()
    shared = sorted(set(coasts.by_country.get(a, ())) & set(coasts.by_country.get(b, ())))
    if shared:
        return coasts.seas[shared[0]].label
    basins = sorted(coasts.basins(a) & coasts.basins(b))
    if basins:
        return "the open sea" if basins[0] == "world-ocean" else basins[0]
    return None


def add_seas(g: TripleSink, countries: set[str]) -> None:
    """Add every sea (``cg:Sea`` with its label and basin) and the coasts of ``countries``."""
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS

    from graph.namespaces import CG, CGI
    from graph.rdf import country_iri

    coasts = load_coasts()
    for sea in coasts.seas.values():
        iri = CGI[f"sea/{sea.slug}"]
        g.add((iri, RDF.type, CG.Sea))
        g.add((iri, RDFS.label, Literal(sea.label, lang="en")))
        g.add((iri, CG.slug, Literal(sea.slug)))
        g.add((iri, CG.basin, Literal(sea.basin)))
    for code, seas in sorted(coasts.by_country.items()):
        if code in countries:
            for slug in seas:
                g.add((country_iri(code), CG.coastOn, CGI[f"sea/{slug}"]))
