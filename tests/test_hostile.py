"""Hostile and careless input to ``build`` and ``query``, one table: each case ends as issue 11
asks — the right result, or one line on stderr and a non-zero exit, never an internal error,
never a half-written or mixed output."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from graph.builddir import build_lock
from graph.cli import main

TEXT = "Kazakhstan is a waypoint for heroin from Afghanistan bound for Russia.\n"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to set it up (argv from a scratch folder), what must happen."""

    name: str
    setup: Callable[[Path], list[str]]
    status: int
    #: What stderr says (one line unless ``lines`` says otherwise); "" for nothing.
    says: str = ""
    #: A check of the outcome, given the scratch folder and stdout.
    check: Callable[[Path, str], None] | None = None
    lines: int = 1
    patches: dict[str, object] = field(default_factory=dict)


def _docs(tmp: Path, names: dict[str, str]) -> Path:
    root = tmp / "docs"
    for name, text in names.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _build(tmp: Path, *extra: str) -> list[str]:
    return ["build", *extra, "--cache", str(tmp / "cache"), "-o", str(tmp / "out")]


def _flows(tmp: Path, content: str) -> list[str]:
    doc = _docs(tmp, {"report.txt": TEXT}) / "report.txt"
    flows = tmp / "flows.json"
    flows.write_text(content, encoding="utf-8")
    return _build(tmp, str(doc), "--flows", str(flows))


def _documents_built(tmp: Path) -> int:
    return int(json.loads((tmp / "out" / "build.json").read_text())["counts"]["documents"])


def _two_documents(tmp: Path, _: str) -> None:
    assert _documents_built(tmp) == 2
    names = {str(o) for o in Graph().parse(tmp / "out" / "graph.nt").objects(None, None)}
    assert {"2015/zi_zimbabwe.txt", "2021/zi_zimbabwe.txt"} <= names


def _stale_cache(tmp: Path) -> list[str]:
    docs = _docs(tmp, {"report.txt": TEXT})
    assert main(_build(tmp, str(docs))) == 0
    entries = list((tmp / "cache").rglob("*.json"))
    assert entries
    for n, entry in enumerate(entries):
        entry.write_text(["[]", "null", '{"flows": ["x"]}', '{"subject": ["KAZ"]}'][n % 4])
    return _build(tmp, str(docs))


def _previous_build(tmp: Path) -> list[str]:
    docs = _docs(tmp, {"report.txt": TEXT})
    assert main(_build(tmp, str(docs))) == 0
    (tmp / "out" / "marker").write_text("old build")
    return _build(tmp, str(docs))


def _old_build_intact(tmp: Path, _: str) -> None:
    assert (tmp / "out" / "marker").read_text() == "old build"
    assert _documents_built(tmp) == 1
    assert not list(tmp.glob(".out.build-*"))


