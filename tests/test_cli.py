"""The command line, used as a user would: outputs on success, one-line errors on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.build import OUTPUT_FILES
from graph.cli import main

from .conftest import SEED, SEED_2023, SEED_GOLD


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_profile_prints_the_parsed_profile_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "profile", str(SEED_2023), "--format", "json")
    record = json.loads(out)
    assert status == 0
    assert (record["iso3"], record["edition"]) == ("KAZ", 2023)
    assert record["scores"]["heroin-trade"] == 6.5
    assert record["changes"]["financial-crimes"] is None


def test_profile_edition_can_be_overridden(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "profile", str(SEED), "--edition", "2021")
    assert status == 0 and json.loads(out)["edition"] == 2021


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    empty = tmp / "empty.txt"
    empty.write_text("")
    binary = tmp / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes("Côte d'Ivoire est un pays de transit".encode("latin-1"))
    prose = tmp / "prose.txt"
    prose.write_text("Heroin from Afghanistan transits Kazakhstan on its way to Russia.\n")
    return {
        "missing": tmp / "nope.txt",
        "empty": empty,
        "binary": binary,
        "not utf-8": latin1,
        "not a profile": prose,
        "a directory": tmp,
    }


@pytest.mark.parametrize(
    "case", ["missing", "empty", "binary", "not utf-8", "not a profile", "a directory"]
)
def test_profile_rejects_bad_input_with_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _bad_inputs(tmp_path)[case]
    status, out, err = run(capsys, "profile", str(path))
    assert status != 0
    assert out == ""
    assert err.startswith("crimegraph: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_build_writes_every_output_format(seed_build_dir: Path) -> None:
    written = sorted(p.name for p in seed_build_dir.iterdir())
    assert written == sorted([*OUTPUT_FILES, "build.json", "store"])
    ttl = Graph().parse(seed_build_dir / "graph.ttl")
    jsonld = Graph().parse(seed_build_dir / "graph.jsonld", format="json-ld")
    assert len(ttl) == len(jsonld) > 1000
    network = nx.read_graphml(seed_build_dir / "graph.graphml")
    assert network.has_edge("AFG", "KAZ") and network.has_edge("KAZ", "RUS")
    gexf = nx.read_gexf(seed_build_dir / "graph.gexf")
    assert gexf.number_of_edges() == network.number_of_edges()


def test_build_prints_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "build", str(SEED), "--flows", str(SEED_GOLD), "-o", str(tmp_path))
    assert status == 0
    gold_flows = len(json.loads(SEED_GOLD.read_text())["flows"])
    assert f"{gold_flows} flows" in out
    for word in ("countries", "legs", "observations", "triples"):
        assert word in out


def test_built_seed_graph_validates(
    seed_build_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "validate", str(seed_build_dir / "graph.ttl"))
    assert status == 0, out
    assert "conforms" in out


def test_validate_reports_a_broken_flow(
    seed_build_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.ttl"
    text = (seed_build_dir / "graph.ttl").read_text()
    broken.write_text(
        text
        + "\n<https://w3id.org/crimegraph/id/flow/broken> a "
        + "<https://w3id.org/crimegraph/ontology#Flow> .\n"
    )
    status, out, _ = run(capsys, "validate", str(broken))
    assert status == 1
    assert "flow/broken" in out


def test_build_into_an_unwritable_directory_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    status, _, err = run(capsys, "build", str(SEED), "-o", str(blocker / "out"))
    assert status == 1
    assert err.count("\n") == 1 and "not writable" in err


def test_build_of_unreadable_documents_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    bad = _bad_inputs(tmp_path)
    status, _, err = run(capsys, "build", str(bad["empty"]), str(bad["binary"]), "-o", str(out))
    assert status == 1
    assert "empty" in err and "binary" in err
    assert not out.exists() or list(out.iterdir()) == []


def test_malformed_graph_file_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<")
    status, _, err = run(capsys, "validate", str(bad))
    assert status == 1 and err.count("\n") == 1 and "not a valid turtle graph" in err


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).parent / "crimegraph"
    done = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for name in ("profile", "extract", "build", "validate", "eval"):
        assert name in done.stdout
