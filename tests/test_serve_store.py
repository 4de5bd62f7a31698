"""``crimegraph serve`` over a build directory: workers answer from the build's persistent
store (Oxigraph on RocksDB, opened read-only by each worker after its fork) with the rows that
rdflib gives, and in every result format the endpoint offers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph
from rdflib.query import Result

from graph.diskstore import write_store
from graph.querypool import answer, open_graph, worker_graph
from graph.serve import serving

from .conftest import CANNED_CASES as CASES
from .test_serve import assert_serves_the_rows_of_crimegraph_query

ROW_LIMIT = 300
CONSTRUCT = "CONSTRUCT { ?c rdfs:label ?n } WHERE { ?c cg:iso3 'KAZ' ; rdfs:label ?n }"
ALL = "SELECT ?s ?p ?o { ?s ?p ?o }"


@pytest.fixture(scope="module")
def build_dir(gold_build: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gold graph as a build directory with its persistent store."""
    out = tmp_path_factory.mktemp("serve-store")
    gold_build.graph.serialize(out / "graph.nt", format="nt", encoding="utf-8")
    write_store(out)
    return out


@pytest.fixture(scope="module")
def server(build_dir: Path) -> Iterator[str]:
    options = ("--workers", "2", "--time-limit", "5", "--row-limit", str(ROW_LIMIT))
    with serving(build_dir, *options) as url:
        yield url


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_the_process_that_forks_workers_never_opens_the_store(build_dir: Path) -> None:
    before = _threads()
    served, triples = open_graph(str(build_dir))
    assert served.store is None and served.folder == str(build_dir / "store")
    assert _threads() <= before  # no new thread: RocksDB starts its threads in a child only
    assert triples == json.loads((build_dir / "build.json").read_text())["triples"]
    worker = worker_graph(served)  # what each worker does after its fork
    assert worker.store is not None
    ask = answer(worker, "ASK { ?f a cg:Flow }", None)
    assert ask.body == b'{"head":{},"boolean":true}'


def test_a_damaged_store_is_replaced_by_the_graph_file(
    build_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "out"
    shutil.copytree(build_dir, copy)
    (copy / "build.json").write_text("{}")
    served, triples = open_graph(str(copy))
    # Loaded here, or, in a process that runs threads (this one may, from the test above),
    # left for each worker to load after its fork.
    assert served.store is not None or served.file == str(copy / "graph.nt")
    worker = worker_graph(served)
    assert worker.store is not None and len(worker.store) == triples > 0
    assert "reading graph.nt instead" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}{p or ''}" for n, p in CASES])
def test_the_store_gives_the_rows_of_rdflib(
    server: str, gold_build: Any, name: str, params: dict[str, str]
) -> None:
    assert_serves_the_rows_of_crimegraph_query(server, gold_build.graph, name, params)


def _rows(fmt: str, body: bytes) -> list[tuple[str, ...]]:
    """The rows of a SELECT answer in ``fmt``, as tuples of the values' text."""
    if fmt in ("json", "xml"):
        result = Result.parse(io.BytesIO(body), format=fmt)
        return [tuple(str(v) for v in row) for row in result]  # type: ignore[union-attr]
    if fmt == "csv":
        return [tuple(r) for r in csv.reader(io.StringIO(body.decode()))][1:]
    lines = body.decode().split("\n")
    assert lines[-1] == ""
    return [tuple(line.split("\t")) for line in lines[1:-1]]


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_every_table_format_answers_and_is_cut_at_the_row_limit(
    server: str, fmt: str, media_type: str
) -> None:
    small = "SELECT ?code ?name WHERE { ?c cg:iso3 ?code ; rdfs:label ?name } ORDER BY ?code"
    response = httpx.get(server + "sparql", params={"query": small, "format": fmt})
    assert response.status_code == 200 and "x-row-limit" not in response.headers
    assert response.headers["content-type"].startswith(media_type)
    rows = _rows(fmt, response.content)
    assert rows[0][0].strip('"') == "ABW" and len(rows) > 200
    cut = httpx.get(server + "sparql", params={"query": ALL, "format": fmt})
    assert cut.status_code == 200 and cut.headers["x-row-limit"] == str(ROW_LIMIT)
    assert len(_rows(fmt, cut.content)) == ROW_LIMIT


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_every_graph_format_answers_a_construct(
    server: str, accept: str, rdflib_format: str
) -> None:
    response = httpx.get(server + "sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert [str(o) for o in graph.objects()] == ["Kazakhstan"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_answers_in_json_and_xml(server: str, fmt: str) -> None:
    response = httpx.get(server + "sparql", params={"query": "ASK { ?f a cg:Flow }", "format": fmt})
    assert response.status_code == 200
    assert Result.parse(io.BytesIO(response.content), format=fmt).askAnswer is True
