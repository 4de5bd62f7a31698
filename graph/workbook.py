"""Read the Organized Crime Index's score workbook: every country's scores, per edition.

The Index publishes one workbook (``global_oc_index.xlsx``) with a sheet per edition
(``2021_dataset``, ``2023_dataset``); its CSV exports hold one sheet each. A sheet has a row per
country, named as GI-TOC spells it ("Congo, Dem, Rep,", "Korea, DPR", "eSwatini"), and a
column per indicator, headed with the indicator's label ("Heroin trade", "Criminality avg,").
Names go through the gazetteer and labels through the vocabulary, so the scores land on the
same country and indicator IRIs as the profiles' (:func:`add_sheets`).

>>> [sheet] = read_scores(BUNDLED_DIR / "global_oc_index__2021_dataset.csv")
>>> sheet.edition, len(sheet.countries)
(2021, 193)
>>> kaz = sheet.country("KAZ")
>>> kaz.name, kaz.scores["heroin-trade"], kaz.scores["criminality"]
('Kazakhstan', 6.5, 4.26)
"""

from __future__ import annotations

import csv
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import rdf
from graph.errors import CrimegraphError
from graph.fileio import read_document
from graph.rdf import TripleSink

#: Where the repository keeps its copy of the workbook and its CSV exports.
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "reference" / "ocindex"
BUNDLED_WORKBOOK = BUNDLED_DIR / "global_oc_index.xlsx"

#: The columns of a sheet that name the country and its groupings rather than a score.
KEY_COLUMNS = ("Continent", "Region", "Country")

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
#: What GI-TOC appends to an average's label: "Criminality avg," (commas stand for dots).
_AVERAGE = re.compile(r"[\s,.]*\bavg\b[\s,.]*$", re.IGNORECASE)


@dataclass(frozen=True)
class CountryScores:
    """One row of a sheet: a country (ISO3 and the name as the sheet spells it) and its scores."""

    iso3: str
    name: str
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class ScoreSheet:
    """One edition's scores: the document they come from, the edition and a row per country."""

    document: str
    edition: int
    countries: list[CountryScores] = field(default_factory=list)

    def country(self, iso3: str) -> CountryScores:
        """The row of a country by ISO3 code; raises CrimegraphError when the sheet lacks it."""
        for row in self.countries:
            if row.iso3 == iso3:
                return row
        raise CrimegraphError(f"{self.document}: no scores for {iso3}")

    def score_count(self) -> int:
        """How many scores the sheet holds."""
        return sum(len(row.scores) for row in self.countries)


def indicator_of(header: str) -> str | None:
    """The indicator slug a column header names, None for a key column (country, region).

    >>> [indicator_of(h) for h in ("Criminality avg,", "Heroin trade", "Country")]
    ['criminality', 'heroin-trade', None]
    """
    from graph.vocab import by_label

    label = _AVERAGE.sub("", header.strip()).strip(" ,")
    if label in KEY_COLUMNS:
        return None
    found = by_label(label)
    if found is None:
        raise CrimegraphError(f"column {header!r} names no indicator of the Index")
    return found.slug


def edition_of(name: str) -> int:
    """The edition year a sheet or file name carries (``2023_dataset``)."""
    years = _YEAR.findall(name)
    if not years:
        raise CrimegraphError(f"{name}: cannot tell the edition (no year in the name)")
    return int(years[-1])


