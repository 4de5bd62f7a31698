"""The build directory as a whole: staged and swapped in, locked, checked when opened, read by
several processes at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from graph.build import write_outputs
from graph.builddir import ReadLock, build_lock, staged_build
from graph.diskstore import STORE_VERSION, open_graph
from graph.errors import CrimegraphError
from graph.store import new_graph
from graph.storequery import run_store_query

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CLI = "from graph.cli import main; raise SystemExit(main())"


def _graph(n: int) -> object:
    g = new_graph("memory")
    for i in range(n):
        g.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(f"text {i}")))
    return g


def _count(path: Path, notes: list[str] | None = None) -> int:
    graph = open_graph(path, warn=(notes.append if notes is not None else print))
    try:
        return int(run_store_query(graph, COUNT).rows[0]["n"])
    finally:
        graph.close()


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    target = tmp_path / "out"
    write_outputs(_graph(30), target)
    return target


def test_a_build_writes_its_store_and_record(out: Path) -> None:
    record = json.loads((out / "build.json").read_text())
    assert record["version"] == STORE_VERSION and record["triples"] == 30
    graph = open_graph(out)
    assert graph.persistent
    graph.close()
    assert _count(out) == 30


def _break_store(out: Path) -> None:
    sst = max((out / "store").glob("*.sst"), key=lambda p: p.stat().st_size)
    with sst.open("r+b") as fh:
        fh.truncate(sst.stat().st_size // 2)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda out: __import__("shutil").rmtree(out / "store"), "store folder is missing"),
        (_break_store, "store is damaged"),
        (lambda out: (out / "build.json").unlink(), "no build.json"),
        (
            lambda out: (out / "build.json").write_text(
                json.dumps({**json.loads((out / "build.json").read_text()), "version": 99})
            ),
            "format version 99",
        ),
        (lambda out: (out / "build.json").write_text("[]"), "not a crimegraph build record"),
    ],
)
def test_an_unusable_store_is_replaced_by_graph_nt_with_one_note(
    out: Path, damage: object, said: str
) -> None:
    damage(out)  # type: ignore[operator]
    notes: list[str] = []
    assert _count(out, notes) == 30
    assert len(notes) == 1 and said in notes[0] and "graph.nt" in notes[0]


def test_a_damaged_store_and_a_truncated_graph_are_refused_in_one_line(out: Path) -> None:
    _break_store(out)
    with (out / "graph.nt").open("r+b") as fh:
        fh.truncate(100)
    with pytest.raises(CrimegraphError, match=r"graph\.nt has 100 bytes") as caught:
        open_graph(out)
    assert "\n" not in str(caught.value)


def test_an_empty_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(CrimegraphError, match=r"no store, graph\.nt"):
        open_graph(tmp_path)


def test_a_rebuild_replaces_the_whole_folder_and_keeps_the_users_files(out: Path) -> None:
    (out / "notes.txt").write_text("mine")
    (out / "graph.gexf").write_text("stale")
    write_outputs(_graph(5), out)
    assert _count(out) == 5
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "graph.gexf").read_text() != "stale"
    assert not list(out.parent.glob(".out.build-*")) and not list(out.parent.glob(".out.old-*"))


def test_a_second_build_at_the_same_time_is_refused(out: Path) -> None:
    with build_lock(out), pytest.raises(CrimegraphError, match="another crimegraph build"):
        write_outputs(_graph(5), out)
    assert _count(out) == 30


def test_a_build_waits_for_readers_then_gives_up_leaving_the_old_build(out: Path) -> None:
    reader = ReadLock(out).acquire()
    started = time.monotonic()
    try:
        with pytest.raises(CrimegraphError, match="still open in another crimegraph process"):
            write_outputs(_graph(5), out, wait=0.5)
    finally:
        reader.release()
    assert time.monotonic() - started >= 0.5
    assert _count(out) == 30
    assert not list(out.parent.glob(".out.build-*"))


def _python(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_read_one_store_at_once(out: Path) -> None:
    holder = _python(
        f"""
        import sys
        from graph.diskstore import open_graph
        from graph.storequery import run_store_query
        g = open_graph({str(out)!r})
        print(run_store_query(g, {COUNT!r}).rows[0]["n"], flush=True)
        sys.stdin.readline()
        print(run_store_query(g, {COUNT!r}).rows[0]["n"], flush=True)
        """
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "30"
        assert _count(out) == 30  # this process, while the other holds the store open
        other = subprocess.run(
            [sys.executable, "-c", CLI, "query", str(out), COUNT, "--format", "csv"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert other.returncode == 0 and other.stdout.split() == ["n", "30"]
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "30"
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_build_leaves_the_old_one_and_its_leftovers_are_cleaned(out: Path) -> None:
    killed = _python(
        f"""
        import os, signal
        from pathlib import Path
        from graph.builddir import staged_build
        with staged_build(Path({str(out)!r})) as stage:
            (stage / "graph.nt").write_text("half")
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    killed.wait(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert list(out.parent.glob(".out.build-*"))  # what the killed build left
    assert _count(out) == 30  # readers still see the old build, whole
    write_outputs(_graph(7), out)
    assert not list(out.parent.glob(".out.build-*"))
    assert _count(out) == 7


def test_a_failed_build_changes_nothing(out: Path) -> None:
    before = sorted(os.listdir(out))
    with pytest.raises(RuntimeError), staged_build(out) as stage:
        (stage / "graph.nt").write_text("x")
        raise RuntimeError("extraction failed")
    assert sorted(os.listdir(out)) == before
    assert not list(out.parent.glob(".out.build-*"))


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CrimegraphError, match="not a directory"):
        write_outputs(_graph(3), target)


def test_a_build_while_serve_runs_stops_with_one_line_and_the_served_build_stays(
    out: Path,
) -> None:
    server = subprocess.Popen(
        [sys.executable, "-c", CLI, "serve", str(out), "--port", "0", "--workers", "1", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # the URL, once the graph is loaded and it listens
        assert "http://" in line, line + (server.stderr.read() if server.stderr else "")
        with pytest.raises(CrimegraphError, match="still open") as caught:
            write_outputs(_graph(5), out, wait=0.5)
        assert "\n" not in str(caught.value)
        assert _count(out) == 30
    finally:
        server.terminate()
        server.wait(timeout=30)
    write_outputs(_graph(5), out)
    assert _count(out) == 5


def test_graph_load_opens_a_build_whole(out: Path) -> None:
    import graph

    g = graph.load(out)
    assert len(g) == 30
    assert (URIRef("urn:s3"), URIRef("urn:p"), Literal("text 3")) in g
