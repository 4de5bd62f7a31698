"""Reading report prose: one sentence of our own per construction the reader must handle, and
the statements that are no flow. None of these sentences comes from a development document.

Each case gives a short report (title line, then prose) and the chains it must state, as
(market, origins, transit stages, destinations), transit stages "/"-joined for alternatives.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.evaluate import evaluate_files
from graph.extract import extract_text
from graph.records import Flow

DATA = Path(__file__).resolve().parent.parent / "data"

Chain = tuple[str, tuple[str, ...], str, tuple[str, ...]]


def chains(flows: list[Flow]) -> set[Chain]:
    out = set()
    for f in flows:
        stages = "|".join(s if isinstance(s, str) else "/".join(s) for s in f.transit)
        out.add((f.market, tuple(f.origin), stages, tuple(f.destination)))
    return out


def read(body: str, subject: str | None = None, title: str = "Assessment") -> set[Chain]:
    text = f"{title}\n\n{body}\n"
    return chains(extract_text(text, document="case.txt", subject=subject).flows)


CASES: list[tuple[str, str, str | None, set[Chain]]] = [
    # 1. Movement frames: active and passive, with their prepositional roles.
    (
        "active verb with from/through/to",
        "Smugglers carry heroin from Pakistan through Iran to Turkey.",
        None,
        {("heroin-trade", ("PAK",), "IRN", ("TUR",))},
    ),
    (
        "passive verb, roles written in another order",
        "Cocaine is shipped to Spain via Morocco from Brazil.",
        None,
        {("cocaine-trade", ("BRA",), "MAR", ("ESP",))},
    ),
    (
        "bound for after the commodity",
        "Ketamine bound for Australia is flown out of India.",
        None,
        {("synthetic-drug-trade", ("IND",), "", ("AUS",))},
    ),
    (
        "A supplies X to B",
        "Honduras supplies cocaine to Mexico, police report.",
        None,
        {("cocaine-trade", ("HND",), "", ("MEX",))},
    ),
    (
        "B sources X from A",
        "Japan sources nearly all methamphetamine from Mexico.",
        None,
        {("synthetic-drug-trade", ("MEX",), "", ("JPN",))},
    ),
    (
        "leave and enter as verbs with places as objects",
        "Gold leaves Ghana by air and enters Switzerland through Belgium.",
        None,
        {("non-renewable-resource-crimes", ("GHA",), "BEL", ("CHE",))},
    ),
    # 2. Nominalisations and modifiers.
    (
        "the smuggling of migrants from A to B",
        "Smuggling of migrants from Eritrea to Sudan keeps growing.",
        None,
        {("human-smuggling", ("ERI",), "", ("SDN",))},
    ),
    (
        "A-bound commodity and a demonym origin",
        "Officials found Canada-bound Colombian cocaine in the port.",
        None,
        {("cocaine-trade", ("COL",), "", ("CAN",))},
    ),
    (
        "the flow of arms into A",
        "The flow of rifles into Libya continued through Chad.",
        None,
        {("arms-trafficking", (), "TCD", ("LBY",))},
    ),
    # 3. Routes, chains and branches.
    (
        "an ordered chain of transit countries",
        "The corridor carries hashish from Morocco through Algeria, Tunisia and Libya to Egypt.",
        None,
        {("cannabis-trade", ("MAR",), "DZA|TUN|LBY", ("EGY",))},
    ),
    (
        "alternatives joined by or",
        "Opium crosses from Afghanistan into Turkmenistan or Uzbekistan and moves on to Russia.",
        None,
        {("heroin-trade", ("AFG",), "TKM/UZB", ("RUS",))},
    ),
    (
        "a branch detailed in the next sentence",
        "From Nigeria the cocaine route divides into two branches. The western branch runs "
        "through Senegal to Spain.",
        None,
        {("cocaine-trade", ("NGA",), "", ()), ("cocaine-trade", ("NGA",), "SEN", ("ESP",))},
    ),
    (
        "often via: the flow with and without the stage",
        "Precious stones are flown to China, often via Thailand.",
        "MMR",
        {
            ("non-renewable-resource-crimes", ("MMR",), "", ("CHN",)),
            ("non-renewable-resource-crimes", ("MMR",), "THA", ("CHN",)),
        },
    ),
    # 4. Reference across sentences.
    (
        "from there",
        "Tramadol arrives by sea in Benin. From there it is trucked to Niger.",
        None,
        {
            ("synthetic-drug-trade", (), "", ("BEN",)),
            ("synthetic-drug-trade", (), "BEN", ("NER",)),
        },
    ),
    (
        "the latter",
        "Ivory reaches Kenya and Tanzania by road. The latter exports it to Malaysia.",
        None,
        {
            ("fauna-crimes", (), "", ("KEN", "TZA")),
            ("fauna-crimes", (), "TZA", ("MYS",)),  # ivory that reached it leaves again
        },
    ),
    (
        "the country when the sentence makes it another one",
        "Peruvian officials say that cocaine leaving the country goes to Bolivia.",
        "CHL",
        {("cocaine-trade", ("PER",), "", ("BOL",))},
    ),
    # 5. Direction: a via place never goes before the origin.
    (
        "from A via B in a report on C",
        "Heroin from Afghanistan reaches Armenia via Iran.",
        "ARM",
        {("heroin-trade", ("AFG",), "IRN", ("ARM",))},
    ),
    # 6. Markets.
    (
        "people paying to be moved are smuggled",
        "Syrians pay a fee to smugglers who ferry them from Turkey to Greece.",
        None,
        {("human-smuggling", ("SYR",), "TUR", ("GRC",))},  # Syrians from Syria, by Turkey
    ),
    (
        "exploited people are trafficked",
        "Traffickers force Vietnamese girls into prostitution in Cambodia.",
        None,
        {("human-trafficking", ("VNM",), "", ("KHM",))},
    ),
    (
        "precursors take the market of their drug",
        "Acetic anhydride is smuggled from Iraq to Afghanistan.",
        None,
        {("heroin-trade", ("IRQ",), "", ("AFG",))},
    ),
    (
        "drugs and narcotics are the drug trade",
        "Narcotics are smuggled from Laos into Thailand.",
        None,
        {("drug-trade", ("LAO",), "", ("THA",))},
    ),
    (
        "fuel is a non-renewable resource, cigarettes excisable goods",
        "Diesel is smuggled from Iran to Pakistan, and cigarettes go from Dubai to Somalia.",
        None,
        {
            ("non-renewable-resource-crimes", ("IRN",), "", ("PAK",)),
            ("illicit-trade-in-excisable-goods", ("ARE",), "", ("SOM",)),
        },
    ),
    (
        "laundered proceeds are financial crimes",
        "Drug proceeds are wired from Spain to Panama.",
        None,
        {("financial-crimes", ("ESP",), "", ("PAN",))},
    ),
    # 8. Places.
    (
        "cities and provinces resolve to their country",
        "Cocaine is shipped from Guayaquil to Rotterdam.",
        None,
        {("cocaine-trade", ("ECU",), "", ("NLD",))},
    ),
    (
        "a region users write",
        "Cocaine moves from Latin America to the EU and the Gulf states.",
        None,
        {("cocaine-trade", ("latin-america-and-the-caribbean",), "", ("europe", "middle-east"))},
    ),
    (
        "a gulf is not its country",
        "Cocaine crosses the Gulf of Mexico to Texas.",
        None,
        {("cocaine-trade", (), "", ("USA",))},
    ),
    # 9. A title line that states a flow counts.
    (
        "a title that states a flow",
        "The report gives figures.",
        None,
        {("heroin-trade", ("AFG",), "", ("TJK",))},
    ),
    # 10. Route details, qualified towns, money, neighbours.
    (
        "a relative clause details the way to a destination named before",
        "Opiates reach Central Europe by a route that runs through Iran, then crosses Armenia.",
        None,
        {("heroin-trade", (), "IRN|ARM", ("europe",))},
    ),
    (
        "a port town with its country is one place",
        "Timber is exported through the port of Douala in Cameroon to Vietnam.",
        None,
        {("flora-crimes", (), "CMR", ("VNM",))},
    ),
    (
        "a country's formal name is no anaphor",
        "Heroin is trafficked from Pakistan to the Republic of Korea.",
        None,
        {("heroin-trade", ("PAK",), "", ("KOR",))},
    ),
    (
        "money earned by sales in a place comes from it",
        "Profits from cocaine sales in Spain are laundered in Andorra.",
        None,
        {("financial-crimes", ("ESP",), "", ("AND",))},
    ),
    (
        "moved out of a neighbour, into the report's country",
        "Fuel is smuggled by truck from Algeria.",
        "TUN",
        {("non-renewable-resource-crimes", ("DZA",), "", ("TUN",))},
    ),
    (
        "the country of a report without a subject: the topic of the sentence before",
        "Guinea-Bissau is a hub for cocaine. The country also receives heroin from Pakistan.",
        None,
        {("cocaine-trade", (), "GNB", ()), ("heroin-trade", ("PAK",), "", ("GNB",))},
    ),
    (
        "people smuggled by a network the police dismantled",
        "Police in Slovakia broke up a ring that smuggled migrants from Ukraine into Hungary.",
        None,
        {("human-smuggling", ("UKR",), "", ("HUN",))},
    ),
    (
        "women recruited for commercial sex in a city",
        "Brokers recruit Laotian women for commercial sex in Bangkok.",
        None,
        {("human-trafficking", ("LAO",), "", ("THA",))},
    ),
    (
        "a place a 'where' clause processes goods in",
        "Coca paste is flown into Bolivia, where it is refined into cocaine for Brazil.",
        None,
        {("cocaine-trade", (), "", ("BOL",)), ("cocaine-trade", ("BOL",), "", ("BRA",))},
    ),
    (
        "either directly or via",
        "Hashish is sent to Egypt, either directly or via Libya.",
        "MAR",
        {("cannabis-trade", ("MAR",), "", ("EGY",)), ("cannabis-trade", ("MAR",), "LBY", ("EGY",))},
    ),
    (
        "what a drug is made from is no commodity",
        "Captagon made in Syria from amphetamine powder is shipped to Jordan.",
        None,
        {("synthetic-drug-trade", ("SYR",), "", ("JOR",))},
    ),
    (
        "goods sent abroad with no start named leave the report's country",
        "Shark fins are airfreighted to Hong Kong.",
        "ECU",
        {("fauna-crimes", ("ECU",), "", ("HKG",))},
    ),
    (
        "precursors named with two drugs serve the drug trade",
        "Smugglers move cocaine and heroin from Iran to Armenia and precursor chemicals to Iran.",
        None,
        {
            ("cocaine-trade", ("IRN",), "", ("ARM",)),
            ("heroin-trade", ("IRN",), "", ("ARM",)),
            ("drug-trade", (), "", ("IRN",)),
        },
    ),
    (
        "'in particular' is no place cue",
        "Cocaine reaches Senegal, in particular by air from Brazil.",
        None,
        {("cocaine-trade", ("BRA",), "", ("SEN",))},
    ),
    (
        "a later movement after goods landed somewhere goes on from there",
        "Heroin from Iran, landed in Kenya, has also moved through Uganda.",
        None,
        {("heroin-trade", ("IRN",), "KEN|UGA", ())},
    ),
    (
        "'Serbia and Montenegro' is two countries in a report not about the union",
        "Cash flows back from Austria to Serbia and Montenegro.",
        None,
        {("financial-crimes", ("AUT",), "", ("SRB", "MNE"))},
    ),
    (
        "a destination after one of two commodities is that one's",
        "Bolivia grows coca and is a transit country for Peruvian cocaine moving toward Chile.",
        None,
        {("cocaine-trade", ("BOL",), "", ()), ("cocaine-trade", ("PER",), "BOL", ("CHL",))},
    ),
    (
        "the demonym of a trade is its setting, not an origin",
        "Albanian clans dominate the European cocaine trade, shipping it from Peru to Spain.",
        None,
        {("cocaine-trade", ("PER",), "", ("ESP",))},
    ),
    (
        "a regional adjective yields to the countries named",
        "Teak, a Southeast Asian hardwood, is felled in Laos and trucked to Vietnam.",
        None,
        {("flora-crimes", ("LAO",), "", ("VNM",))},
    ),
    (
        "examples of a verb's object that is no place",
        "Methamphetamine bound for Japan transits the Pacific islands, notably Palau and Guam.",
        None,
        {("synthetic-drug-trade", (), "PLW/GUM", ("JPN",))},
    ),
    (
        "the people's nationality is where they come from, the crossing is on the way",
        "Hundreds of migrants crossed from Libya into Tunisia last month, most of them Sudanese "
        "heading for Italy.",
        None,
        {("human-smuggling", ("SDN",), "LBY|TUN", ("ITA",))},
    ),
    (
        "goods the authorities of a place find arrive there",
        "Customs officers in Latvia keep finding cigarettes smuggled from Russia.",
        None,
        {("illicit-trade-in-excisable-goods", ("RUS",), "", ("LVA",))},
    ),
    (
        "goods carried back on the return go the other way",
        "Fishing boats from Honduras bring cocaine to Belize and return with guns.",
        None,
        {("cocaine-trade", ("HND",), "", ("BLZ",)), ("arms-trafficking", ("BLZ",), "", ("HND",))},
    ),
    (
        "goods brought from abroad arrive in the report's country",
        "Networks bring hashish by road from Morocco.",
        "ESP",
        {("cannabis-trade", ("MAR",), "", ("ESP",))},
    ),
    (
        "goods that appear somewhere arrive there",
        "Captagon from Syria has appeared in Iraq.",
        None,
        {("synthetic-drug-trade", ("SYR",), "", ("IRQ",))},
    ),
    (
        "'often' far from the place is no 'often via'",
        "Salvadorans who leave for Canada often hire smugglers to guide them through Mexico.",
        None,
        {("human-smuggling", ("SLV",), "MEX", ("CAN",))},
    ),
    (
        "someone's luggage is no person moved",
        "Heroin leaves Kenya for Italy in air passengers' luggage.",
        None,
        {("heroin-trade", ("KEN",), "", ("ITA",))},
    ),
    (
        "a capital shared with a small town elsewhere is the capital",
        "Cocaine is flown from Texas to Mexico. Heroin reaches Canada via Paris.",
        None,
        {("cocaine-trade", ("USA",), "", ("MEX",)), ("heroin-trade", (), "FRA", ("CAN",))},
    ),
    (
        "from where: the place goods are made is where they start",
        "Cannabis cultivation is concentrated in the Rif in Morocco, from where resin is "
        "smuggled to Spain.",
        None,
        {("cannabis-trade", ("MAR",), "", ("ESP",))},
    ),
    (
        "labour migrants who end in forced labour are trafficked, not smuggled",
        "Workers from Ghana migrate to Kuwait as cleaners, but some are later held in forced "
        "labour.",
        None,
        {("human-trafficking", ("GHA",), "", ("KWT",))},
    ),
    (
        "people of two origins on two ways, in a report about smuggling",
        "Most of those landing are Bangladeshis who flew through Dubai, or Guineans who came "
        "via Mali and Niger.",
        None,
        {
            ("human-smuggling", ("BGD",), "ARE", ()),
            ("human-smuggling", ("GIN",), "MLI|NER", ()),
        },
    ),
    # Sentences about other countries in a report on one country: the report's subject is not
    # filled in where the sentence names its own places.
    (
        "recruited with a lure, then exploited elsewhere",
        "Girls from Laos are recruited with false promises of restaurant jobs and exploited in "
        "brothels in Thailand.",
        "MMR",
        {("human-trafficking", ("LAO",), "", ("THA",))},
    ),
    (
        "entry points named as the clause's subject",
        "Guinea and Senegal serve as entry points for cocaine arriving by yacht from Brazil.",
        "MLI",
        {("cocaine-trade", ("BRA",), "GIN/SEN", ())},
    ),
    (
        "people named twice: women, then victims",
        "Women from Nepal were identified as victims of forced labour in Malaysia and Oman.",
        "IND",
        {("human-trafficking", ("NPL",), "", ("MYS", "OMN"))},
    ),
    (
        "a country's commodity, possessive",
        "Bolivia's cocaine is increasingly trucked through Paraguay to Brazilian ports.",
        None,
        {("cocaine-trade", ("BOL",), "PRY", ("BRA",))},
    ),
    (
        "from A to B, and from B on to C",
        "Methamphetamine travels from Myanmar to Laos and from Laos through Cambodia to Australia.",
        None,
        {("synthetic-drug-trade", ("MMR",), "LAO|KHM", ("AUS",))},
    ),
    (
        "a relative clause that forwards the goods",
        "Cocaine is moved from Venezuela to the Dominican Republic, where it is relabelled and "
        "forwarded to the Netherlands.",
        None,
        {("cocaine-trade", ("VEN",), "DOM", ("NLD",))},
    ),
    (
        "a departure country",
        "Brazil is now the leading departure country for cocaine seized in Portugal.",
        None,
        {("cocaine-trade", (), "BRA", ("PRT",))},
    ),
    (
        "where the goods are said to end, before the way there",
        "Methamphetamine reaching Australia is mostly made in Myanmar and shipped through "
        "Malaysia and Indonesia.",
        None,
        {("synthetic-drug-trade", ("MMR",), "MYS|IDN", ("AUS",))},
    ),
    (
        "a place the goods reached, then left for another",
        "Cocaine reaching Mexico is then moved on to the United States.",
        None,
        {("cocaine-trade", (), "MEX", ("USA",))},
    ),
    (
        "people trying to reach a country",
        "Sudanese migrants trying to reach the United Kingdom first cross from Libya to Italy.",
        None,
        {("human-smuggling", ("SDN",), "LBY|ITA", ("GBR",))},
    ),
    (
        "a route that begins and ends",
        "The heroin route begins in Myanmar, crosses Laos and ends in Australia.",
        None,
        {("heroin-trade", ("MMR",), "LAO", ("AUS",))},
    ),
    (
        "goods distributed across a region end there",
        "Hashish lands in southern Spain, from where gangs distribute it across Western Europe.",
        None,
        {("cannabis-trade", (), "ESP", ("western-europe",))},
    ),
    (
        "a kind of place, then its examples",
        "Cocaine for New Zealand is often routed through Pacific microstates such as Samoa.",
        None,
        {("cocaine-trade", (), "WSM", ("NZL",)), ("cocaine-trade", (), "", ("NZL",))},
    ),
    (
        "of two places of one name, not the one the goods leave",
        "Heroin smuggled from India enters Pakistan across the Punjab border.",
        None,
        {("heroin-trade", ("IND",), "", ("PAK",))},
    ),
    (
        "goods that 'it' stands for, moved on after a semicolon",
        "Mozambique is a landing point for heroin; much of it is then trucked to South Africa.",
        None,
        {("heroin-trade", (), "MOZ", ()), ("heroin-trade", (), "MOZ", ("ZAF",))},
    ),
    (
        "a country's demand is where the goods end",
        "Vietnamese demand fuels the poaching of pangolins in Gabon, which are flown out via "
        "Lagos.",
        None,
        {("fauna-crimes", ("GAB",), "NGA", ("VNM",))},
    ),
    (
        "supply chains are no verb",
        "Pseudoephedrine is diverted from pharmaceutical supply chains in Thailand and "
        "smuggled to Myanmar.",
        None,
        {("synthetic-drug-trade", ("THA",), "", ("MMR",))},
    ),
    (
        "eastern Congo is the DRC",
        "Coltan from eastern Congo is smuggled into Burundi.",
        None,
        {("non-renewable-resource-crimes", ("COD",), "", ("BDI",))},
    ),
    (
        "where a source ranks is no destination",
        "Peru is the second largest producer of cocaine in South America and ships much of it "
        "to Spain.",
        None,
        {("cocaine-trade", ("PER",), "", ("ESP",))},
    ),
    (
        "a stage reached before, in a participle clause",
        "Indian migrants are smuggled into Canada through the United States, having first flown "
        "to Mexico.",
        None,
        {("human-smuggling", ("IND",), "MEX|USA", ("CAN",))},
    ),
    (
        "a route named by its two ends",
        "Much of the cocaine on the market now travels the Ecuador–Belgium corridor.",
        None,
        {("cocaine-trade", ("ECU",), "", ("BEL",))},
    ),
    (
        "places of seizure are each an end, not a way",
        "Captagon from Syria has been found in Iraq and Kuwait, and was seized as far away as "
        "Malaysia.",
        None,
        {("synthetic-drug-trade", ("SYR",), "", ("IRQ", "KWT", "MYS"))},
    ),
    (
        "where the subject of a verb of making is",
        "Laboratories in Poland produce amphetamine that is exported to Sweden.",
        None,
        {("synthetic-drug-trade", ("POL",), "", ("SWE",))},
    ),
    (
        "where the goods arrived, then their way on",
        "Heroin arriving at the port of Zanzibar is repacked before being shipped on to South "
        "Africa.",
        None,
        {("heroin-trade", (), "TZA", ("ZAF",))},
    ),
    (
        "chemicals that reached a country do not make its drug transit goods",
        "Precursors for cocaine are smuggled into Peru from Chile. Peruvian cocaine is shipped "
        "from Peru to Belgium.",
        None,
        {("cocaine-trade", ("CHL",), "", ("PER",)), ("cocaine-trade", ("PER",), "", ("BEL",))},
    ),
    (
        "a negated role, then the role that contrasts with it, for the same goods",
        "Senegal is not a producer of cannabis resin but serves as a transit point for shipments "
        "bound for Mali.",
        None,
        {("cannabis-trade", (), "SEN", ("MLI",))},
    ),
    (
        "the end named in the subject, the start and a frequent stage after the verb",
        "Heroin entering Canada is flown from India, often transiting the United Arab Emirates.",
        None,
        {("heroin-trade", ("IND",), "", ("CAN",)), ("heroin-trade", ("IND",), "ARE", ("CAN",))},
    ),
    (
        "a corridor that connects A to B via C",
        "The eastern corridor, which connects Ethiopia to South Africa via Kenya and Tanzania, is "
        "used to smuggle migrants.",
        None,
        {("human-smuggling", ("ETH",), "KEN|TZA", ("ZAF",))},
    ),
    (
        "a place that lies on a route",
        "Turkmenistan lies on a secondary route for Afghan opiates bound for Turkey.",
        None,
        {("heroin-trade", ("AFG",), "TKM", ("TUR",))},
    ),
    (
        "an onward leg goes on from where the clause before ended (only some go on: both ends)",
        "Girls from Laos are trafficked to Thailand, and some are later sold on to Malaysia.",
        None,
        {
            ("human-trafficking", ("LAO",), "", ("THA",)),
            ("human-trafficking", ("LAO",), "THA", ("MYS",)),
        },
    ),
    (
        "the subject of a relative clause holds its role phrase",
        "Benin, which remains a key transit country for cocaine, borders Nigeria.",
        None,
        {("cocaine-trade", (), "BEN", ())},
    ),
    (
        "a place used by smugglers as a transit route",
        "Armenia is used by smugglers as a transit route for heroin moving from Iran to Georgia.",
        None,
        {("heroin-trade", ("IRN",), "ARM", ("GEO",))},
    ),
    (
        "'from where' after the place where a group has a presence",
        "Serbian networks have a presence in Brazil, from where they send cocaine to Croatia.",
        None,
        {("cocaine-trade", ("BRA",), "", ("HRV",))},
    ),
    (
        "a place named as the main destination",
        "Captagon produced in Syria is smuggled through Jordan, with Saudi Arabia as the main "
        "destination.",
        None,
        {("synthetic-drug-trade", ("SYR",), "JOR", ("SAU",))},
    ),
    (
        "people put to work producing drugs are exploited where the drugs are grown",
        "Traffickers exploit Chinese men in opium poppy cultivation in Myanmar.",
        None,
        {("human-trafficking", ("CHN",), "", ("MMR",)), ("heroin-trade", ("MMR",), "", ())},
    ),
    (
        "islands, deltas and mountain areas that are no province or city",
        "Crude oil stolen in the Niger Delta is shipped to Ghana. Cannabis grown in the Rif is "
        "smuggled to Spain by speedboat.",
        None,
        {
            ("non-renewable-resource-crimes", ("NGA",), "", ("GHA",)),
            ("cannabis-trade", ("MAR",), "", ("ESP",)),
        },
    ),
    (
        "a list of stages that leads away from where the goods are consumed: alternatives",
        "Heroin consumed in Australia is sourced from Laos via Malaysia and Vietnam.",
        None,
        {("heroin-trade", ("LAO",), "MYS/VNM", ("AUS",))},
    ),
    (
        "where migrants are gathered before the crossing is a stage",
        "Migrants are gathered in Agadez before being driven to Libya.",
        None,
        {("human-smuggling", (), "NER", ("LBY",))},
    ),
    (
        "the part that comes from elsewhere ends where the clause before ended",
        "Little cocaine now reaches Japan from Peru; most comes from Colombia.",
        None,
        {("cocaine-trade", ("PER",), "", ("JPN",)), ("cocaine-trade", ("COL",), "", ("JPN",))},
    ),
    (
        "a region named as the end, then the port the goods are bound for",
        "Cocaine shipments from Peru to Europe are hidden in fruit containers bound for Rotterdam.",
        None,
        {("cocaine-trade", ("PER",), "", ("NLD",))},
    ),
    (
        "the jobs a lure promised are where the people are exploited when the text says so",
        "Agents recruit Nepali women with offers of jobs in Kuwait and Oman, where they are "
        "forced into domestic servitude.",
        None,
        {("human-trafficking", ("NPL",), "", ("KWT", "OMN"))},
    ),
    (
        "victims identified in a country, and where they were from",
        "Most victims identified in Portugal last year were from Brazil and Angola.",
        None,
        {("human-trafficking", ("BRA", "AGO"), "", ("PRT",))},
    ),
    (
        "goods bound for a region end in the countries of it they are shipped to",
        "Cocaine destined for the European market is shipped from Brazil to ports in Spain and "
        "Portugal.",
        None,
        {("cocaine-trade", ("BRA",), "", ("ESP", "PRT"))},
    ),
    (
        "'the drugs' in the next sentence are the goods named before, and go on from there",
        "Customs officers say a gang smuggled cannabis resin from Morocco into Portugal by "
        "speedboat. The drugs were then trucked to Germany.",
        None,
        {("cannabis-trade", ("MAR",), "", ("PRT",)), ("cannabis-trade", ("MAR",), "PRT", ("DEU",))},
    ),
    (
        "the nationality of people charged is no flow, the goods they smuggled are",
        "Four Serbian men were charged with smuggling heroin from Turkey to Austria.",
        None,
        {("heroin-trade", ("TUR",), "", ("AUT",))},
    ),
    (
        "goods that are also sent elsewhere did not pass through the first market",
        "Ecstasy made in Poland supplies much of the Scandinavian market and is also exported to "
        "Canada.",
        None,
        {("synthetic-drug-trade", ("POL",), "", ("northern-europe", "CAN"))},
    ),
    (
        "a verb form used as a noun gives no role ('a growing source')",
        "Counterfeit watches seized in France mostly originated in China, with Thailand a growing "
        "source.",
        None,
        {("trade-in-counterfeit-goods", ("CHN",), "", ("FRA",))},
    ),
    (
        "the country goods enter is their end when the stage is named after it",
        "Much of the heroin entering Ukraine is believed to transit Moldova.",
        None,
        {("heroin-trade", (), "MDA", ("UKR",))},
    ),
    (
        "where goods are re-exported from is a stage",
        "Cocaine bound for Europe is re-exported from Togo.",
        None,
        {("cocaine-trade", (), "TGO", ("europe",))},
    ),
    (
        "refugees whom traffickers lure are trafficked from where they sheltered",
        "Traffickers lure Syrian women living in refugee camps in Jordan to Lebanon, where they "
        "are forced into prostitution.",
        None,
        {("human-trafficking", ("SYR",), "JOR", ("LBN",))},
    ),
    (
        "seafarers are people who move",
        "Filipino seafarers are exploited on vessels in the Middle East.",
        None,
        {("human-trafficking", ("PHL",), "", ("middle-east",))},
    ),
    (
        "routes written with arrows, two in one line",
        "Routes seen in 2023 for cocaine: Peru → Bolivia → Brazil and Colombia -> Panama -> "
        "Mexico.",
        None,
        {
            ("cocaine-trade", ("PER",), "BOL", ("BRA",)),
            ("cocaine-trade", ("COL",), "PAN", ("MEX",)),
        },
    ),
    (
        "note marks inside a list of places",
        "Reports suggest that Guinea[4] and Senegal[5] are transit points for cocaine bound for "
        "Europe.",
        None,
        {("cocaine-trade", (), "GIN/SEN", ("europe",))},
    ),
    (
        "fuel subsidised in a country, and birds trapped in another, start there",
        "Petrol subsidised in Nigeria is smuggled to Benin. Grey parrots trapped in the Congo "
        "are flown to Kuwait via Ethiopia.",
        None,
        {
            ("non-renewable-resource-crimes", ("NGA",), "", ("BEN",)),
            ("fauna-crimes", ("COG",), "ETH", ("KWT",)),
        },
    ),
    (
        "a share of the goods sent elsewhere is another end, not a stage after the first",
        "Haiti is a transshipment point for cocaine moving from Colombia to the United States, "
        "with a growing share carried by boat to the Bahamas.",
        None,
        {("cocaine-trade", ("COL",), "HTI", ("USA", "BHS"))},
    ),
    (
        "precursors smuggled into a country for a named drug take that drug's market",
        "Precursor chemicals bought from suppliers in Thailand are smuggled into Cambodia for use "
        "in methamphetamine production.",
        None,
        {("synthetic-drug-trade", ("THA",), "", ("KHM",))},
    ),
    (
        "'both' as a subject stands for the places named together before it",
        "Neither Uruguay nor Paraguay grows coca, but both are used to export cocaine to Africa.",
        None,
        {("cocaine-trade", ("URY", "PRY"), "", ("africa",))},
    ),
    (
        "'respectively' pairs the goods with their ends",
        "Hashish and cocaine are shipped from Morocco to Italy and Belgium respectively.",
        None,
        {("cannabis-trade", ("MAR",), "", ("ITA",)), ("cocaine-trade", ("MAR",), "", ("BEL",))},
    ),
    (
        "the subject of a coordinated predicate holds the role, not the object before it",
        "Belize's Toledo district borders Guatemala and is a landing zone for cocaine flights "
        "from Colombia.",
        None,
        {("cocaine-trade", ("COL",), "BLZ", ())},
    ),
    (
        "goods found in one country and made in another end in the first",
        "Much of the heroin in Canada is produced in Afghanistan.",
        None,
        {("heroin-trade", ("AFG",), "", ("CAN",))},
    ),
    (
        "'the former' and 'the latter' are the two places named together, not the last one",
        "Benin and Niger both serve as transit points for heroin from Pakistan. The former also "
        "supplies cannabis to Chad, while the latter is a hub for tramadol from India.",
        None,
        {
            ("heroin-trade", ("PAK",), "BEN/NER", ()),
            ("cannabis-trade", ("BEN",), "", ("TCD",)),
            ("synthetic-drug-trade", ("IND",), "NER", ()),
        },
    ),
    (
        "'it' opening a sentence is what the sentence before was about; 'them' the people",
        "Senegal serves as a stopover for cocaine heading to Spain. It has also become a "
        "destination for girls trafficked from Guinea. Most of them end up exploited in Dakar.",
        None,
        {
            ("cocaine-trade", (), "SEN", ("ESP",)),
            ("human-trafficking", ("GIN",), "", ("SEN",)),
        },
    ),
    (
        "the country whose authorities seize goods tied to another is where they were found",
        "Belgian customs intercepted 40 tonnes of cocaine last year, much of it shipped from "
        "Ecuador and Brazil.",
        None,
        {("cocaine-trade", ("ECU", "BRA"), "", ("BEL",))},
    ),
    (
        "groups in a country that import goods bring them there",
        "Criminal networks in Portugal import cocaine directly from Brazil and Venezuela.",
        None,
        {("cocaine-trade", ("BRA", "VEN"), "", ("PRT",))},
    ),
    (
        "a border crossing in the country people come from is no stage of its own",
        "Smugglers take Bangladeshi boys to India by bus, often via the border post at Benapole.",
        None,
        {("human-smuggling", ("BGD",), "", ("IND",))},
    ),
    (
        "migrants who fall victim to forced labour are trafficked",
        "Tajik labour migrants, some of whom end up in forced labour in Russia, are a concern.",
        None,
        {("human-trafficking", ("TJK",), "", ("RUS",))},
    ),
    (
        "markets across a region are where the goods end, not a way through it",
        "Hashish from Lebanon supplies markets across the Levant and Egypt.",
        None,
        {("cannabis-trade", ("LBN",), "", ("western-asia", "EGY"))},
    ),
    (
        "regions of common usage, read as the regions of the annotations",
        "Cigarettes made in Belarus are smuggled into the Nordic countries and the Benelux. "
        "Cocaine from Paraguay reaches the Maghreb through the Levant.",
        None,
        {
            (
                "illicit-trade-in-excisable-goods",
                ("BLR",),
                "",
                ("northern-europe", "western-europe"),
            ),
            ("cocaine-trade", ("PRY",), "western-asia", ("northern-africa",)),
        },
    ),
    (
        "goods seized on their way elsewhere pass through the place of seizure",
        "Rhino horn seized in Kenya was en route to Viet Nam.",
        None,
        {("fauna-crimes", (), "KEN", ("VNM",))},
    ),
    (
        "a route named after a region names no mover",
        "Heroin also moves along the Southern Caucasus route through Armenia.",
        None,
        {("heroin-trade", (), "ARM", ())},
    ),
    (
        "goods that go the other way take the route of the clause before backwards",
        "Cocaine is trafficked from Mexico to the United States, while firearms move in the "
        "opposite direction.",
        None,
        {("cocaine-trade", ("MEX",), "", ("USA",)), ("arms-trafficking", ("USA",), "", ("MEX",))},
    ),
    (
        "people seeking to reach a country are smuggled there",
        "Afghan nationals seeking to reach Germany travel through Iran and Turkey.",
        None,
        {("human-smuggling", ("AFG",), "IRN|TUR", ("DEU",))},
    ),
    (
        "a place the goods began from stays their start after they passed through it",
        "Ivory poached in Zambia is trucked to Tanzania. Couriers also carry ivory from Malawi "
        "through Zambia to Angola. Traders now ship ivory from Zambia via Dubai to China.",
        None,
        {
            ("fauna-crimes", ("ZMB",), "", ("TZA",)),
            ("fauna-crimes", ("MWI",), "ZMB", ("AGO",)),
            ("fauna-crimes", ("ZMB",), "ARE", ("CHN",)),
        },
    ),
    (
        "where only part goes on, the stop is an end as well as a stage",
        "Heroin from Afghanistan moves through Iran to Turkey, where part of it is consumed and "
        "the rest is sent on to Bulgaria.",
        None,
        {
            ("heroin-trade", ("AFG",), "IRN", ("TUR",)),
            ("heroin-trade", ("AFG",), "IRN|TUR", ("BGR",)),
        },
    ),
    (
        "a second role phrase after people and what is done to them holds its own role",
        "Peru is a source country for women subjected to forced labour and, on a smaller scale, "
        "a destination country for men from Bolivia.",
        None,
        {("human-trafficking", ("PER",), "", ()), ("human-trafficking", ("BOL",), "", ("PER",))},
    ),
    (
        "goods imported into a named country land there, not in the report's country",
        "Most of the ecstasy sold in Australia is imported from the Netherlands and Germany.",
        "BEL",
        {("synthetic-drug-trade", ("NLD", "DEU"), "", ("AUS",))},
    ),
    (
        "goods that arrive by a way go where the clause before ended",
        "The bulk of cocaine seized in Hong Kong originates in Peru, though consignments "
        "increasingly arrive via Brazil.",
        None,
        {
            ("cocaine-trade", ("PER",), "", ("HKG",)),
            ("cocaine-trade", ("PER",), "BRA", ("HKG",)),
        },
    ),
    (
        "'not only … but also' holds both role phrases",
        "Tajikistan is not only a transit route for Afghan opiates bound for Kazakhstan but also "
        "a source of hashish for Uzbekistan.",
        None,
        {
            ("heroin-trade", ("AFG",), "TJK", ("KAZ",)),
            ("cannabis-trade", ("TJK",), "", ("UZB",)),
        },
    ),
    (
        "a clause with no verb repeats the verb of the clause before",
        "Most of the heroin sold in Canada comes from Afghanistan, but increasingly also from "
        "Mexico and Colombia.",
        None,
        {
            ("heroin-trade", ("AFG",), "", ("CAN",)),
            ("heroin-trade", ("MEX", "COL"), "", ("CAN",)),
        },
    ),
    (
        "people said by a copula to be other people are those people",
        "Most victims identified in Portugal were men from Nepal, while other victims came mainly "
        "from Bangladesh.",
        None,
        {
            ("human-trafficking", ("NPL",), "", ("PRT",)),
            ("human-trafficking", ("BGD",), "", ("PRT",)),
        },
    ),
    (
        "people identified in a country were found where they were exploited",
        "The majority of trafficking victims rescued in Malaysia originated in Indonesia.",
        None,
        {("human-trafficking", ("IDN",), "", ("MYS",))},
    ),
    (
        "goods land where the boats land near a town",
        "Speedboats loaded with hashish in Morocco land on beaches near Almería.",
        None,
        {("cannabis-trade", ("MAR",), "", ("ESP",))},
    ),
    (
        "places the goods were said to reach before going on are one stage, not a road",
        "Coltan dug illegally in Burundi is smuggled into Tanzania and Kenya before being "
        "shipped to China.",
        None,
        {("non-renewable-resource-crimes", ("BDI",), "TZA/KEN", ("CHN",))},
    ),
    (
        "weapons recovered in a city were found there",
        "The pistols recovered in Kampala had been trafficked across the border from South Sudan.",
        None,
        {("arms-trafficking", ("SSD",), "", ("UGA",))},
    ),
    (
        "a job promised in one country is no stage when the people are taken on elsewhere",
        "Girls from Moldova are lured by promises of jobs in Italy and then taken to Cyprus, "
        "where they are forced into prostitution.",
        None,
        {("human-trafficking", ("MDA",), "", ("CYP",))},
    ),
    (
        "where goods bound for a named end were seized is a stage on their way",
        "Rhino horn seized in Qatar last year had been flown from Mozambique, with China as its "
        "intended destination.",
        None,
        {("fauna-crimes", ("MOZ",), "QAT", ("CHN",))},
    ),
    (
        "a border crossed from the start leads to the other side",
        "Opium from Afghanistan is carried across the Afghan-Uzbek border and then on to "
        "Kazakhstan.",
        None,
        {("heroin-trade", ("AFG",), "UZB", ("KAZ",))},
    ),
    (
        "ports of two countries are either of them",
        "Cocaine from Bolivia leaves through Chilean and Peruvian ports for Europe.",
        None,
        {("cocaine-trade", ("BOL",), "CHL/PER", ("europe",))},
    ),
    (
        "a place after 'or' and the same bare word is another place of the group before",
        "Methamphetamine made in Asia usually lands in Mozambique or Tanzania, or by air in "
        "Zambia.",
        None,
        {("synthetic-drug-trade", ("asia",), "", ("MOZ", "TZA", "ZMB"))},
    ),
    (
        "'from there' after a list of places starts from any of them, once",
        "Heroin from Iran reaches Azerbaijan and Armenia. From there, couriers carry it into "
        "Georgia, from where it goes by ferry to Romania.",
        None,
        {
            ("heroin-trade", ("IRN",), "", ("AZE", "ARM")),
            ("heroin-trade", ("IRN",), "AZE/ARM|GEO", ("ROU",)),
        },
    ),
    (
        "a share of the goods is those goods",
        "Cannabis from Morocco reaches Spain by speedboat. A further share is flown directly "
        "from Morocco to France.",
        None,
        {("cannabis-trade", ("MAR",), "", ("ESP",)), ("cannabis-trade", ("MAR",), "", ("FRA",))},
    ),
    (
        "'some of it' goes on from where the goods went before",
        "Heroin from Pakistan reaches Kenya by sea and is moved by road to Uganda. Some of it is "
        "sent on to Europe by air.",
        None,
        {
            ("heroin-trade", ("PAK",), "KEN", ("UGA",)),
            ("heroin-trade", ("PAK",), "KEN|UGA", ("europe",)),
        },
    ),
    (
        "a region the route passed is coded by its countries the next sentence names",
        "West Africa is a transit area for cocaine trafficked from South America to Europe. "
        "The drug usually arrives in Guinea-Bissau or Senegal.",
        None,
        {
            ("cocaine-trade", ("south-america",), "western-africa", ("europe",)),
            ("cocaine-trade", ("south-america",), "", ("GNB", "SEN")),
        },
    ),
    (
        "'many are' goes on with the people of the sentence before",
        "Recruiters deceive Kenyan men with false offers of work in Europe. Many are later "
        "exploited on farms in Poland.",
        None,
        {("human-trafficking", ("KEN",), "", ()), ("human-trafficking", ("KEN",), "", ("POL",))},
    ),
    (
        "'the Gulf' alone is the Gulf states; 'the Gulf of Aden' is a sea",
        "Domestic workers from Uganda are trafficked to the Gulf. Migrants from Ethiopia cross "
        "the Gulf of Aden to Yemen.",
        None,
        {
            ("human-trafficking", ("UGA",), "", ("middle-east",)),
            ("human-smuggling", ("ETH",), "", ("YEM",)),
        },
    ),
    (
        "resin alone is cannabis resin",
        "Lebanese resin is trucked into Syria and Jordan.",
        None,
        {("cannabis-trade", ("LBN",), "", ("SYR", "JOR"))},
    ),
    (
        "a place used as a route for goods is a stage of their way",
        "Laos is increasingly used as a route for methamphetamine from Myanmar to Viet Nam.",
        None,
        {("synthetic-drug-trade", ("MMR",), "LAO", ("VNM",))},
    ),
    (
        "places used to smuggle goods are a stage of their way",
        "The harbours of Bar and Kotor in Montenegro are used to smuggle cocaine arriving from "
        "Brazil.",
        None,
        {("cocaine-trade", ("BRA",), "MNE", ())},
    ),
    (
        "goods diverted in a country start there",
        "Codeine syrup diverted in India is smuggled into Bangladesh.",
        None,
        {("synthetic-drug-trade", ("IND",), "", ("BGD",))},
    ),
    (
        "'the precursor ephedrine' is one commodity",
        "The precursor pseudoephedrine is smuggled from India into Myanmar.",
        None,
        {("synthetic-drug-trade", ("IND",), "", ("MMR",))},
    ),
    (
        "'the southern border' and 'in the north' are the report's country",
        "Rifles from Sudan have been smuggled across the western border. Gold from mines in the "
        "east is flown to Dubai.",
        "TCD",
        {
            ("arms-trafficking", ("SDN",), "", ("TCD",)),
            ("non-renewable-resource-crimes", ("TCD",), "", ("ARE",)),
        },
    ),
    (
        "a paragraph that opens with 'the drugs' goes on with the paragraph before",
        "Dutch police broke up a ring that brought cocaine from Peru into Europe.\n\nThe drugs "
        "were unloaded in Rotterdam, from where they were trucked to Belgium and Germany.",
        None,
        {
            ("cocaine-trade", ("PER",), "", ("europe",)),
            ("cocaine-trade", ("PER",), "NLD", ("BEL", "DEU")),
        },
    ),
    (
        "places after a plural venue noun are either of them",
        "Heroin from Iran is stored in warehouses in Armenia and Georgia before reaching Ukraine.",
        None,
        {("heroin-trade", ("IRN",), "ARM/GEO", ("UKR",))},
    ),
    (
        "'the largest markets are in' places the markets, it does not rank them",
        "Most of the world's opium is produced in Afghanistan and Myanmar, while the largest "
        "consumer markets are in Iran and Pakistan.",
        None,
        {
            ("heroin-trade", ("AFG", "MMR"), "", ()),
            ("heroin-trade", ("AFG", "MMR"), "", ("IRN", "PAK")),
        },
    ),
    (
        "places of a 'where' clause after a transit region are stages on the way",
        "Heroin from Pakistan is trafficked to Europe via East Africa, where consignments land "
        "in Kenya before being trucked through Uganda to South Sudan.",
        None,
        {("heroin-trade", ("PAK",), "KEN|UGA|SSD", ("europe",))},
    ),
    (
        "a role phrase and its object, then a copula: the places after it hold the role",
        "The main destination for Bolivian cocaine is Brazil. The principal transit countries "
        "for Afghan opiates are Iran and Pakistan.",
        None,
        {
            ("cocaine-trade", ("BOL",), "", ("BRA",)),
            ("heroin-trade", ("AFG",), "IRN/PAK", ()),
        },
    ),
    (
        "a role phrase and its object, then a colon and a list of places: they hold the role",
        "Main countries of destination for cocaine from Peru: Brazil, Chile and Argentina.",
        None,
        {("cocaine-trade", ("PER",), "", ("BRA", "CHL", "ARG"))},
    ),
    (
        "goods a route is compared with do not move on it",
        "Ketamine from India is smuggled along the same routes as heroin into Malaysia.",
        None,
        {("synthetic-drug-trade", ("IND",), "", ("MYS",))},
    ),
    (
        "goods made 'domestically' start in the report's country and end nowhere said",
        "Opium poppy is grown domestically, while heroin is also smuggled in from Pakistan.",
        "AFG",
        {("heroin-trade", ("AFG",), "", ()), ("heroin-trade", ("PAK",), "", ("AFG",))},
    ),
    (
        "'these two countries' are the last two named apart; 'enters both' goes into both",
        "Customs in Latvia seize alcohol smuggled from Russia. In Estonia, officers also find "
        "vodka from Russia. They believe most Russian contraband bound for the EU crosses these "
        "two countries; a minor flow enters both from Belarus.",
        None,
        {
            ("illicit-trade-in-excisable-goods", ("RUS",), "", ("LVA",)),
            ("illicit-trade-in-excisable-goods", ("RUS",), "", ("EST",)),
            ("illicit-trade-in-excisable-goods", ("RUS",), "LVA/EST", ("europe",)),
            ("illicit-trade-in-excisable-goods", ("BLR",), "", ("LVA", "EST")),
        },
    ),
    (
        "'these drugs' after a list of drugs are each of them",
        "Laboratories in Laos make methamphetamine and heroin. These drugs are smuggled into "
        "Viet Nam.",
        None,
        {
            ("synthetic-drug-trade", ("LAO",), "", ()),
            ("heroin-trade", ("LAO",), "", ()),
            ("synthetic-drug-trade", ("LAO",), "", ("VNM",)),
            ("heroin-trade", ("LAO",), "", ("VNM",)),
        },
    ),
    (
        "people who 'continue to' a place go on from where they were taken",
        "Migrants from Eritrea are driven to Khartoum, and some continue to Egypt or Libya.",
        None,
        {
            ("human-smuggling", ("ERI",), "", ("SDN",)),
            ("human-smuggling", ("ERI",), "SDN", ("EGY", "LBY")),
        },
    ),
    (
        "people among whom drugs are used are no people who move",
        "Cocaine consumption has grown among young people in Lima.",
        None,
        {("cocaine-trade", (), "", ("PER",))},
    ),
    (
        "people of a region, mostly from one of its countries, come from that country",
        "Sub-Saharan women, mostly from Cameroon, are exploited in bars in Morocco.",
        None,
        {("human-trafficking", ("CMR",), "", ("MAR",))},
    ),
    (
        "people arriving in a country that departed from another end where they arrived",
        "Most of the migrants arriving in Italy by sea left from Libya.",
        None,
        {("human-smuggling", ("LBY",), "", ("ITA",))},
    ),
    (
        "'shipments' after a drug named in the same sentence are that drug",
        "Heroin moves from Iran to Turkey.\n\nCocaine seizures in Panama rose in 2023, as "
        "smugglers moved more shipments from Colombia.",
        None,
        {("heroin-trade", ("IRN",), "", ("TUR",)), ("cocaine-trade", ("COL",), "", ("PAN",))},
    ),
    (
        "a place 'rather than' which the goods move is no stage of theirs",
        "Cocaine now reaches Spain from Ecuador rather than from Colombia. Officials say Pakistan, "
        "rather than Iran, is now the main departure country for heroin.",
        None,
        {("cocaine-trade", ("ECU",), "", ("ESP",)), ("heroin-trade", (), "PAK", ())},
    ),
    (
        "the place criminal groups come from is theirs, not the goods'",
        "Criminal networks from Albania buy cocaine from Ecuador.",
        None,
        {("cocaine-trade", ("ECU",), "", ())},
    ),
    (
        "'the eastern border' with no country of the report is no place",
        "Opium is smuggled into Iran from Afghanistan across the eastern border.",
        None,
        {("heroin-trade", ("AFG",), "", ("IRN",))},
    ),
    (
        "goods also 'smuggled in' arrive where the goods of the clause before did",
        "Most of the cocaine consumed in Chile is of Bolivian origin, while cannabis is also "
        "smuggled in from Paraguay.",
        None,
        {
            ("cocaine-trade", ("BOL",), "", ("CHL",)),
            ("cannabis-trade", ("PRY",), "", ("CHL",)),
        },
    ),
    (
        "a place where something is 'known as' a name is not where goods go",
        "Cheap Venezuelan diesel is smuggled into Colombia and Brazil, where it is sold in "
        "bottles known in Colombia as pimpinas.",
        None,
        {("non-renewable-resource-crimes", ("VEN",), "", ("COL", "BRA"))},
    ),
    (
        "a route that 'continues through' places goes on after the place it reached",
        "Heroin crosses from Iran into Armenia and continues through Georgia to Russia.",
        None,
        {("heroin-trade", ("IRN",), "ARM|GEO", ("RUS",))},
    ),
    (
        "people who enter irregularly with brokers' help are smuggled, whatever risk they run",
        "Farm workers from Nepal, most of whom cross into India irregularly helped by brokers, "
        "are at risk of debt bondage.",
        None,
        {("human-smuggling", ("NPL",), "", ("IND",))},
    ),
    (
        "people recruited 'as' workers are those people; 'diverted to' is another end",
        "Kenyan women recruited as cleaners for Qatar are sometimes diverted to Iraq.",
        None,
        {("human-trafficking", ("KEN",), "", ("QAT", "IRQ"))},
    ),
    (
        "groups 'based in' a country do not act on the people named after it",
        "Networks based in Libya organise migrant smuggling from Niger into Libya and "
        "onward to Italy.",
        None,
        {("human-smuggling", ("NER",), "LBY", ("ITA",))},
    ),
    (
        "precursors go where the drug is made",
        "Precursor chemicals for methamphetamine manufacturing in Mexico arrive mainly from China "
        "and India.",
        None,
        {("synthetic-drug-trade", ("CHN", "IND"), "", ("MEX",))},
    ),
    (
        "a verb after a capitalised commodity name is a verb",
        "Most LSD produced in Poland is exported, with Sweden among the main destinations.",
        None,
        {("synthetic-drug-trade", ("POL",), "", ("SWE",))},
    ),
    (
        "goods spread 'throughout' a region end there",
        "Synthetic cannabinoids made in China are distributed throughout Russia.",
        None,
        {("synthetic-drug-trade", ("CHN",), "", ("RUS",))},
    ),
    (
        "a stage crossed 'after' another is reached before it",
        "Sudanese migrants reach Tunisia from Libya after crossing Chad.",
        None,
        {("human-smuggling", ("SDN",), "TCD|LBY", ("TUN",))},
    ),
    (
        "stages a later clause adds come before the end the goods are bound for",
        "Hashish bound for Northern Europe is shipped from Morocco into Spain, where it is "
        "repackaged before crossing into France.",
        None,
        {("cannabis-trade", ("MAR",), "ESP|FRA", ("northern-europe",))},
    ),
    (
        "'directly … or' joining two ends is no direct-or-via choice",
        "Smugglers fly the cannabis directly from Jamaica to the Bahamas or ship it by boat "
        "to Haiti.",
        None,
        {("cannabis-trade", ("JAM",), "", ("BHS", "HTI"))},
    ),
    (
        "chemicals 'for' a drug's laboratories go where the laboratories are",
        "Solvents destined for cocaine laboratories in Bolivia are mostly bought in Chile "
        "and Argentina.",
        None,
        {("cocaine-trade", ("CHL", "ARG"), "", ("BOL",))},
    ),
    (
        "what a drug is made 'using' goes where it is made, not where the drug goes",
        "Heroin refined in Pakistan using acetic anhydride from Tajikistan is shipped to Kenya.",
        None,
        {("heroin-trade", ("PAK",), "", ("KEN",)), ("heroin-trade", ("TJK",), "", ("PAK",))},
    ),
    (
        "others of the goods leaving 'from' elsewhere were made where the first were",
        "Part of the captagon made in Syria crosses into Jordan, while others leave by sea "
        "from Lebanon to Egypt.",
        None,
        {
            ("synthetic-drug-trade", ("SYR",), "", ("JOR",)),
            ("synthetic-drug-trade", ("SYR",), "LBN", ("EGY",)),
        },
    ),
    (
        "a part of a country named after its possessive holds the role phrase",
        "Tanzania's coast is a landing area for heroin shipped from Pakistan.",
        None,
        {("heroin-trade", ("PAK",), "TZA", ())},
    ),
    (
        "'followed by' ranks more places in the role of those before",
        "Most people found in forced labour in Poland were Ukrainian nationals, followed by "
        "Belarusians and Moldovans.",
        None,
        {("human-trafficking", ("UKR", "BLR", "MDA"), "", ("POL",))},
    ),
    (
        "'followed by' ranks more people found where the first were",
        "Most victims detected in Italy were women from Nigeria, followed by women from Albania.",
        None,
        {("human-trafficking", ("NGA", "ALB"), "", ("ITA",))},
    ),
    (
        "a place ranked after others is not ranked after the region it lies in",
        "Italy and Greece account for most of the cocaine entering the EU by sea, followed by "
        "Spain.",
        None,
        {("cocaine-trade", (), "", ("europe",))},
    ),
    (
        "'the country' after authorities in one country and goods from another is theirs",
        "Officials in Peru say that cocaine paste from Bolivia enters the south of the country "
        "and leaves from the port of Callao.",
        None,
        {("cocaine-trade", ("BOL",), "PER", ())},
    ),
    (
        "a city's namesake on the continent of the others listed with it",
        "Heroin is shipped from Karachi to Hamburg, Antwerp and Valencia.",
        None,
        {("heroin-trade", ("PAK",), "", ("DEU", "BEL", "ESP"))},
    ),
    (
        "containers go on with the goods named before",
        "Colombian cocaine is loaded in Buenaventura. From there, containers are shipped to "
        "Panama and Mexico.",
        None,
        {("cocaine-trade", ("COL",), "", ()), ("cocaine-trade", ("COL",), "", ("PAN", "MEX"))},
    ),
    (
        "'with X an emerging source' after the way the goods come",
        "Methamphetamine sold in Japan is mostly smuggled from Mexico, with Canada an emerging "
        "source.",
        None,
        {("synthetic-drug-trade", ("CAN", "MEX"), "", ("JPN",))},
    ),
    (
        "people a trade 'involves' or that 'run' it act; they do not move",
        "Logging in the area involves Vietnamese nationals, and the timber is trucked to Cambodia.",
        None,
        {("flora-crimes", (), "", ("KHM",))},
    ),
    (
        "a way through 'or' an end reached another way are two ways out",
        "Most of the ivory leaves Uganda through Kenya or by air to Thailand.",
        None,
        {("fauna-crimes", ("UGA",), "KEN", ()), ("fauna-crimes", ("UGA",), "", ("THA",))},
    ),
    (
        "an end reached 'or' from another place: the same end",
        "Heroin usually lands at the port of Mombasa or comes overland from Uganda.",
        None,
        {("heroin-trade", ("UGA",), "", ("KEN",))},
    ),
    (
        "people moved on from the report's country went there first",
        "Albanian women are brought to Kosovo for sexual exploitation. Some of these women are "
        "later taken to Serbia.",
        "XKX",
        {
            ("human-trafficking", ("ALB",), "", ("XKX",)),
            ("human-trafficking", ("ALB",), "XKX", ("SRB",)),
        },
    ),
    (
        "people 'from the north' of the report's country, sent within it",
        "Boys from the north are sent to Dhaka and Chittagong for forced labour.",
        "BGD",
        {("human-trafficking", ("BGD",), "", ("BGD",))},
    ),
    (
        "the subject of a passive supply verb is supplied",
        "West Africa is supplied with tramadol via Togo from India.",
        None,
        {("synthetic-drug-trade", ("IND",), "TGO", ("western-africa",))},
    ),
    (
        "a noun that makes goods is still the object of the verb that reaches it",
        "Smuggled through Rwanda, the coltan eventually reaches refineries in China.",
        None,
        {("non-renewable-resource-crimes", (), "RWA", ("CHN",))},
    ),
    (
        "a role noun that is a verb with its goods ('exports cocaine')",
        "Bolivia exports coca paste to Peru.",
        None,
        {("cocaine-trade", ("BOL",), "", ("PER",))},
    ),
    (
        "a place a relative clause has for subject ('which receives')",
        "Italian clans control distribution in Malta, which receives most of its cocaine from "
        "Colombia via Spain.",
        None,
        {("cocaine-trade", ("COL",), "ESP", ("MLT",))},
    ),
    (
        "a route 'linking' two places runs from the first to the second",
        "The corridor linking Myanmar and India through Manipur carries methamphetamine.",
        None,
        {("synthetic-drug-trade", ("MMR",), "", ("IND",))},
    ),
    (
        "venues after a verb of passing are either of them",
        "Pangolin scales from Nigeria bound for China usually transit ports in Togo and Benin.",
        None,
        {("fauna-crimes", ("NGA",), "TGO/BEN", ("CHN",))},
    ),
    (
        "'the principal source … in' a region ranks, it is no second origin",
        "Laos is the principal source of opium in Southeast Asia after Myanmar.",
        None,
        {("heroin-trade", ("LAO",), "", ())},
    ),
    (
        "part of the goods named before keeps their origin, not their other ends",
        "Nepal produces hashish that is smuggled to India and Bangladesh. Some of the hashish "
        "bound for Europe goes through Qatar.",
        None,
        {
            ("cannabis-trade", ("NPL",), "", ("IND", "BGD")),
            ("cannabis-trade", ("NPL",), "QAT", ("europe",)),
        },
    ),
    (
        "'from there' after the sentence before reached a place: its origins go on",
        "Peruvian cocaine enters Bolivia by road. From there, the drugs are flown to Paraguay.",
        None,
        {
            ("cocaine-trade", ("PER",), "", ("BOL",)),
            ("cocaine-trade", ("PER",), "BOL", ("PRY",)),
        },
    ),
    (
        "goods found where they started, on their way out, did not end there",
        "Kenyan customs found ivory leaving Mombasa for Malaysia.",
        None,
        {("fauna-crimes", ("KEN",), "", ("MYS",))},
    ),
    (
        "money 'repatriated' moves; people repatriated do not",
        "Profits from heroin sales in Russia are repatriated to Tajikistan through money "
        "transfer services.",
        None,
        {("financial-crimes", ("RUS",), "", ("TJK",))},
    ),
    (
        "'the vessel' goes on with the goods of the sentence before",
        "The Irish navy boarded a trawler carrying cocaine. Officers believe the vessel had "
        "sailed from Suriname.",
        None,
        {("cocaine-trade", ("SUR",), "", ())},
    ),
    (
        "a place the goods were heading for before going on is a stage",
        "A yacht carrying cocaine left Venezuela heading for Martinique before continuing to "
        "France.",
        None,
        {("cocaine-trade", ("VEN",), "MTQ", ("FRA",))},
    ),
    (
        "an English county in news of a find",
        "Police found 40 kilograms of heroin from Pakistan in a van in Kent.",
        None,
        {("heroin-trade", ("PAK",), "", ("GBR",))},
    ),
    (
        "people a trade is 'driven by' are those who move in it",
        "The flow is driven by Afghan migrants heading for Iran, who cross from Pakistan.",
        None,
        {("human-smuggling", ("AFG",), "PAK", ("IRN",))},
    ),
    (
        "goods exported through the report's own ports leave from it",
        "Abalone is exported to Hong Kong through the ports of Durban and Cape Town.",
        "ZAF",
        {("fauna-crimes", ("ZAF",), "", ("HKG",))},
    ),
    (
        "goods named 'apart from' the ones that move do not move",
        "Apart from cocaine, the cartel ships migrants from Colombia to Panama by boat.",
        None,
        {("human-smuggling", ("COL",), "", ("PAN",))},
    ),
    (
        "people of two nationalities on one way: both are origins, the place left a stage",
        "Smugglers take Venezuelan migrants and Cubans from the coast of Colombia to Panama.",
        None,
        {("human-smuggling", ("CUB", "VEN"), "COL", ("PAN",))},
    ),
    (
        "a last stage that is a region holding the end says nothing of the way",
        "Afghan migrants headed for Germany cross Iran and Türkiye and then move on within the "
        "European Union.",
        None,
        {("human-smuggling", ("AFG",), "IRN|TUR", ("DEU",))},
    ),
    (
        "people found in a place 'including' some nationalities are those people",
        "Inspectors found forced labourers on farms in Italy, including Indian and Pakistani "
        "nationals.",
        None,
        {("human-trafficking", ("IND", "PAK"), "", ("ITA",))},
    ),
    (
        "two named sites, each located 'in' its place, are one list",
        "From markets such as Kantamanto in Ghana and Dantokpa in Benin, fake medicines are "
        "trucked north to Burkina Faso.",
        None,
        {("trade-in-counterfeit-goods", ("GHA", "BEN"), "", ("BFA",))},
    ),
    (
        "buyers 'across' a region are where the goods end",
        "Amphetamine made in Poland is posted to customers across Scandinavia.",
        None,
        {("synthetic-drug-trade", ("POL",), "", ("northern-europe",))},
    ),
    (
        "sand mined illegally is a resource crime",
        "River sand dredged illegally in Myanmar is trucked to Thailand.",
        None,
        {("non-renewable-resource-crimes", ("MMR",), "", ("THA",))},
    ),
    (
        "vehicles named before the goods give the goods their way ('and the cocaine is then')",
        "Cocaine reaches the region by air. Small planes from Colombia land on ranches in "
        "Honduras, and the cocaine is then trucked to Guatemala.",
        None,
        {("cocaine-trade", ("COL",), "HND", ("GTM",))},
    ),
    (
        "chemicals named after cannabis are not for cannabis",
        "Cannabis from Morocco lands in Spain. Precursors from China bound for laboratories in "
        "the Netherlands also pass through Spain.",
        None,
        {
            ("cannabis-trade", ("MAR",), "", ("ESP",)),
            ("drug-trade", ("CHN",), "ESP", ("NLD",)),
        },
    ),
    (
        "goods named 'unlike' the ones that move do not move",
        "Unlike heroin, which is flown in, cannabis reaches Sweden by road from Denmark.",
        None,
        {("cannabis-trade", ("DNK",), "", ("SWE",))},
    ),
    (
        "arriving in the transit country after naming the end does not come back",
        "Togo is a transit point for heroin moving from Pakistan to Europe, with consignments "
        "landing at the port of Lomé.",
        None,
        {("heroin-trade", ("PAK",), "TGO", ("europe",))},
    ),
    (
        "people leaving 'from the coast' of the report's country leave from it",
        "Migrants set off from the coast in fishing boats towards Mayotte.",
        "COM",
        {("human-smuggling", ("COM",), "", ("MYT",))},
    ),
    (
        "goods that traders 'export' through another country leave the report's country",
        "Most of the ivory is bought by dealers who export it through Kenya to China.",
        "TZA",
        {("fauna-crimes", ("TZA",), "KEN", ("CHN",))},
    ),
    (
        "a transit role carried past a colon does not make people moved within it pass through",
        "Laos serves as a source, transit and destination point for victims: Lao girls are "
        "forced into prostitution in Vientiane.",
        None,
        {
            ("human-trafficking", ("LAO",), "", ()),
            ("human-trafficking", (), "LAO", ()),
            ("human-trafficking", ("LAO",), "", ("LAO",)),
        },
    ),
    (
        "a second way 'or … from' with an end of its own keeps its own end",
        "Coltan mined in North Kivu is trucked to Uganda or flown from Goma to Kigali.",
        None,
        {
            ("non-renewable-resource-crimes", ("COD",), "", ("UGA",)),
            ("non-renewable-resource-crimes", ("COD",), "", ("RWA",)),
        },
    ),
    (
        "a far smaller namesake is not chosen for its country having been named",
        "Burkina Faso is a transit country. Migrants travel from Gao to Algeria.",
        None,
        {("human-smuggling", ("MLI",), "", ("DZA",))},
    ),
    (
        "places named together 'on the way to' are one stage when the goods go on",
        "Hashish crosses Mali on its way to Libya and Egypt, where some is sold and the rest "
        "shipped on to Türkiye.",
        None,
        {
            ("cannabis-trade", (), "MLI", ("LBY", "EGY")),
            ("cannabis-trade", (), "MLI|LBY/EGY", ("TUR",)),
        },
    ),
    (
        "people who 'board' boats in a place leave from it",
        "Haitian migrants board boats in Necoclí to cross to Panama.",
        None,
        {("human-smuggling", ("HTI",), "COL", ("PAN",))},
    ),
    (
        "street names of drugs: nyaope is heroin, pregabalin a synthetic drug",
        "Nyaope is smuggled from Mozambique into South Africa, and pregabalin comes from India.",
        None,
        {("heroin-trade", ("MOZ",), "", ("ZAF",)), ("synthetic-drug-trade", ("IND",), "", ())},
    ),
    (
        "goods that 'flood' a place end there",
        "Cheap methamphetamine from Myanmar has flooded Cambodia.",
        None,
        {("synthetic-drug-trade", ("MMR",), "", ("KHM",))},
    ),
    (
        "examples of goods come from where the goods they exemplify come from",
        "Wildlife products from Gabon, such as ivory and ebony, are flown to Viet Nam.",
        None,
        {("fauna-crimes", ("GAB",), "", ("VNM",)), ("flora-crimes", ("GAB",), "", ("VNM",))},
    ),
    (
        "money 'generated' in a place comes from it",
        "Profits generated in Spain are transferred to Morocco through money changers.",
        None,
        {("financial-crimes", ("ESP",), "", ("MAR",))},
    ),
    (
        "countries named apart say where in the market's region the goods end",
        "Most cocaine on the Asian market is shipped from Peru to Hong Kong and Thailand.",
        None,
        {("cocaine-trade", ("PER",), "", ("HKG", "THA"))},
    ),
    (
        "a place goods shift 'away from' is no start",
        "Cocaine shipped from Peru now lands in Spain, a shift away from Hamburg.",
        None,
        {("cocaine-trade", ("PER",), "", ("ESP",))},
    ),
    (
        "'entering from' a place after crossing another: the place entered from comes first",
        "Migrants from Cuba and Haiti cross Honduras on their way north, usually entering from "
        "Nicaragua.",
        None,
        {("human-smuggling", ("CUB", "HTI"), "NIC|HND", ())},
    ),
    (
        "'Most of it arrives in' the report's country: the goods of the sentence before go on",
        "Belize serves as a way station for cocaine out of Colombia. Most of it lands by boat "
        "on the coast and then travels by road into Mexico.",
        "BLZ",
        {("cocaine-trade", ("COL",), "BLZ", ()), ("cocaine-trade", ("COL",), "BLZ", ("MEX",))},
    ),
    (
        "a second start 'and to' goods diverted from another place is another origin",
        "Rifles seized in Chad have been traced to army depots in Sudan, and to shipments "
        "diverted from Cameroon.",
        None,
        {("arms-trafficking", ("SDN", "CMR"), "", ("TCD",))},
    ),
    (
        "people sent abroad to beg are trafficked",
        "Boys from rural Senegal are sent to Gambia to beg for their teachers.",
        None,
        {("human-trafficking", ("SEN",), "", ("GMB",))},
    ),
]
TITLES = {
    "people of two origins on two ways, in a report about smuggling": "The smuggling business",
    "a title that states a flow": "Heroin smuggled from Afghanistan into Tajikistan",
}


@pytest.mark.parametrize(("case", "body", "subject", "expected"), CASES, ids=[c[0] for c in CASES])
def test_construction(case: str, body: str, subject: str | None, expected: set[Chain]) -> None:
    assert read(body, subject, TITLES.get(case, "Assessment")) == expected


NO_FLOW = [
    (
        "a country that provides training",
        "Japan provides training in detecting methamphetamine to customs officers in Laos.",
    ),
    (
        "money and the crime that earned it, laundered where it was earned",
        "Turkish syndicates launder proceeds from heroin trafficking in Germany through "
        "car dealerships.",
    ),
    (
        "places of the goods paid in exchange",
        "Rhino horn is often exchanged for rifles, which are then sold in Sudan.",
    ),
    (
        "goods diverted away from a place",
        "Cocaine seizures in Peru rose as smugglers diverted loads away from Bolivian airstrips.",
    ),
    (
        "a trade route",
        "Thailand closed a border crossing, restricting an important trade route for Laos.",
    ),
    (
        "goods denied by 'no' and a load",
        "No large consignments of cocaine from Peru were intercepted in Chile last year.",
    ),
    (
        "licit trade",
        "Mombasa serves as the main hub for the import and export of goods bound for Kampala.",
    ),
    ("no indications", "There are no indications that opium moves from Laos to Vietnam."),
    ("a comparison", "Spain ranks second only to the United Kingdom in cocaine use."),
    ("a negation", "No evidence shows that heroin moves from Iran to Iraq."),
    ("a negated transit role", "Chile is not an important transit country for cocaine."),
    ("people defrauded where they live", "Call-centre gangs defraud elderly victims in Canada."),
    ("people who find refuge", "Rebels from Chad and arms dealers found refuge in Sudan."),
    (
        "a territorial dispute",
        "Drug smuggling is a concern along the border; a territorial dispute between Guyana and "
        "Venezuela over the Essequibo region continues.",
    ),
    (
        "where money-laundering networks are",
        "Drug trafficking is common; money laundering networks in Panama have ties to Colombia.",
    ),
    (
        "goods denied by 'no'",
        "No methamphetamine was found to have reached Japan from North Korea.",
    ),
    ("seizure figures", "Police seized 2 tons of cocaine in Peru in 2021."),
    ("a seizure by a country's police alone", "Italian police seized a tonne of heroin."),
    ("an extradition", "Guatemala extradited 20 traffickers to the United States."),
    ("a deportation", "Thousands of migrants were deported from Mexico to Honduras."),
    ("a repatriation", "The ministry repatriated 300 victims from Oman to Kenya."),
    ("refugees", "Refugees from Sudan fled to Chad after the fighting."),
    ("licit trade", "Imports of medical cannabis from Canada rose."),
    ("a cooperation agreement", "Brazil signed an agreement with Bolivia on drug trafficking."),
    ("an A-based group", "Nigeria-based networks recruit couriers."),
    ("the nationality of an arrested crew", "Police arrested three Albanian men in Ecuador."),
    ("a market that is not", "Crack does not have a foothold in the Polish drug market."),
    (
        "where a network is based",
        "The seized cocaine was linked to an Albanian-led gang operating out of Ecuador.",
    ),
]


@pytest.mark.parametrize(("case", "body"), NO_FLOW, ids=[c[0] for c in NO_FLOW])
def test_no_flow(case: str, body: str) -> None:
    assert read(body) == set()


def test_a_title_that_names_a_topic_states_no_flow() -> None:
    assert read("Prices rose.", title="EU heroin markets: Afghanistan and beyond") == set()


@pytest.mark.parametrize(
    ("body", "hedge"),
    [
        ("Heroin is reportedly smuggled from Iran to Armenia.", "reportedly"),
        ("Cocaine may be shipped from Peru to Chile.", "may"),
        ("In the 1980s hashish went from Lebanon to Egypt.", "historically"),
    ],
)
def test_hedged_statements_keep_their_cue(body: str, hedge: str) -> None:
    text = f"Assessment\n\n{body}\n"
    [flow] = extract_text(text, document="h.txt", subject=None).flows
    assert flow.hedge == hedge


def test_evidence_of_two_sentences_spans_both() -> None:
    text = (
        "Assessment\n\nCannabis bound for Norway has two principal sources. Moroccan "
        "hashish is carried by truck through Spain.\n"
    )
    [flow] = [f for f in extract_text(text, document="e.txt", subject=None).flows if f.transit]
    assert (flow.origin, flow.transit, flow.destination) == (["MAR"], ["ESP"], ["NOR"])
    assert flow.span is not None and text[flow.span[0] : flow.span[1]] == flow.evidence
    assert flow.evidence.startswith("Cannabis bound") and flow.evidence.endswith("Spain.")


def test_quality_on_the_prose_development_set() -> None:
    """The bar of issue 12 on the 36 documents written for the project (seen while the rules
    were written, so not a blind measure; the held-out reports are scored elsewhere)."""
    gold = sorted((DATA / "gold" / "prose").glob("*.json"))
    assert len(gold) == 36
    report = evaluate_files(gold)  # as `crimegraph eval` does: the subject from the text alone
    assert report.total.country_legs.f1 >= 0.85
    assert report.total.region_legs.f1 >= 0.75
    assert min(d.scores.country_legs.precision for d in report.documents) >= 0.5


def _runs(text: str, n: int = 6) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w'’-]+", text.lower())
    return {tuple(words[k : k + n]) for k in range(len(words) - n + 1)}


def test_no_test_sentence_copies_a_development_document() -> None:
    """The constructions are tested on sentences of our own: a rule that only fits a sentence of
    the development set would pass here and fail on held-out reports."""
    dev: set[tuple[str, ...]] = set()
    for path in (DATA / "documents" / "prose").glob("*.txt"):
        dev |= _runs(path.read_text(encoding="utf-8"))
    ours = [body for _, body, _, _ in CASES] + [body for _, body in NO_FLOW]
    copied = [body for body in ours if _runs(body) & dev]
    assert copied == []
