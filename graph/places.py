"""Countries and regions: resolve place names, demonyms and region phrases to place codes.

A country is its ISO 3166-1 alpha-3 code, a region a lower-case hyphenated slug of its English
name (UN M49, SDG and common groupings). Everything is read from the bundled files in
``data/reference`` (see its README for sources and licences); nothing is looked up at run time.

>>> gaz = load_gazetteer()
>>> [(m.code, m.text) for m in gaz.find("Afghan heroin bound for Southeast Asia and the US")]
[('AFG', 'Afghan'), ('south-eastern-asia', 'Southeast Asia'), ('USA', 'US')]
>>> gaz.country("Burma").iso3, gaz.lookup("Kyrgyz"), gaz.lookup("Central Asian")
('MMR', 'KGZ', 'central-asia')
"""

from __future__ import annotations

import csv
import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from graph.errors import CrimegraphError

#: Environment variable naming the data directory (the one holding ``reference/``).
DATA_ENV = "CRIMEGRAPH_DATA"

REGION_KINDS: tuple[str, ...] = ("m49-region", "m49-subregion", "m49-intermediate", "sdg", "common")

#: Demonyms with these endings take no plural "-s" (Chinese, Swiss, British, Dutch, Kyrgyz).
_NO_PLURAL_ENDINGS: tuple[str, ...] = ("ese", "ss", "sh", "ch", "z", "sy")


@dataclass(frozen=True)
class Country:
    """A country or territory with an ISO 3166-1 code, or a dissolved state (status "historic")."""

    iso3: str
    iso2: str
    name: str
    official_name: str | None
    #: Every name form that refers to it: current, alternative, historical, abbreviations.
    names: tuple[str, ...]
    #: Adjectives and demonyms, singular and plural.
    demonyms: tuple[str, ...]
    #: UN M49 region slug ("asia").
    continent: str | None
    #: UN M49 intermediate region where M49 has one, else its sub-region ("central-asia").
    region: str | None
    lat: float | None
    lon: float | None
    #: ISO3 codes of land-border neighbours.
    neighbours: tuple[str, ...]
    wikidata: str | None
    #: UN M49 sub-region even where an intermediate region is set ("sub-saharan-africa").
    subregion: str | None = None
    #: FIPS 10-4 code as GeoNames gives it (close to, not always equal to, the Factbook's GEC).
    fips: str | None = None
    #: "current", or "historic" for a dissolved state (USSR, Netherlands Antilles).
    status: str = "current"
    #: For a historic entry, the ISO3 codes of the states that took its territory.
    successors: tuple[str, ...] = ()
    #: The abbreviations among ``names`` (US, UAE, DPRK): matched only as written.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """A named group of countries: UN M49, SDG, or a common name with a sourced member list."""

    slug: str
    name: str
    #: "m49-region" | "m49-subregion" | "m49-intermediate" | "sdg" | "common"
    kind: str
    parent: str | None
    #: ISO3 codes of the current countries in it.
    members: tuple[str, ...]
    #: Text forms that name it ("Southeast Asia", "South-east Asia").
    aliases: tuple[str, ...]
    #: Adjectives ("Southeast Asian"), singular and plural.
    demonyms: tuple[str, ...] = ()
    m49: str | None = None
    source: str = ""
    #: The listed region (``spec/flows.md``) that report prose codes this one as ("the EU" →
    #: europe, "Gulf states" → middle-east); None: itself.
    prose_as: str | None = None


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text; ``text[start:end] == mention.text``."""

    code: str
    #: "country" | "region"
    kind: str
    text: str
    start: int
    end: int
    #: "name" | "demonym" | "alias" | "subject"
    via: str


class _Form(NamedTuple):
    """What a text form stands for: a place code (or a marker below) and how it names it."""

    code: str
    via: str


#: Marker codes of special phrases: a stand-in for the document's subject, or a phrase that
#: contains a place name without naming the place ("Gulf of Guinea", "Indian Ocean").
_SUBJECT = "@subject"
_NOT_A_PLACE = "@none"


# --------------------------------------------------------------------------- text forms


def slugify(name: str) -> str:
    """The slug of an English name.

    >>> slugify("South-eastern Asia"), slugify("Latin America and the Caribbean")
    ('south-eastern-asia', 'latin-america-and-the-caribbean')
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-")


