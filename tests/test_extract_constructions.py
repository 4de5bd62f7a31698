"""Constructions of the Factbook's drug and trafficking fields that the gold files do not
show, on sentences written for these tests: superlative role phrases ("one of the largest
sources of"), drug laboratories, a parenthetical "however", adjectives between a cue and its
places, and the money or the gangs of a trade, which move nothing."""

from __future__ import annotations

import pytest

from graph.extract import extract_text
from graph.records import Flow


def report(subject_name: str, field: str, body: str) -> str:
    """A plain report in the Factbook layout: a title line, then one field."""
    return f"{subject_name}\n\n{field}:\n{body}\n"


def chains(flows: list[Flow]) -> set[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """Each flow as (market, origins, transit stages, destinations), transit stages as text."""
    out = set()
    for f in flows:
        stages = "|".join(s if isinstance(s, str) else "/".join(s) for s in f.transit)
        out.add((f.market, tuple(f.origin), stages, tuple(f.destination)))
    return out


def flows_of(name: str, iso3: str, clause: str, field: str = "Illicit drugs") -> list[Flow]:
    text = report(name, field, clause)
    return extract_text(text, document="test.txt", subject=iso3).flows


CLAUSES = [
    # "one of the (world's) largest ...": a superlative still says the subject holds the role.
    (
        "Poland",
        "POL",
        "one of the largest sources of amphetamine for European markets",
        {("synthetic-drug-trade", ("POL",), "", ("europe",))},
    ),
    (
        "Lebanon",
        "LBN",
        "one of the world's leading producers of cannabis resin",
        {("cannabis-trade", ("LBN",), "", ())},
    ),
    (
        "Germany",
        "DEU",
        "one of the biggest markets for cocaine in the region",
        {("cocaine-trade", (), "", ("DEU",))},
    ),
    # Plural "sources" held by the list before it.
    (
        "World",
        "USA",
        "Laos and Burma remain the main sources of opium in the region",
        {("heroin-trade", ("LAO", "MMR"), "", ())},
    ),
    # Drug laboratories make the drug where they stand: the subject, when no place is named.
    (
        "Estonia",
        "EST",
        "several clandestine amphetamine laboratories dismantled in recent years",
        {("synthetic-drug-trade", ("EST",), "", ())},
    ),
    (
        "Syria",
        "SYR",
        "a growing number of captagon-processing laboratories",
        {("synthetic-drug-trade", ("SYR",), "", ())},
    ),
    (
        "Bulgaria",
        "BGR",
        "amphetamine labs supply the domestic market",
        {("synthetic-drug-trade", ("BGR",), "", ("BGR",))},
    ),
    # A parenthetical ", however," leaves the clause whole.
    (
        "Ecuador",
        "ECU",
        "large volumes of cocaine, however, are shipped to Spain and Italy",
        {("cocaine-trade", ("ECU",), "", ("ESP", "ITA"))},
    ),
    # Adjectives between a cue and its places ("bound for growing domestic markets").
    (
        "Serbia",
        "SRB",
        "transit point for heroin bound for lucrative markets in Western Europe",
        {("heroin-trade", (), "SRB", ("western-europe",))},
    ),
    (
        "Poland",
        "POL",
        "transit country for cannabis destined for growing domestic markets and Germany",
        {("cannabis-trade", (), "POL", ("POL", "DEU"))},
    ),
    # In a list, the origin after one item is that item's own; the end after the list is all of
    # theirs.
    (
        "Panama",
        "PAN",
        "transit country for heroin, cannabis, cocaine from Colombia, and methamphetamine "
        "destined for the United States",
        {
            ("heroin-trade", (), "PAN", ("USA",)),
            ("cannabis-trade", (), "PAN", ("USA",)),
            ("cocaine-trade", ("COL",), "PAN", ("USA",)),
            ("synthetic-drug-trade", (), "PAN", ("USA",)),
        },
    ),
    # Destinations that carry on the list of those the goods are bound for are ends as well.
    (
        "Latvia",
        "LVA",
        "transit point for Afghan heroin bound for Western European markets, to a lesser extent "
        "Scandinavia, and occasionally to Canada",
        {("heroin-trade", ("AFG",), "LVA", ("western-europe", "scandinavia", "CAN"))},
    ),
    # "transit hub": a role word and a role noun make one phrase; the drugs traffickers deal in
    # are the goods, and a demonym before them is the traffickers', not the goods' origin.
    (
        "Benin",
        "BEN",
        "transit hub for Ghanaian heroin and cocaine traffickers",
        {("heroin-trade", (), "BEN", ()), ("cocaine-trade", (), "BEN", ())},
    ),
    (
        "Uzbekistan",
        "UZB",
        "one of the main transit corridors for opiates along with Tajikistan",
        {("heroin-trade", (), "UZB/TJK", ())},
    ),
]


@pytest.mark.parametrize(("name", "iso3", "clause", "expected"), CLAUSES)
def test_constructions(name: str, iso3: str, clause: str, expected: set[object]) -> None:
    assert chains(flows_of(name, iso3, clause)) == expected


def test_sex_tourists_in_one_clause_leave_the_others_of_the_field_alone() -> None:
    clause = (
        "women from Guatemala and Honduras are forced into prostitution in Belize; Belize is "
        "a destination for child sex tourists from the United States"
    )
    flows = flows_of("Belize", "BLZ", clause, field="Trafficking in persons / current situation")
    assert chains(flows) == {("human-trafficking", ("GTM", "HND"), "", ("BLZ",))}


def test_work_named_in_a_trafficking_field_is_no_goods_found_where_people_are() -> None:
    clause = (
        "traffickers subject victims to forced labor in fishing, logging and mining, primarily in "
        "Thailand and Malaysia"
    )
    flows = flows_of("Laos", "LAO", clause, field="Trafficking in persons / current situation")
    assert chains(flows) == {("human-trafficking", ("LAO",), "", ("THA", "MYS"))}


NO_FLOW = [
    # The money of a trade is no commodity, and a place named in a demonym is not its origin.
    ("Panama", "PAN", "large sums of non-US drug proceeds are laundered in Panama"),
    # A role phrase whose object is money is no flow role.
    ("Cyprus", "CYP", "the main sources of illicit proceeds are fraud and drug trafficking"),
    # Gangs named by nationality are actors, not trafficked people.
    ("Greece", "GRC", "Albanian and other foreign trafficking networks are active in Athens"),
    ("Spain", "ESP", "a base for Moroccan smuggling groups and organized crime"),
]


@pytest.mark.parametrize(("name", "iso3", "clause"), NO_FLOW)
def test_no_flow(name: str, iso3: str, clause: str) -> None:
    assert flows_of(name, iso3, clause) == []


def test_laboratories_in_a_named_country_keep_their_drug() -> None:
    flows = flows_of("Belgium", "BEL", "an increasing number of ecstasy labs in Belgium")
    assert chains(flows) == {("synthetic-drug-trade", ("BEL",), "", ())}
