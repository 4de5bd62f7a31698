"""``crimegraph serve`` as its users meet it: a SPARQL client, a browser, and bad requests.

One server runs for the whole module on a free loopback port, over the gold graph, with a short
time limit (2 s) and a row limit (5,000) that these tests can reach.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from graph.cli import main
from graph.query import bind_canned, canned, canned_queries, result_records, run_canned
from graph.querytext import remote_text
from graph.remote import Endpoint, run_remote, run_remote_canned
from graph.serve import bind_socket, serving

from .conftest import CANNED_CASES as CASES

TIME_LIMIT = 2.0
ROW_LIMIT = 5000
#: A cross product of the whole graph with itself, three times: hours for rdflib.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?flow a cg:Flow }"
SERVICE = "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
FROM = "SELECT * FROM <http://example.org/g> { ?s ?p ?o }"


@pytest.fixture(scope="module")
def gold_file(gold_build: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "gold.nt"
    gold_build.graph.serialize(path, format="nt", encoding="utf-8")
    return Path(path)


@pytest.fixture(scope="module")
def server(gold_file: Path) -> Iterator[str]:
    """The base URL of ``crimegraph serve`` over the gold graph."""
    options = ("--workers", "2", "--time-limit", str(TIME_LIMIT), "--row-limit", str(ROW_LIMIT))
    with serving(gold_file, *options) as url:
        yield url


def same_rows(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    """The same rows, in any order: ORDER BY leaves ties in whatever order the store holds
    the triples, and the served copy is read back from N-Triples."""
    return sorted(map(repr, a)) == sorted(map(repr, b))


def _alive(url: str) -> bool:
    response = httpx.get(url + "sparql", params={"query": CHEAP}, timeout=30)
    return response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}{p or ''}" for n, p in CASES])
def test_a_standard_client_gets_the_rows_of_crimegraph_query(
    server: str, gold_build: Any, name: str, params: dict[str, str]
) -> None:
    assert_serves_the_rows_of_crimegraph_query(server, gold_build.graph, name, params)


def assert_serves_the_rows_of_crimegraph_query(
    server: str, graph: Graph, name: str, params: dict[str, str]
) -> None:
    """rdflib's SPARQLStore, a standard client, gets from ``server`` the rows of the canned
    query run in memory on ``graph``."""
    query = canned(name)
    text = remote_text(query.text, bind_canned(query, params))
    store = SPARQLStore(query_endpoint=server + "sparql", returnFormat="json")
    remote = result_records(Graph(store=store).query(text))
    local = run_canned(graph, name, params)
    assert remote.columns == local.columns
    assert same_rows(remote.rows, local.rows)


def test_crimegraphs_own_client_gets_the_same_rows(server: str, gold_build: Any) -> None:
    endpoint = Endpoint(server + "sparql")
    assert same_rows(
        run_remote_canned(endpoint, "flows-into", {"country": "KAZ"}).rows,
        run_canned(gold_build.graph, "flows-into", {"country": "KAZ"}).rows,
    )
    ask = run_remote(endpoint, "ASK { ?c cg:iso3 ?code }", {"code": "KAZ"})
    assert ask.kind == "ASK" and ask.boolean is True
    built = run_remote(
        endpoint, "CONSTRUCT { ?c rdfs:label ?n } WHERE { ?c cg:iso3 'KAZ' ; rdfs:label ?n }"
    )
    assert built.graph is not None and len(built.graph) == 1


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_results_come_in_the_format_the_accept_header_asks_for(
    server: str, accept: str, media_type: str
) -> None:
    query = "SELECT ?code ?name WHERE { ?c cg:iso3 ?code ; rdfs:label ?name } ORDER BY ?code"
    response = httpx.get(server + "sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    if media_type.endswith("xml") or media_type.endswith("json"):
        fmt = "xml" if media_type.endswith("xml") else "json"
        rows = list(Result.parse(io.BytesIO(response.content), format=fmt))
        assert ("KAZ", "Kazakhstan") in {(str(r[0]), str(r[1])) for r in rows}  # type: ignore[index]
    elif media_type == "text/csv":
        header, *_ = csv.reader(io.StringIO(response.text))
        assert header == ["code", "name"]
    else:
        assert response.text.splitlines()[0] == "?code\t?name"
        assert '"KAZ"\t"Kazakhstan"' in response.text


def test_post_takes_a_form_or_a_bare_query(server: str) -> None:
    form = httpx.post(server + "sparql", data={"query": CHEAP})
    bare = httpx.post(
        server + "sparql", content=CHEAP, headers={"Content-Type": "application/sparql-query"}
    )
    assert form.json() == bare.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        ({"data": {"update": "DROP ALL"}}, 403, "updates are refused"),
        ({"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403, "updates are refused"),
        (
            {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
            403,
            "updates are refused",
        ),
        ({"data": {"query": SERVICE}}, 403, "SERVICE is disabled"),
        ({"data": {"query": FROM}}, 403, "FROM is disabled"),
        ({"data": {"query": "SELECT * WHERE { ?s ?p "}}, 400, "malformed SPARQL"),
        ({"data": {}}, 400, "no query"),
        ({"data": {"query": CHEAP, "default-graph-uri": "http://x/"}}, 400, "not supported"),
        ({"content": CHEAP, "headers": {"Content-Type": "text/plain"}}, 415, "form-encoded"),
        ({"data": {"query": "SELECT * { ?s ?p ?o }", "format": "turtle"}}, 406, "cannot answer"),
        ({"data": {"query": "#" * 70_000 + "\nASK {}"}}, 413, "longer than"),
    ],
    ids=["update", "update-as-query", "sparql-update", "service", "from", "malformed", "empty",
         "dataset", "content-type", "format", "too-long"],
)  # fmt: skip
def test_refused_requests_get_a_4xx_with_a_reason_and_the_server_goes_on(
    server: str, request_kwargs: dict[str, Any], status: int, message: str
) -> None:
    response = httpx.post(server + "sparql", **request_kwargs)
    assert response.status_code == status
    assert message in response.text and len(response.text.splitlines()) == 1
    assert _alive(server)


def test_an_expensive_query_hits_the_time_limit_while_others_are_answered(server: str) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        slow = pool.submit(httpx.post, server + "sparql", data={"query": EXPENSIVE}, timeout=60)
        time.sleep(0.3)  # let the expensive query take its worker
        answered = []
        while not slow.done() and time.monotonic() - started < 30:
            t = time.monotonic()
            assert _alive(server)
            answered.append(time.monotonic() - t)
        response = slow.result()
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "time limit of 2 s" in response.text
    assert TIME_LIMIT <= elapsed < TIME_LIMIT + 10
    assert answered and max(answered) < TIME_LIMIT  # never stuck behind the expensive one
    assert _alive(server)  # the worker that was stopped is replaced


def test_results_are_cut_at_the_row_limit(server: str) -> None:
    response = httpx.get(server + "sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == ROW_LIMIT
    assert response.headers["x-row-limit"] == str(ROW_LIMIT)


def test_the_page_offers_a_query_box_and_the_canned_queries(server: str) -> None:
    page = httpx.get(server)
    assert page.status_code == 200 and "<textarea" in page.text
    assert "script-src 'nonce-" in page.text
    assert not re.search(r"(src|href)=\"?https?:", page.text)  # nothing loaded from elsewhere
    catalogue = httpx.get(server + "queries").json()
    assert [q["name"] for q in catalogue] == [q.name for q in canned_queries()]
    for q in catalogue:
        assert q["name"] in page.text


def test_a_canned_query_comes_with_its_parameters_bound(server: str) -> None:
    text = httpx.get(server + "queries/flows-into", params={"country": "Russia"})
    assert text.status_code == 200
    assert "VALUES ?country { <https://w3id.org/crimegraph/id/country/RUS> }" in text.text
    assert httpx.get(server + "queries/no-such-query").status_code == 404
    unknown = httpx.get(server + "queries/flows-into", params={"country": "Narnia"})
    assert unknown.status_code == 400 and "Narnia" in unknown.text


def test_sixteen_clients_at_once_are_all_answered(server: str) -> None:
    def ask(_: int) -> int:
        return httpx.post(server + "sparql", data={"query": CHEAP}, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(ask, range(64))) == {200}


def test_a_taken_port_is_a_one_line_error(
    gold_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with bind_socket("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        status = main(["serve", str(gold_file), "--port", str(port)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("crimegraph: error: cannot listen on 127.0.0.1:") and err.count("\n") == 1


def test_an_unreadable_graph_stops_serve_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("this is not N-Triples\n")
    with pytest.raises(Exception, match="not a valid graph file"), serving(bad):
        pass


def test_the_server_stops_cleanly(gold_file: Path) -> None:
    with serving(gold_file, "--workers", "1") as url:
        assert _alive(url)
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=5)


def test_crimegraph_query_endpoint_prints_what_it_prints_for_the_file(
    server: str, gold_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--name", "flows-through", "--param", "country=Kyrgyzstan", "--format", "json"]
    assert main(["query", "--endpoint", server + "sparql", *args]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert main(["query", str(gold_file), *args]) == 0
    local = json.loads(capsys.readouterr().out)
    assert remote and same_rows(remote, local)
    assert main(["query", "--endpoint", server + "sparql", "DROP ALL", "--allow-update"]) == 1
    assert "answered 403: updates are refused" in capsys.readouterr().err