def fold(text: str) -> str:
    """Drop accents so that "Côte d’Ivoire" also matches "Cote d'Ivoire".

    >>> fold("Côte d’Ivoire"), fold("Curaçao")
    ("Cote d'Ivoire", 'Curacao')
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _strip_article(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name.strip())


def natural_forms(listed: str) -> list[str]:
    """Natural-order forms of a name as lists write it; the first is the full name.

    Undoes the inversion of gazetteer lists ("Korea, Republic of", "Congo (the Democratic
    Republic of the)", "Bahamas, The"); the bare head ("Korea") follows the full form.

    >>> natural_forms("Korea, Republic of")
    ['Republic of Korea', 'Korea']
    >>> natural_forms("Congo (the Democratic Republic of the)")
    ['Democratic Republic of the Congo', 'Congo']
    >>> natural_forms("Korea, North"), natural_forms("Saint Martin (French part)")
    (['North Korea'], ['Saint Martin'])
    """
    text = re.sub(r"\s*\[[^\]]*\]", "", " ".join(listed.split()))
    head, tail = text, ""
    paren = re.fullmatch(r"(.+?)\s*\((.+)\)", text)
    if paren:
        head, tail = paren.group(1), paren.group(2)
    elif ", " in text:
        head, tail = text.split(", ", 1)
    tail = tail.strip()
    if "," in tail:
        forms = [text]  # "Bonaire, Sint Eustatius and Saba" is a list, not an inversion
    elif re.search(r"\bof(?: the)?$", tail):
        forms = [f"{tail} {head}", head]
    elif paren:
        forms = [head]  # "(French part)", "(The Netherlands)" qualify the head
    elif " " not in tail:
        forms = [f"{tail} {head}"]  # "Korea, North" is North Korea
    else:
        forms = [text]
    out: list[str] = []
    for form in forms:
        form = _strip_article(form)
        if form and form not in out:
            out.append(form)
    return out


def plural(demonym: str) -> str | None:
    """The plural of a demonym, or None where it takes none.

    >>> plural("Kazakh"), plural("Filipino"), plural("Chinese"), plural("Kyrgyz")
    ('Kazakhs', 'Filipinos', None, None)
    """
    if demonym.endswith(_NO_PLURAL_ENDINGS) or not demonym[-1:].isalpha():
        return None
    return demonym + "s"


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _low(word: str) -> str:
    return word if word.isupper() else word[:1].lower() + word[1:]


def _variants(form: str, *, flexible_case: bool) -> set[str]:
    """Spellings of one form to match: as written, without accents, with either apostrophe
    and, if ``flexible_case``, with the first word capitalised or not ("west Africa",
    "Domestic") and, for several words, every main word capitalised ("Gulf States")."""
    out = {form}
    words = form.split(" ")
    if flexible_case and (len(words) > 1 or form.islower()):
        out |= {" ".join([_low(words[0]), *words[1:]]), " ".join([_cap(words[0]), *words[1:]])}
        out.add(" ".join(_cap(w) if w not in ("and", "of", "the") else w for w in words))
    out |= {fold(v) for v in out}
    return out | {v.replace("'", "\u2019") for v in out}


# --------------------------------------------------------------------------- matching


_Trie = dict[str, "_Trie"]


def _trie_pattern(forms: Iterable[str]) -> str:
    """One regex alternation of all forms, factored as a character trie so that matching
    costs the length of the match, not the number of forms; longer continuations are tried
    before a form ends, so the longest form at a position wins."""
    trie: _Trie = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


#: Text before a region or country phrase that coordinates other first words with its head:
#: "West and" (Central Africa), "Southwest and" (Southeast Asia), "Eastern, Southern, and".
_WORDS = r"[A-Za-z][\w-]*(?: [A-Za-z][\w-]*)?"
_ELIDED = re.compile(rf"((?:{_WORDS})(?:\s*,\s*{_WORDS})*)\s*,?\s+(?:and|or)\s+$")


# --------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """All countries and regions, and the matcher over their text forms."""

    def __init__(
        self,
        countries: dict[str, Country],
        regions: dict[str, Region],
        specials: dict[str, str] | None = None,
    ) -> None:
        self.countries = countries
        self.regions = regions
        self._iso2 = {c.iso2: c.iso3 for c in countries.values() if c.status == "current"}
        self._region_names = {r.name.casefold(): r.slug for r in regions.values()}
        self._forms: dict[str, _Form] = {}
        self._folded: dict[str, str | None] = {}
        exact: dict[str, _Form] = {}
        for c in countries.values():
            for name in c.names:
                self._claim(exact, name, _Form(c.iso3, "alias" if name in c.aliases else "name"))
            for dem in c.demonyms:
                self._claim(exact, dem, _Form(c.iso3, "demonym"))
        for r in regions.values():
            for alias in r.aliases:
                self._claim(exact, alias, _Form(r.slug, "name" if alias == r.name else "alias"))
            for dem in r.demonyms:
                self._claim(exact, dem, _Form(r.slug, "demonym"))
        for phrase, meaning in (specials or {}).items():
            self._claim(exact, phrase, _Form(meaning, "subject" if meaning == _SUBJECT else ""))
        # Spelling variants never override an exact form of another place.
        for form, target in exact.items():
            flexible = target.code in regions or target.code in (_SUBJECT, _NOT_A_PLACE)
            for variant in _variants(form, flexible_case=flexible):
                self._forms.setdefault(variant, target)
        self._forms.update(exact)
        for form, target in exact.items():
            if _is_abbreviation(form):
                continue  # "US" never matches "us"
            key = fold(form).casefold()
            if self._folded.get(key, target.code) != target.code:
                self._folded[key] = None  # two places share it case-insensitively
            else:
                self._folded[key] = target.code
        self._pattern = re.compile(r"(?<!\w)(?:" + _trie_pattern(self._forms) + r")(?!\w)")

    @staticmethod
    def _claim(table: dict[str, _Form], form: str, target: _Form) -> None:
        held = table.get(form)
        if held is not None and held.code != target.code:
            raise CrimegraphError(
                f"reference data: {form!r} names both {held.code} and {target.code}"
            )
        if held is None or (held.via == "demonym" and target.via != "demonym"):
            table[form] = target

    # ------------------------------------------------------------------ look-ups

    def country(self, key: str) -> Country:
        """The country with this ISO3 or ISO2 code or any of its names."""
        k = key.strip()
        code = k.upper()
        if code in self.countries:
            return self.countries[code]
        if len(code) == 2 and code in self._iso2:
            return self.countries[self._iso2[code]]
        found = self.lookup(k)
        if found is None or found not in self.countries:
            raise CrimegraphError(f"unknown country: {key!r}")
        return self.countries[found]

    def region(self, slug_or_name: str) -> Region:
        """The region with this slug, name or alias."""
        key = " ".join(slug_or_name.split())
        if key in self.regions:
            return self.regions[key]
        by_name = self._region_names.get(key.casefold())
        if by_name is not None:  # "Micronesia" as a region, though the text form names FSM
            return self.regions[by_name]
        found = self.lookup(key)
        if found is None or found not in self.regions:
            raise CrimegraphError(f"unknown region: {slug_or_name!r}")
        return self.regions[found]

    def lookup(self, name: str) -> str | None:
        """The ISO3 code or region slug a whole name, alias or demonym stands for, else None.

        >>> gaz = load_gazetteer()
        >>> gaz.lookup("Korea, North"), gaz.lookup("the Netherlands"), gaz.lookup("Mars")
        ('PRK', 'NLD', None)
        """
        raw = " ".join(name.split())
        text = raw.strip(" ,;:")
        if not text:
            return None
        if text in self.countries or text in self.regions:
            return text
        # Listings exported with commas for dots (GI-TOC's "Congo, Dem, Rep,", "St, Lucia").
        dotted = re.sub(r",(?=\s|$)", ".", raw)
        candidates = [text, _strip_article(text), natural_forms(text)[0]]
        candidates += [dotted, re.sub(r"\.", ",", dotted, count=1) if "," in text else dotted]
        for candidate in candidates:
            target = self._forms.get(candidate)
            if target is not None and not target.code.startswith("@"):
                return target.code
        for candidate in candidates:
            if _is_abbreviation(candidate):
                continue
            code = self._folded.get(fold(candidate).casefold())
            if code is not None and not code.startswith("@"):
                return code
        return None

    def neighbours(self, iso3: str) -> tuple[str, ...]:
        """ISO3 codes of the countries that share a land border with this one."""
        return self.country(iso3).neighbours

    def is_country(self, code: str) -> bool:
        return code in self.countries

    def is_region(self, code: str) -> bool:
        return code in self.regions

    def members(self, code: str) -> tuple[str, ...]:
        """The countries a place code covers: a region's members, or the country itself."""
        if code in self.regions:
            return self.regions[code].members
        return (self.country(code).iso3,)

    # ------------------------------------------------------------------ search

    def find(self, text: str, subject: str | None = None) -> list[PlaceMention]:
        """All places named in ``text``, in order, without overlaps, the longest form first.

        With ``subject`` (the document's country), "the country", "domestic", "local" and
        "internally" stand for it. "West and Central Africa" names both regions.

        >>> gaz = load_gazetteer()
        >>> text = "domestic victims in the Kazakh-Kyrgyz border area"
        >>> [(m.code, m.text, m.via) for m in gaz.find(text, subject="KAZ")]
        [('KAZ', 'domestic', 'subject'), ('KAZ', 'Kazakh', 'demonym'), ('KGZ', 'Kyrgyz', 'demonym')]
        """
        if subject is not None and subject not in self.countries and subject not in self.regions:
            raise CrimegraphError(f"unknown country: {subject!r}")
        found: list[PlaceMention] = []
        pos = 0
        while (m := self._pattern.search(text, pos)) is not None:
            if " " in m.group(0):
                m = self._longer_inside(text, m)
            pos = m.end()
            target = self._forms[m.group(0)]
            if target.code == _NOT_A_PLACE:
                continue
            code = target.code
            if code == _SUBJECT:
                if subject is None:
                    continue
                code = subject
            if " " in m.group(0):  # only a phrase of several words shares its head
                found.extend(list(self._elided(text, m.start(), m.group(0), code, found)))
            found.append(self._mention(code, m.group(0), m.start(), target.via))
        return found

    def _longer_inside(self, text: str, m: re.Match[str]) -> re.Match[str]:
        """A form that starts at a later word of the match and runs past its end wins:
        "the West Bank" is Palestine's West Bank, not "the West"."""
        for space in _SPACE.finditer(m.group(0)):
            inner = self._pattern.match(text, m.start() + space.end())
            if inner is not None and inner.end() > m.end():
                return self._longer_inside(text, inner)
        return m

    def _mention(self, code: str, text: str, start: int, via: str) -> PlaceMention:
        kind = "region" if code in self.regions else "country"
        return PlaceMention(code, kind, text, start, start + len(text), via)

    def _elided(
        self, text: str, start: int, phrase: str, code: str, before: list[PlaceMention]
    ) -> Iterator[PlaceMention]:
        """Mentions whose head word is shared with the phrase at ``start``: in "West and
        Central African countries" the word "West" names western-africa."""
        if " " not in phrase:
            return
        head = phrase.rsplit(" ", 1)[1]
        floor = before[-1].end if before else 0
        window_start = max(floor, start - 80)
        if not _ends_with_and_or(text[window_start:start]):
            return  # what _ELIDED needs at its end; its search backtracks, this test does not
        m = _ELIDED.search(text, window_start, start)
        if m is None:
            return
        for item in re.finditer(_WORDS, m.group(1)):
            # "South east" (and Southwest Asia) is tried whole, then by its last word.
            words = item.group(0).split(" ")
            for skip in range(len(words)):
                first = " ".join(words[skip:])
                target = self._forms.get(f"{first} {head}")
                if target is None or target.code.startswith("@") or target.code == code:
                    continue
                offset = m.start(1) + item.end() - len(first)
                yield self._mention(target.code, first, offset, target.via)
                break


