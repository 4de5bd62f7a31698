"""The Index's score workbook: every country of both editions, as in the CSV exports, on the
same country IRIs as the profiles; and ``crimegraph import-scores``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from graph import rdf
from graph.cli import main
from graph.errors import CrimegraphError
from graph.namespaces import CG, CGI
from graph.workbook import (
    BUNDLED_DIR,
    BUNDLED_WORKBOOK,
    ScoreSheet,
    add_sheets,
    edition_of,
    indicator_of,
    read_scores,
    read_sheet,
)

CSV = {2021: BUNDLED_DIR / "global_oc_index__2021_dataset.csv",
       2023: BUNDLED_DIR / "global_oc_index__2023_dataset.csv"}  # fmt: skip


@pytest.fixture(scope="module")
def workbook() -> dict[int, ScoreSheet]:
    return {sheet.edition: sheet for sheet in read_scores(BUNDLED_WORKBOOK)}


def test_the_workbook_holds_all_193_countries_of_both_editions(
    workbook: dict[int, ScoreSheet],
) -> None:
    assert sorted(workbook) == [2021, 2023]
    for sheet in workbook.values():
        assert len({row.iso3 for row in sheet.countries}) == 193
    assert workbook[2023].document == "global_oc_index.xlsx#2023_dataset"
    assert {len(row.scores) for row in workbook[2021].countries} == {30}
    assert {len(row.scores) for row in workbook[2023].countries} == {36}


@pytest.mark.parametrize("edition", [2021, 2023])
def test_workbook_scores_equal_the_csv_exports(
    workbook: dict[int, ScoreSheet], edition: int
) -> None:
    [exported] = read_scores(CSV[edition])
    assert exported.edition == edition
    assert workbook[edition].countries == exported.countries


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Congo, Dem, Rep,", "COD"),
        ("Congo, Rep,", "COG"),
        ("Korea, DPR", "PRK"),
        ("Korea, Rep,", "KOR"),
        ("eSwatini", "SWZ"),
        ("St, Lucia", "LCA"),
        ("Côte d'Ivoire", "CIV"),
        ("Kazakhstan", "KAZ"),
    ],
)
def test_gi_toc_country_names_resolve(
    workbook: dict[int, ScoreSheet], name: str, iso3: str
) -> None:
    names = {row.name: row.iso3 for sheet in workbook.values() for row in sheet.countries}
    assert names[name] == iso3


@pytest.mark.parametrize(
    ("header", "slug"),
    [
        ("Criminality avg,", "criminality"),
        ("Criminality", "criminality"),
        ("Criminal markets avg,", "criminal-markets"),
        ("Heroin trade", "heroin-trade"),
        ("Extortion and protection racketeering", "extortion-and-protection-racketeering"),
        ("Resilience avg,", "resilience"),
        ("Country", None),
        ("Continent", None),
    ],
)
def test_column_headers_name_indicators(header: str, slug: str | None) -> None:
    assert indicator_of(header) == slug


HEADER = ["Continent", "Region", "Country", "Heroin trade"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([HEADER, ["Asia", "x", "Atlantis", 5]], "unknown country name(s): 'Atlantis'"),
        ([HEADER, ["Asia", "x", "Kazakhstan", "high"]], "row 2: not a score: 'high'"),
        ([HEADER, ["Asia", "x", "Kazakhstan", 11]], "outside 1 to 10"),
        ([HEADER, ["Asia", "x", "Kazakhstan", 5], ["Asia", "x", "KAZ", 5]], "are both KAZ"),
        ([["Continent", "Nation"]], "no 'Country' column"),
        ([["Country", "Heroin price"]], "names no indicator"),
        ([["Country", "Cyber-dependent crimes"]], "not scored in the 2021 edition"),
    ],
)
def test_a_bad_sheet_is_refused_with_one_line(rows: list[list[object]], message: str) -> None:
    with pytest.raises(CrimegraphError, match=r"^sheet\.csv: ") as err:
        read_sheet(rows, "sheet.csv", 2021)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_an_empty_cell_is_a_missing_score() -> None:
    sheet = read_sheet([HEADER, ["Asia", "x", "Kazakhstan", ""]], "s.csv", 2021)
    assert sheet.country("KAZ").scores == {}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a zip", "scores.xlsx", "not a readable .xlsx workbook"),
        (b"a,b\n", "scores.txt", "not a workbook"),
        (b"Country,Heroin trade\nKazakhstan,5\n", "scores.csv", "cannot tell the edition"),
    ],
)
def test_unreadable_workbooks_are_one_line_errors(
    tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CrimegraphError, match=message):
        read_scores(path)


def test_a_csv_edition_can_be_given() -> None:
    assert edition_of("global_oc_index__2023_dataset.csv") == 2023
    [sheet] = read_scores(CSV[2021], edition=2021)
    assert sheet.edition == 2021


def test_scores_land_on_the_country_iris_with_their_sheet_as_source(
    workbook: dict[int, ScoreSheet],
) -> None:
    g = Graph()
    assert add_sheets(g, list(workbook.values())) == 193 * (30 + 36)
    observation = CGI["observation/COD-2023-heroin-trade"]
    assert g.value(observation, CG.country) == rdf.country_iri("COD")
    sheet = g.value(observation, PROV.wasDerivedFrom)
    assert str(g.value(sheet, CG.documentKind)) == "dataset"
    assert g.value(sheet, CG.edition).toPython() == 2023  # type: ignore[union-attr]


# --- the command ------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_import_scores_writes_a_graph_of_every_country(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "import-scores", str(CSV[2021]), "-o", str(tmp_path))
    assert status == 0
    assert "imported 5790 scores of 193 countries (editions 2021)" in out
    g = Graph().parse(tmp_path / "graph.nt")
    assert len(set(g.subjects(RDF.type, CG.ScoreObservation))) == 5790


def test_import_scores_into_a_build_joins_the_profiles_countries(
    seed_build_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_dir = tmp_path / "build"
    shutil.copytree(seed_build_dir, build_dir)
    before = Graph().parse(build_dir / "graph.nt")
    status, out, _ = run(capsys, "import-scores", str(CSV[2021]), "--into", str(build_dir))
    assert status == 0 and "graph.ttl" in out
    after = Graph().parse(build_dir / "graph.ttl")
    observation = CGI["observation/KAZ-2021-heroin-trade"]
    sources = {
        str(after.value(d, CG.fileName)) for d in after.objects(observation, PROV.wasDerivedFrom)
    }
    assert sources == {"kazakhstan-ocindex-2021.txt", "global_oc_index__2021_dataset.csv"}
    assert len(after) > len(before) and len(set(after.objects(observation, CG.value))) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import-scores", "nope.xlsx", "-o", "out"], "nope.xlsx: no such file"),
        (["import-scores", str(CSV[2021])], "give either -o DIR"),
    ],
)
def test_import_scores_fails_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, _, err = run(capsys, *argv)
    assert status == 1 and message in err and err.count("\n") == 1
