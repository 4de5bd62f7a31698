"""Shared fixtures: paths of the bundled data, and a graph built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "documents" / "kazakhstan-ocindex-2021.txt"
SEED_2023 = DATA / "documents" / "kazakhstan-ocindex-2023-layout.txt"
SEED_GOLD = DATA / "gold" / "kazakhstan-ocindex-2021.json"
FACTBOOK = DATA / "corpus" / "cia_factbook"


@pytest.fixture(scope="session")
def seed_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed profile built with its hand-annotated flows, as ``crimegraph build`` writes it."""
    from graph.cli import main

    out = tmp_path_factory.mktemp("seed-build")
    status = main(["build", str(SEED), "--flows", str(SEED_GOLD), "-o", str(out)])
    assert status == 0
    return out