def _number(value: Any, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CrimegraphError(f"{where}: not a score: {value!r}") from None
    # The workbook stores binary floats (8.1300000000000008); the Index prints two decimals.
    score = round(number, 2)
    if not 1.0 <= score <= 10.0:
        raise CrimegraphError(f"{where}: score {score} is outside 1 to 10")
    return score


def read_sheet(rows: Iterable[Sequence[Any]], document: str, edition: int) -> ScoreSheet:
    """A sheet from its rows (the first one the header): names resolved, labels mapped."""
    from graph.places import load_gazetteer
    from graph.vocab import indicator

    it = iter(rows)
    header = [str(h or "").strip() for h in next(it, [])]
    if "Country" not in header:
        raise CrimegraphError(f"{document}: no 'Country' column in the header")
    name_at = header.index("Country")
    try:
        columns = [(n, slug) for n, h in enumerate(header) if h and (slug := indicator_of(h))]
    except CrimegraphError as exc:
        raise CrimegraphError(f"{document}: {exc}") from exc
    for _, slug in columns:
        if edition not in indicator(slug).editions:
            raise CrimegraphError(f"{document}: {slug} is not scored in the {edition} edition")
    gazetteer = load_gazetteer()
    sheet = ScoreSheet(document, edition)
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for line, row in enumerate(it, start=2):
        name = str(row[name_at] or "").strip() if name_at < len(row) else ""
        if not name:
            continue
        code = gazetteer.lookup(name)
        if code is None or not gazetteer.is_country(code):
            unknown.append(name)
            continue
        if code in seen:
            raise CrimegraphError(f"{document}: {name!r} and {seen[code]!r} are both {code}")
        seen[code] = name
        scores: dict[str, float] = {}
        for n, slug in columns:
            value = _number(row[n] if n < len(row) else None, f"{document}: row {line}")
            if value is not None:
                scores[slug] = value
        sheet.countries.append(CountryScores(code, name, scores))
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:5])
        raise CrimegraphError(f"{document}: {len(unknown)} unknown country name(s): {shown}")
    return sheet


def _read_csv(path: Path, edition: int | None) -> list[ScoreSheet]:
    rows = list(csv.reader(read_document(path).splitlines()))
    return [read_sheet(rows, path.name, edition or edition_of(path.name))]


def _read_xlsx(path: Path) -> list[ScoreSheet]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise CrimegraphError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    try:
        sheets = []
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            if not rows or "Country" not in [str(c or "").strip() for c in rows[0]]:
                continue  # a cover or notes sheet
            name = f"{path.name}#{sheet.title}"
            sheets.append(read_sheet(rows, name, edition_of(sheet.title)))
    finally:
        book.close()
    if not sheets:
        raise CrimegraphError(f"{path}: no sheet with a 'Country' column")
    return sheets


def read_scores(path: str | os.PathLike[str], *, edition: int | None = None) -> list[ScoreSheet]:
    """Every edition's sheet of an ``.xlsx`` workbook, or the one sheet of a ``.csv`` export.

    A CSV's edition is the year in its file name unless ``edition`` is given.
    """
    p = Path(path)
    if not p.is_file():
        raise CrimegraphError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(p)
    if suffix == ".csv":
        return _read_csv(p, edition)
    raise CrimegraphError(f"{p}: not a workbook (expected .xlsx or .csv)")


def bundled_scores() -> list[Path]:
    """The score files bundled with the repository: the workbook, else its CSV exports."""
    if BUNDLED_WORKBOOK.is_file():
        return [BUNDLED_WORKBOOK]
    return sorted(BUNDLED_DIR.glob("*.csv"))


def add_sheets(g: TripleSink, sheets: Sequence[ScoreSheet]) -> int:
    """Add each sheet as a ``dataset`` document and its scores as observations; return the count.

    ``g`` is a graph or any triple sink (:class:`graph.rdf.TripleSink`).
    """
    from graph.documents import OC_INDEX_PUBLISHER

    added = 0
    for sheet in sheets:
        doc = rdf.add_dataset(
            g,
            sheet.document,
            title=f"Global Organized Crime Index {sheet.edition}: scores of every country",
            edition=sheet.edition,
            publisher=OC_INDEX_PUBLISHER,
        )
        for row in sheet.countries:
            rdf.add_scores(g, row.iso3, sheet.edition, row.scores, doc)
            added += len(row.scores)
    return added
