"""Flow rules on sentences written for these tests in the style of the domain (none of them
is taken from a gold file): report clauses whose subject is implicit, and profile sentences."""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.records import Flow


def report(subject_name: str, field: str, body: str) -> str:
    """A plain report in the Factbook layout: a title line, then one field."""
    return f"{subject_name}\n\n{field}:\n{body}\n"


def flows_of(text: str, subject: str | None, kind: str = "report") -> list[Flow]:
    sections = None
    if kind == "profile":
        start = text.index("\n") + 1
        sections = {"Narrative": (start, len(text))}
    return extract_text(
        text, document="test.txt", subject=subject, kind=kind, sections=sections
    ).flows


def chains(flows: list[Flow]) -> set[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """Each flow as (market, origins, transit stages, destinations), transit stages as text."""
    out = set()
    for f in flows:
        stages = "|".join(s if isinstance(s, str) else "/".join(s) for s in f.transit)
        out.add((f.market, tuple(f.origin), stages, tuple(f.destination)))
    return out


DRUG_CLAUSES = [
    # An implicit subject holding a role phrase, with demonym origins and a destination.
    (
        "Georgia",
        "GEO",
        "minor transit point for Afghan heroin bound for Ukraine and Poland",
        {("heroin-trade", ("AFG",), "GEO", ("UKR", "POL"))},
    ),
    # "X-bound" and "X-sourced" compounds.
    (
        "Belize",
        "BLZ",
        "transshipment point for Colombia-sourced cocaine and US-bound marijuana",
        {
            ("cocaine-trade", ("COL",), "BLZ", ()),
            ("cannabis-trade", (), "BLZ", ("USA",)),
        },
    ),
    # from ... via ... to, with the subject as the first transit stage.
    (
        "Armenia",
        "ARM",
        "transshipment point for opiates from Iran via Georgia to Turkey",
        {("heroin-trade", ("IRN",), "ARM|GEO", ("TUR",))},
    ),
    # Unnamed drugs listed with named ones take the named drugs' markets.
    (
        "Oman",
        "OMN",
        "transit area for Iranian drugs, including heroin and hashish, bound for Yemen",
        {
            ("heroin-trade", ("IRN",), "OMN", ("YEM",)),
            ("cannabis-trade", ("IRN",), "OMN", ("YEM",)),
        },
    ),
    # Each commodity keeps its own origin; the destination after the list is shared.
    (
        "Croatia",
        "HRV",
        "transit point for Bolivian cocaine and Turkish heroin destined for Austria",
        {
            ("cocaine-trade", ("BOL",), "HRV", ("AUT",)),
            ("heroin-trade", ("TUR",), "HRV", ("AUT",)),
        },
    ),
    # Producer for the home market and for export.
    (
        "Moldova",
        "MDA",
        "illicit producer of cannabis for domestic consumption and export to Romania",
        {("cannabis-trade", ("MDA",), "", ("MDA", "ROU"))},
    ),
    # Consumption makes the subject a destination.
    (
        "Norway",
        "NOR",
        "growing consumption of Dutch ecstasy",
        {("synthetic-drug-trade", ("NLD",), "", ("NOR",))},
    ),
    # A precursor named with its drug takes the drug's market.
    (
        "Laos",
        "LAO",
        "transit point for methamphetamine precursor chemicals bound for Burma",
        {("synthetic-drug-trade", (), "LAO", ("MMR",))},
    ),
    # Coordinated role phrases: transit and consumer.
    (
        "Poland",
        "POL",
        "transshipment point for and consumer of Moroccan hashish",
        {
            ("cannabis-trade", ("MAR",), "POL", ()),
            ("cannabis-trade", ("MAR",), "", ("POL",)),
        },
    ),
    # Goods entering a country on their way further become transit there.
    (
        "Burundi",
        "BDI",
        "heroin enters Uganda from Kenya before moving on to Rwanda",
        {("heroin-trade", ("KEN",), "UGA", ("RWA",))},
    ),
    # A route "from A to B" in a report passes through its subject.
    (
        "Tajikistan",
        "TJK",
        "opium moves from Afghanistan to Kazakhstan",
        {("heroin-trade", ("AFG",), "TJK", ("KAZ",))},
    ),
    # Items that each name an origin share the route named after the last one.
    (
        "Senegal",
        "SEN",
        "cocaine from Brazil and hashish from Morocco transit destined for Spain",
        {
            ("cocaine-trade", ("BRA",), "SEN", ("ESP",)),
            ("cannabis-trade", ("MAR",), "SEN", ("ESP",)),
        },
    ),
    # Several points of one country are still that country ("transshipment points").
    (
        "Aruba",
        "ABW",
        "northbound transshipment points for cocaine from Venezuela",
        {("cocaine-trade", ("VEN",), "ABW", ())},
    ),
    # A named role list after a plural head ("source countries A and B").
    (
        "Albania",
        "ALB",
        "a transit state for heroin from the source countries Iran and Pakistan",
        {("heroin-trade", ("IRN", "PAK"), "ALB", ())},
    ),
]


@pytest.mark.parametrize(("name", "iso3", "clause", "expected"), DRUG_CLAUSES)
def test_drug_clauses(name: str, iso3: str, clause: str, expected: set[object]) -> None:
    flows = flows_of(report(name, "Illicit drugs", clause), iso3)
    assert chains(flows) == expected


TRAFFICKING_CLAUSES = [
    # A role-only statement: one flow per role the subject holds.
    (
        "Latvia",
        "LVA",
        "Latvia is a source and transit country for women subjected to sex trafficking",
        {
            ("human-trafficking", ("LVA",), "", ()),
            ("human-trafficking", (), "LVA", ()),
        },
    ),
    # Nationals exploited abroad.
    (
        "Nepal",
        "NPL",
        "Nepali men are held in forced labor in Qatar and Malaysia",
        {("human-trafficking", ("NPL",), "", ("QAT", "MYS"))},
    ),
    # Foreign victims named by origin are exploited in the subject.
    (
        "Jordan",
        "JOR",
        "women from Egypt and Sudan are forced into domestic servitude",
        {("human-trafficking", ("EGY", "SDN"), "", ("JOR",))},
    ),
    # Victims sent abroad without a named origin leave from the subject.
    (
        "Laos",
        "LAO",
        "girls are sold as brides to China",
        {("human-trafficking", ("LAO",), "", ("CHN",))},
    ),
    # Movement inside the country.
    (
        "Peru",
        "PER",
        "children are trafficked internally for forced begging",
        {("human-trafficking", ("PER",), "", ("PER",))},
    ),
    # A plural demonym standing alone names the people who move.
    (
        "Greece",
        "GRC",
        "Albanians and Bulgarians are exploited in agriculture in Greece",
        {("human-trafficking", ("ALB", "BGR"), "", ("GRC",))},
    ),
    # A possessive place is where the exploitation happens, not where people come from.
    (
        "Nepal",
        "NPL",
        "Nepali girls are exploited in India’s brothels",
        {("human-trafficking", ("NPL",), "", ("IND",))},
    ),
    # "X-owned" names an owner, not a place of the flow.
    (
        "Fiji",
        "FJI",
        "Fijian children are exploited in Chinese-owned shops",
        {("human-trafficking", ("FJI",), "", ())},
    ),
    # A role phrase held by a list that "followed by" extends.
    (
        "Tonga",
        "TON",
        "Fiji is the main trafficking destination, followed by Samoa and Australia",
        {("human-trafficking", ("TON",), "", ("FJI", "WSM", "AUS"))},
    ),
    # People named only by nationality.
    (
        "Oman",
        "OMN",
        "Pakistanis are subjected to debt bondage",
        {("human-trafficking", ("PAK",), "", ("OMN",))},
    ),
    # Sex tourists are clients, not people who are moved.
    ("Belize", "BLZ", "child sex tourism involving US citizens is rising", set()),
    # A transit country between two named places.
    (
        "Niger",
        "NER",
        "Niger is a transit country for migrants from Nigeria bound for Libya",
        {("human-trafficking", ("NGA",), "NER", ("LBY",))},
    ),
]


@pytest.mark.parametrize(("name", "iso3", "clause", "expected"), TRAFFICKING_CLAUSES)
def test_trafficking_clauses(name: str, iso3: str, clause: str, expected: set[object]) -> None:
    flows = flows_of(report(name, "Trafficking in persons / current situation", clause), iso3)
    assert chains(flows) == expected


NO_FLOW_CLAUSES = [
    # Negation: the whole statement is denied.
    (
        "Iceland",
        "ISL",
        "Illicit drugs",
        "not an important waypoint for cocaine headed to Europe",
    ),
    ("Malta", "MLT", "Illicit drugs", "there are no signs of heroin smuggled into Malta"),
    # Legal trade is no flow.
    ("India", "IND", "Illicit drugs", "licit opium exported to the US for pharmaceuticals"),
    # Places that qualify no commodity: money laundering, borders, authorities.
    ("Panama", "PAN", "Illicit drugs", "money laundering through banks in Colombia and Panama"),
    ("Chad", "TCD", "Disputes - international", "the border with Sudan remains disputed"),
    # Government efforts (a tier rating) state no flow.
    (
        "Gabon",
        "GAB",
        "Trafficking in persons / tier rating",
        "victims from Benin were referred to shelters in Gabon",
    ),
]


@pytest.mark.parametrize(("name", "iso3", "field", "clause"), NO_FLOW_CLAUSES)
def test_no_flow(name: str, iso3: str, field: str, clause: str) -> None:
    assert flows_of(report(name, field, clause), iso3) == []


def test_negation_reaches_only_to_but() -> None:
    text = report(
        "Tonga",
        "Illicit drugs",
        "not a source of drugs bound for the US but a transit point for cocaine bound for Fiji",
    )
    assert chains(flows_of(text, "TON")) == {("cocaine-trade", (), "TON", ("FJI",))}


@pytest.mark.parametrize(
    ("clause", "hedge"),
    [
        ("Moldova may be a transit point for heroin bound for Romania", "may"),
        ("reportedly a transit point for heroin bound for Romania", "reportedly"),
        ("historically a transit point for heroin bound for Romania", "historically"),
        ("possibly a transit point for heroin bound for Romania", "possibly"),
    ],
)
def test_hedged_flows_are_kept_with_their_cue(clause: str, hedge: str) -> None:
    flows = flows_of(report("Moldova", "Illicit drugs", clause), "MDA")
    assert [(f.origin, f.transit, f.destination, f.hedge) for f in flows] == [
        ([], ["MDA"], ["ROU"], hedge)
    ]


PROFILE = (
    "Title line\n"
    "Georgia is a key transit country on the so-called 'Caucasus route' for heroin "
    "originating in Afghanistan and destined for Ukraine. "
    "Migrants may enter the region in Armenia or Azerbaijan, from where they travel through "
    "Georgia and on to Turkey. "
    "Timber leaves the country illegally with local companies, mostly by road.\n"
)


def test_profile_sentences() -> None:
    flows = flows_of(PROFILE, "GEO", kind="profile")
    assert chains(flows) >= {
        ("heroin-trade", ("AFG",), "GEO", ("UKR",)),
        ("human-smuggling", (), "ARM/AZE|GEO", ("TUR",)),
        ("flora-crimes", ("GEO",), "", ()),
    }
    heroin = next(f for f in flows if f.market == "heroin-trade")
    assert heroin.route == "Caucasus route"
    timber = next(f for f in flows if f.market == "flora-crimes")
    assert timber.mode == ["road"]
    assert "local companies" in timber.actors
    migrants = next(f for f in flows if f.market == "human-smuggling")
    assert migrants.hedge == "may"


def test_two_clauses_with_their_own_subjects_do_not_mix() -> None:
    text = report(
        "Haiti",
        "Trafficking in persons / current situation",
        "Haitian women are exploited in Chile, while Cuban men are forced to work in Haiti",
    )
    assert chains(flows_of(text, "HTI")) == {
        ("human-trafficking", ("HTI",), "", ("CHL",)),
        ("human-trafficking", ("CUB",), "", ("HTI",)),
    }


def test_details_of_a_flow() -> None:
    text = report(
        "Kyrgyzstan",
        "Illicit drugs",
        "hashish is smuggled by rail from the Chu Valley into Russia by Russian gangs",
    )
    [flow] = flows_of(text, "KGZ")
    assert (flow.market, flow.origin, flow.destination) == ("cannabis-trade", ["KGZ"], ["RUS"])
    assert flow.mode == ["rail"]
    assert flow.places == ["Chu Valley"]
    assert flow.actors == ["Russian gangs"]
    assert flow.commodity == "hashish"