_SPACE = re.compile(" ")


def _ends_with_and_or(window: str) -> bool:
    """Whether the text ends with "and" or "or" between white space, as :data:`_ELIDED`
    requires of the text it may match ("West and ")."""
    word = window.rstrip()
    if len(word) == len(window):
        return False
    for joiner in ("and", "or"):
        if word.endswith(joiner) and len(word) > len(joiner):
            return word[-len(joiner) - 1].isspace()
    return False


def _is_abbreviation(form: str) -> bool:
    """Upper-case short forms (US, U.S., UAE, DPRK) match only as written."""
    letters = form.replace(".", "")
    return len(letters) <= 5 and letters.isalpha() and letters.upper() == letters


# --------------------------------------------------------------------------- loading


def reference_dir() -> Path:
    """``$CRIMEGRAPH_DATA/reference`` if set, else ``data/reference`` in the repository."""
    root = os.environ.get(DATA_ENV)
    base = Path(root) if root else Path(__file__).resolve().parent.parent / "data"
    return base / "reference"


def _split(cell: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(sep) if part.strip())


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise CrimegraphError(
            f"{path}: cannot read reference data ({exc.strerror or exc})"
        ) from exc


def with_plurals(forms: Iterable[str]) -> tuple[str, ...]:
    """The demonyms followed by the plurals that the rule in :func:`plural` gives."""
    out: dict[str, None] = {}
    for form in forms:
        out.setdefault(form, None)
        p = plural(form)
        if p is not None:
            out.setdefault(p, None)
    return tuple(out)


