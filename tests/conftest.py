"""Shared fixtures: paths of the bundled data, and a graph built once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


GOLD_FLOW_FILES = sorted(p for p in (DATA / "gold").glob("*.json") if ".profile." not in p.name)


def gold_document(gold_file: Path) -> Path:
    """The bundled document a gold flow file annotates."""
    import json

    name = json.loads(gold_file.read_text())["document"]
    for root in (DATA / "documents", DATA / "corpus"):
        if (root / name).is_file():
            return root / name
    raise FileNotFoundError(name)


@pytest.fixture(scope="session")
def gold_build(tmp_path_factory: pytest.TempPathFactory) -> object:
    """Every annotated document (and the 2023 profile) built with its hand-annotated flows.

    It does not depend on the extractor, so tests of queries and views built on it are exact.
    """
    from graph.build import build

    docs = [gold_document(g) for g in GOLD_FLOW_FILES] + [SEED_2023]
    return build(docs, flow_files=GOLD_FLOW_FILES)


def _canned_cases() -> list[tuple[str, dict[str, str]]]:
    from graph.query import canned_queries

    return [(q.name, {}) for q in canned_queries()] + [
        ("flows-into", {"country": "Russia"}),
        ("flows-out-of", {"country": "AFG", "market": "heroin"}),
        ("flows-through", {"country": "Kyrgyzstan"}),
        ("score-gaps", {"threshold": "7", "edition": "2023"}),
        ("actors", {"country": "CHN"}),
        ("documents", {"after": "cia_factbook/milkmp_archive_2008/et_ethiopia.txt"}),
    ]


#: Canned queries with parameters that pick something out of the gold graph: what a local graph,
#: the SPARQL endpoint and a remote triple store must answer alike.
CANNED_CASES = _canned_cases()

#: Pages of ``documents`` after a name, on the gold graph: (market, after, the number of
#: documents listed, the first one). An existing file name (the last of a page), a name between
#: two, one that no document of the market has, before the first, after the last, and empty.
DOCUMENTS_AFTER = [
    ("*", "cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt", 7,
     "cia_factbook/factbook_json_2022-11-10/mv_maldives.txt"),
    ("*", "cia_factbook/m", 5, "cia_factbook/milkmp_archive_2000/nu_nicaragua.txt"),
    ("heroin", "cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt", 4,
     "cia_factbook/factbook_json_2022-11-10/si_slovenia.txt"),
    ("heroin", "cia_factbook/milkmp_archive_2000/nu_nicaragua.txt", 3,
     "cia_factbook/milkmp_archive_2008/et_ethiopia.txt"),
    ("heroin", "a", 6, "cia_factbook/factbook_json_2015-10-26/pk_pakistan.txt"),
    ("*", "kazakhstan-ocindex-2021.txt", 0, None),
    ("*", "z", 0, None),
    ("*", "", 10, "cia_factbook/factbook_json_2015-10-26/pk_pakistan.txt"),
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium for a module's browser tests; skipped where none is installed, except
    in CI, which must run them. One per module, not per session: Playwright's synchronous API
    keeps an event loop running in this thread while the browser is open, and later tests call
    ``asyncio.run``."""
    from graph.headless import chromium, chromium_path

    if chromium_path() is None:
        reason = "Chromium is not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the browser tests")
        pytest.skip(reason)
    with chromium() as b:
        yield b
