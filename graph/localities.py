"""Places below the country level: cities, capitals and first-level subdivisions, with their
country and coordinates, read from ``data/reference/places.csv`` (made by
``scripts/make_places.py`` from GeoNames and ISO 3166-2).

A name may stand for several places ("Santiago" in Chile, the Dominican Republic, Mexico …);
:meth:`Localities.candidates` lists them, largest first, and the reader chooses by context.

>>> loc = load_localities()
>>> [p.iso3 for p in loc.candidates("Mombasa")][:1], loc.candidates("Shan")[0].iso3
(['KEN'], 'MMR')
>>> loc.coordinates("Lagos", "NGA")
(6.4541, 3.3947)
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import CrimegraphError
from graph.places import fold, reference_dir

#: Words that name the kind of a subdivision after its name ("Shan State", "Osh region").
SUBDIVISION_HEADS = (
    "state",
    "states",
    "province",
    "provinces",
    "region",
    "regions",
    "department",
    "departments",
    "district",
    "districts",
    "parish",
    "parishes",
    "governorate",
    "county",
    "oblast",
    "prefecture",
)


@dataclass(frozen=True)
class Locality:
    """A city, capital or subdivision of one country."""

    name: str
    #: "city" | "capital" | "subdivision"
    kind: str
    iso3: str
    lat: float | None
    lon: float | None
    population: int
    #: For a subdivision, how many towns of 1,000 or more people it holds (its size).
    towns: int
    #: "name": matched wherever it is written capitalised; "qualified": only with a place noun
    #: after it ("Delta State") or "port/city/town of" before it (it is also an English word).
    match: str


@dataclass(frozen=True)
class LocalityMention:
    """A sub-national place named in a text; ``text[start:end]`` is the name as written."""

    start: int
    end: int
    text: str
    candidates: tuple[Locality, ...]
    #: True when a subdivision head follows the name ("Shan State", "the Bono, Volta regions").
    headed: bool


class Localities:
    """All sub-national places of the reference file, searchable by name."""

    def __init__(self, places: list[tuple[Locality, tuple[str, ...]]]) -> None:
        """``places``: each place with the keys (:func:`name_key`) of all its names."""
        ranked: dict[str, list[tuple[tuple[int, int, str], Locality]]] = {}
        for loc, keys in places:
            for n, key in enumerate(keys):
                ranked.setdefault(key, []).append((_rank(loc, primary=n == 0), loc))
        self._by_form: dict[str, list[Locality]] = {
            k: [loc for _, loc in sorted(v, key=lambda x: x[0])] for k, v in ranked.items()
        }
        #: The longest name in words, to bound the search.
        self.max_words = max((k.count(" ") + 1 for k in self._by_form), default=1)
        self._first_words = {k.split(" ", 1)[0] for k in self._by_form}

    def candidates(self, name: str) -> list[Locality]:
        """Every place a name may stand for, most likely first (capitals, then by size)."""
        return list(self._by_form.get(name_key(name), []))

    def coordinates(self, name: str, iso3: str | None = None) -> tuple[float, float] | None:
        """Latitude and longitude of a named place (in ``iso3`` when given), if known."""
        for p in self.candidates(name):
            if (iso3 is None or p.iso3 == iso3) and p.lat is not None and p.lon is not None:
                return (p.lat, p.lon)
        return None

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[LocalityMention]:
        """Capitalised names of known places in ``text[start:end]``, longest first, left to
        right. A name that is also an English word needs a place noun after it or "port of"
        (or "city/town of") before it."""
        stop = len(text) if end is None else end
        for m in _CAPITALISED_RUN.finditer(text, start, stop):
            yield from self._in_run(text, m.start(), m.end())

    def _in_run(self, text: str, start: int, end: int) -> Iterator[LocalityMention]:
        """Names in a run of capitalised words; a name must start the run or follow "and" (the
        tail of an unknown name is no place: "Puerto Barrios de Castilla" is not Castilla)."""
        words = list(_WORD.finditer(text, start, end))
        i = 0
        while i < len(words):
            before = words[i - 1].group(0) if i > 0 else ""
            opens = not before or before.lower() in _OPENERS or before.endswith(("'s", "’s"))
            if not opens:
                i += 1
                continue
            if name_key(words[i].group(0)).split(" ", 1)[0] not in self._first_words:
                i += 1
                continue
            found = None
            for n in range(min(self.max_words, len(words) - i), 0, -1):
                after = words[i + n].group(0) if i + n < len(words) else ""
                if after and after.lower() not in _NAME_ENDS:
                    continue  # the head of a longer name: "Santo Tomás" of "… de Castilla"
                a, b = words[i].start(), words[i + n - 1].end()
                cands = self._by_form.get(name_key(text[a:b]))
                if cands and _FEATURE.match(text, b):
                    cands = None  # "the Chu (Shu) River", "Lake Itaipú": a feature, not the town
                if cands:
                    headed = bool(_HEAD.match(text, b))
                    qualified = headed or bool(_QUALIFIER.search(text, max(0, a - 16), a))
                    usable = tuple(c for c in cands if c.match == "name" or qualified)
                    if headed and any(c.kind == "subdivision" for c in usable):
                        usable = tuple(c for c in usable if c.kind == "subdivision")
                    if usable:
                        found = LocalityMention(a, b, text[a:b], usable, headed)
                        i += n
                        break
            if found is None:
                i += 1
            else:
                yield found


#: A run of capitalised words (with "de", "del", "of", "and", "-", "'" inside names such as
#: "Madre de Dios", "Sistan and Baluchestan", "Port-au-Prince", "Cox's Bazar").
#: Words after a name that make it the name of a river, valley, pass … rather than a town.
_FEATURE = re.compile(
    r"(?:\s*\([^)]{1,30}\))?\s+(?:River|Valley|Mountains?|Lake|Sea|Desert|Basin|Delta|Peninsula|"
    r"Gulf|Bay|Strait|Canal|Waterway|Pass|Bridge|Plateau|Hills|Range|National Park|Islands?|"
    r"Corridor|Highway|Road|Route)\b"
)
_CAP_FIRST = r"[A-ZÀ-ÖØ-Þ]"
_CAP_REST = r"[\w'’-]*(?:\.(?=\w)[\w'’-]*)*"
_CAP_WORD = _CAP_FIRST + _CAP_REST
#: (No letter or hyphen before the run: tested right after its capital, "(?<![\w-].)", so
#: that the engine skips to the next capital letter instead of trying every position.)
_CAPITALISED_RUN = re.compile(
    rf"{_CAP_FIRST}(?<![\w-].){_CAP_REST}(?:(?:\s+(?:de|del|da|do|dos|das|la|el|of|and|au|en|y|es|al|ul|ad|as|sur|sous))?\s+"
    rf"{_CAP_WORD})*"
)
_HEAD = re.compile(
    rf"(?:(?:\s*,\s*|\s+and\s+|\s+){_CAP_WORD})*\s+(?i:" + "|".join(SUBDIVISION_HEADS) + r")\b"
)
_WORD = re.compile(r"[\w'’-]+(?:\.[\w'’-]+)*")
#: Words that may follow a whole name inside a run ("Shan State", "Sistan and Baluchestan").
_NAME_ENDS = frozenset(("and", "y", *SUBDIVISION_HEADS))
#: Words after which a name may start inside a run of capitalised words ("From Istanbul",
#: "Myanmar's Shan State", "Kerman and Sistan and Baluchestan").
_OPENERS = frozenset(
    [
        "and",
        "y",
        "in",
        "from",
        "to",
        "via",
        "through",
        "at",
        "the",
        "since",
        "near",
        "into",
        "across",
        "of",
        "for",
        "by",
        "on",
        "with",
        "after",
        "before",
        "between",
        "outside",
        "inside",
        "around",
        "beyond",
        "towards",
        "toward",
        "like",
        "both",
        "where",
        "while",
        "when",
        "once",
    ]
)
_QUALIFIER = re.compile(r"\b(?:port|ports|city|town|towns|cities) of\s+$", re.IGNORECASE)


def _rank(p: Locality, *, primary: bool) -> tuple[int, int, str]:
    """Most likely reading of a shared name first: capitals, cities of half a million, first-level
    subdivisions (Florida the state before Florida in Colombia; larger ones first), then the other
    cities by size; a place named by one of its alternate names ("Edo" for Tokyo) comes later."""
    if p.kind == "capital":
        tier = 0
    elif p.population >= 500_000:
        tier = 1
    elif p.kind == "subdivision":
        tier = 2
    else:
        tier = 3
    return (tier + (0 if primary else 3), -(p.population or p.towns * 1000), p.iso3)


@functools.lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """How names are compared: accents folded, case-folded, hyphens and dots as spaces."""
    return " ".join(re.sub(r"[-.’']", " ", fold(name)).casefold().split())


def _float(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


@functools.cache
def load_localities(path: Path | None = None) -> Localities:
    """The bundled sub-national places (``data/reference/places.csv`` and the hand-made
    ``landforms.csv``), read once."""
    files = [path] if path is not None else [reference_dir() / n for n in _PLACE_FILES]
    places: list[tuple[Locality, tuple[str, ...]]] = []
    for file in files:
        places.extend(_read_places(file))
    return Localities(places)


#: The bundled place files: GeoNames' places, then the hand-made landforms.
_PLACE_FILES = ("places.csv", "landforms.csv")


def _read_places(file: Path) -> list[tuple[Locality, tuple[str, ...]]]:
    """The rows of one place file, each with the name forms it is matched by."""
    try:
        with file.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    except OSError as exc:
        raise CrimegraphError(f"{file}: cannot read places ({exc.strerror or exc})") from exc
    places: list[tuple[Locality, tuple[str, ...]]] = []
    for row in rows:
        try:
            loc = Locality(
                row["name"],
                row["kind"],
                row["iso3"],
                _float(row["lat"]),
                _float(row["lon"]),
                int(row["population"] or 0),
                int(row["towns"] or 0),
                row["match"],
            )
        except (KeyError, ValueError) as exc:
            raise CrimegraphError(f"{file}: malformed row {row} ({exc})") from exc
        places.append((loc, tuple(row["keys"].split("|"))))
    return places