def _full_disk(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _query(tmp: Path, *argv: str) -> list[str]:
    docs = _docs(tmp, {"report.txt": TEXT})
    assert main(_build(tmp, str(docs))) == 0
    return ["query", str(tmp / "out"), *argv]


def _damaged_store(tmp: Path) -> list[str]:
    argv = _query(tmp, "ASK { ?s a cg:Document }")
    (tmp / "out" / "build.json").write_text("{}")
    return argv


CASES = [
    Case(
        "same-named files in sibling folders are two documents",
        lambda t: _build(
            t,
            str(_docs(t, {"2015/zi_zimbabwe.txt": TEXT, "2021/zi_zimbabwe.txt": TEXT + "More.\n"})),
        ),
        0,
        check=_two_documents,
    ),
    Case(
        "same-named files given one by one are two documents",
        lambda t: _build(
            t,
            str(_docs(t, {"a/r.txt": TEXT, "b/r.txt": TEXT + "x\n"}) / "a/r.txt"),
            str(t / "docs/b/r.txt"),
        ),
        0,
        check=lambda t, _: (_documents_built(t) == 2) or pytest.fail("documents merged"),
    ),
    Case(
        "a flow file holding []",
        lambda t: _flows(t, "[]"),
        1,
        "not a flow file (not a JSON object)",
    ),
    Case("a flow file holding null", lambda t: _flows(t, "null"), 1, "not a JSON object"),
    Case(
        "a flow that is a string",
        lambda t: _flows(t, '{"flows": ["x"]}'),
        1,
        "flows[0] is not an object",
    ),
    Case(
        "a subject that is a list",
        lambda t: _flows(t, '{"subject": ["KAZ"], "flows": []}'),
        1,
        "'subject' is not a string",
    ),
    Case(
        "a flow whose places are not strings",
        lambda t: _flows(t, '{"flows": [{"market": "heroin-trade", "origin": [1]}]}'),
        1,
        "origin is not a list of strings",
    ),
    Case(
        "cache entries of the wrong shape are misses",
        _stale_cache,
        0,
        check=lambda t, out: ("from 1 documents, 0 from the cache" in out) or pytest.fail(out),
    ),
    Case(
        "a UTF-16 document is called UTF-16, not binary",
        lambda t: ["extract", str(_utf16(t))],
        1,
        "UTF-16 text",
    ),
    Case(
        "a full disk while writing leaves the old build",
        _previous_build,
        1,
        "No space left on device",
        check=_old_build_intact,
        patches={"graph.build.write_files": _full_disk},
    ),
    Case(
        "a second build at the same time is refused",
        _previous_build,
        1,
        "another crimegraph build",
        check=_old_build_intact,
        patches={"lock": True},
    ),
    Case(
        "an output path that is a file",
        lambda t: _into_file(t),
        1,
        "not a directory",
    ),
    Case(
        "SERVICE on the store",
        lambda t: _query(t, "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"),
        1,
        "SERVICE",
    ),
    Case("an update on the store", lambda t: _query(t, "CLEAR ALL"), 1, "updates are refused"),
    Case(
        "an empty query file",
        lambda t: _query(t, f"@{_write(t / 'q.rq', ' ')}"),
        1,
        "empty document",
    ),
    Case(
        "a 2 MB query file",
        lambda t: _query(
            t, f"@{_write(t / 'q.rq', 'SELECT * { VALUES ?x { ' + '1 ' * 1_000_000 + '} }')}"
        ),
        1,
        "limit",
    ),
    Case(
        "a damaged store is answered from graph.nt, with a note",
        _damaged_store,
        0,
        "reading graph.nt instead",
        check=lambda t, out: (out.strip() == "true") or pytest.fail(out),
    ),
    Case(
        "a UTF-16 graph file is called UTF-16",
        lambda t: ["query", str(_utf16_graph(t)), "ASK {}"],
        1,
        "UTF-16 text",
    ),
    Case(
        "a negative time limit",
        lambda t: _query(t, "ASK {}", "--time-limit", "-1"),
        1,
        "--time-limit",
    ),
]


def _into_file(tmp: Path) -> list[str]:
    (tmp / "file").write_text("x")
    return ["build", str(_docs(tmp, {"r.txt": TEXT})), "--no-cache", "-o", str(tmp / "file")]


def _utf16_graph(tmp: Path) -> Path:
    path = tmp / "graph.ttl"
    path.write_bytes("<urn:a> <urn:b> <urn:c> .\n".encode("utf-16"))
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _utf16(tmp: Path) -> Path:
    path = tmp / "utf16.txt"
    path.write_bytes(TEXT.encode("utf-16"))
    return path


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = case.setup(tmp_path)
    capsys.readouterr()
    for target, value in case.patches.items():
        if target != "lock":
            monkeypatch.setattr(target, value)
    if "lock" in case.patches:
        with build_lock(tmp_path / "out"):
            status = main(argv)
    else:
        status = main(argv)
    out, err = capsys.readouterr()
    assert status == case.status, err
    assert "internal error" not in err and "Traceback" not in err
    if case.says:
        assert case.says in err
        assert err.count("\n") == case.lines, err
    if case.status and not case.says:
        pytest.fail("a failing case must say what it expects on stderr")
    if case.check is not None:
        case.check(tmp_path, out)


# --- exports with generated text ---------------------------------------------------------------

_ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60
).filter(lambda s: s.strip() != "")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_ANY_TEXT)
def test_every_export_parses_in_its_reference_reader(tmp_path: Path, text: str) -> None:
    from graph.build import write_outputs
    from graph.rdf import build_graph
    from graph.records import Document, DocumentFlows, Flow

    evidence = f"heroin {text} from Afghanistan\x0c to\x01 Russia\x0b\x00"
    flow = Flow("heroin-trade", "heroin", ["AFG"], [], ["RUS"], evidence=evidence)
    g = build_graph(
        [Document(f"d{text[:3]}.txt", "report", evidence)],
        [],
        [DocumentFlows(f"d{text[:3]}.txt", None, [flow])],
    )
    out = tmp_path / "out"
    write_outputs(g, out)
    for name, fmt in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        parsed = Graph().parse(out / name, format=fmt)
        assert Literal(evidence) in set(parsed.objects()), name
    for network in (nx.read_graphml(out / "graph.graphml"), nx.read_gexf(out / "graph.gexf")):
        assert network.has_edge("AFG", "RUS")