def _float(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def read_countries(path: Path) -> dict[str, Country]:
    """Read ``countries.csv`` (written by ``scripts/make_reference.py``)."""
    out: dict[str, Country] = {}
    for row in _read_csv(path):
        aliases = _split(row["aliases"])
        out[row["iso3"]] = Country(
            iso3=row["iso3"],
            iso2=row["iso2"],
            name=row["name"],
            official_name=row["official_name"] or None,
            names=_split(row["names"]) + aliases,
            demonyms=with_plurals(_split(row["demonyms"])),
            continent=row["continent"] or None,
            region=row["intermediate_region"] or row["subregion"] or None,
            lat=_float(row["lat"]),
            lon=_float(row["lon"]),
            neighbours=_split(row["neighbours"], " "),
            wikidata=row["wikidata"] or None,
            subregion=row["subregion"] or None,
            fips=row["fips"] or None,
            status=row["status"],
            successors=_split(row["successors"], " "),
            aliases=aliases,
        )
    return out


def read_regions(path: Path, countries: dict[str, Country]) -> dict[str, Region]:
    """Read ``regions.csv``; M49 members come from the countries' M49 columns, and a members
    cell may name other regions ("eastern-asia south-eastern-asia") as well as countries."""
    rows = _read_csv(path)
    slugs = {row["slug"] for row in rows}
    current = [c for c in countries.values() if c.status == "current"]
    by_m49: dict[str, list[str]] = {}
    for c in current:
        for slug in {c.continent, c.subregion, c.region} - {None}:
            by_m49.setdefault(str(slug), []).append(c.iso3)
    spec = {row["slug"]: _split(row["members"], " ") for row in rows}

    @functools.cache
    def members(slug: str) -> tuple[str, ...]:
        tokens = spec[slug]
        if not tokens:
            return tuple(sorted(by_m49.get(slug, [])))
        out: set[str] = set()
        for token in tokens:
            if token in slugs:
                out.update(members(token))
            elif token in countries:
                out.add(token)
            else:
                raise CrimegraphError(f"{path}: region {slug!r} lists unknown member {token!r}")
        return tuple(sorted(out))

    regions: dict[str, Region] = {}
    for row in rows:
        if row["kind"] not in REGION_KINDS:
            raise CrimegraphError(
                f"{path}: region {row['slug']!r} has unknown kind {row['kind']!r}"
            )
        if row["parent"] and row["parent"] not in slugs:
            raise CrimegraphError(
                f"{path}: region {row['slug']!r} has unknown parent {row['parent']!r}"
            )
        regions[row["slug"]] = Region(
            slug=row["slug"],
            name=row["name"],
            kind=row["kind"],
            parent=row["parent"] or None,
            members=members(row["slug"]),
            aliases=_split(row["aliases"]),
            demonyms=with_plurals(_split(row["demonyms"])),
            m49=row["m49"] or None,
            source=row["source"],
            prose_as=row.get("prose_as") or None,
        )
    for r in regions.values():
        if r.prose_as is not None and r.prose_as not in slugs:
            raise CrimegraphError(f"{path}: region {r.slug!r} is read as unknown {r.prose_as!r}")
    return regions


def read_specials(path: Path) -> dict[str, str]:
    """Read ``special-phrases.csv``: stand-ins for the subject, and phrases that are no place."""
    markers = {"subject": _SUBJECT, "not-a-place": _NOT_A_PLACE}
    out: dict[str, str] = {}
    for row in _read_csv(path):
        if row["meaning"] not in markers:
            raise CrimegraphError(
                f"{path}: unknown meaning {row['meaning']!r} for {row['phrase']!r}"
            )
        out[row["phrase"]] = markers[row["meaning"]]
    return out


def read_gazetteer(directory: Path) -> Gazetteer:
    """Build a gazetteer from the reference files in ``directory``."""
    countries = read_countries(directory / "countries.csv")
    regions = read_regions(directory / "regions.csv", countries)
    specials = read_specials(directory / "special-phrases.csv")
    return Gazetteer(countries, regions, specials)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of the bundled reference data (built once per process)."""
    return read_gazetteer(reference_dir())
