"""The HTML flow map, read as a user of ``draw`` / ``write_html`` / ``crimegraph draw`` would.

The page is checked as HTML here (structure, escaping, no remote resource); how it behaves in a
real browser is tests/test_draw_browser.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pyvis.network import Network
from rdflib import Graph

from graph.basemap import representative_point
from graph.build import BuildResult
from graph.cli import main
from graph.draw import LABEL_CHARS, FlowNetwork, draw, write_html
from graph.errors import CrimegraphError
from graph.flowmap import clip, market_order, style
from graph.geolayout import FOCUS_SCALE, Projection
from graph.network import flow_edges, to_networkx
from graph.rdf import build_graph
from graph.records import Document, DocumentFlows, Flow

#: Text a hostile document could carry into every field the page shows.
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">'


@pytest.fixture(scope="module")
def gold(gold_build: BuildResult) -> Graph:
    return gold_build.graph


@pytest.fixture(scope="module")
def net(gold: Graph) -> FlowNetwork:
    return draw(gold)


def flow_arrows(net: Network) -> list[dict[str, Any]]:
    return [e for e in net.edges if e["kind"] == "flow"]


def hostile_graph() -> Graph:
    """A document whose name, evidence, commodity, actor and route all carry markup."""
    text = f"Heroin {HOSTILE} moves from Afghanistan to Kazakhstan."
    flow = Flow(
        "heroin-trade",
        f"heroin {HOSTILE}",
        ["AFG"],
        [],
        ["KAZ"],
        route=f"route {HOSTILE}",
        actors=[f"gang {HOSTILE}"],
        evidence=text,
    )
    name = f"report {HOSTILE}.txt"
    return build_graph([Document(name, "report", text)], [], [DocumentFlows(name, None, [flow])])


class _Page(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    page = _Page()
    page.feed(html)
    return page.tags


def json_block(html: str, block: str) -> Any:
    match = re.search(
        rf'<script type="application/json" id="cg-{block}">(.*?)</script>', html, re.S
    )
    assert match is not None
    return json.loads(match.group(1))


# --- what is drawn ----------------------------------------------------------------------------


def test_every_node_of_the_projection_is_drawn_with_its_kinds_shape(
    gold: Graph, net: FlowNetwork
) -> None:
    nxg = to_networkx(gold)
    drawn = {n["id"]: n for n in net.nodes}
    assert set(drawn) == set(nxg.nodes)
    for key, data in nxg.nodes(data=True):
        assert drawn[key]["shape"] == style().kind(data["kind"]).shape
        assert drawn[key]["label"] == clip(data["label"], LABEL_CHARS)
        assert data["label"] in drawn[key]["title"]  # a long name is whole in the tooltip


def test_one_arrow_per_origin_destination_and_market(gold: Graph, net: FlowNetwork) -> None:
    legs = {(u, v, d["market"]) for u, v, _, d in flow_edges(to_networkx(gold))}
    arrows = [(e["from"], e["to"], e["market"]) for e in flow_arrows(net)]
    assert sorted(arrows) == sorted(legs)
    assert len(arrows) == len(set(arrows))


def test_arrows_are_coloured_by_market_and_widen_with_documents(net: FlowNetwork) -> None:
    for arrow in flow_arrows(net):
        assert arrow["color"]["color"] == style().markets[arrow["market"]]
    by_documents = sorted((len(a["docs"]), a["width"]) for a in flow_arrows(net))
    widths = [w for _, w in by_documents]
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_parallel_arrows_of_different_markets_curve_apart(net: FlowNetwork) -> None:
    curves: dict[tuple[str, str], list[float]] = {}
    for a in flow_arrows(net):
        curves.setdefault((a["from"], a["to"]), []).append(a["smooth"]["roundness"])
    parallel = [r for r in curves.values() if len(r) > 1]
    assert parallel, "the gold graph has places joined by several markets"
    assert all(len(set(r)) == len(r) for r in parallel)


def test_ties_of_commodities_actors_and_places_are_drawn(gold: Graph, net: FlowNetwork) -> None:
    nxg = to_networkx(gold)
    ties = Counter(d["kind"] for _, _, d in nxg.edges(data=True) if d["kind"] != "flow")
    assert Counter(e["kind"] for e in net.edges if e["kind"] != "flow") == ties


def test_countries_are_sized_by_criminality_with_their_scores_in_the_tooltip(
    net: FlowNetwork,
) -> None:
    nodes = {n["id"]: n for n in net.nodes}
    kaz, afg = nodes["KAZ"], nodes["AFG"]  # only Kazakhstan has a profile in the gold graph
    assert kaz["size"] > afg["size"]
    assert "Organized Crime Index 2023" in kaz["title"]
    assert "Criminality: " in kaz["title"] and "Heroin trade 6.5" in kaz["title"]
    assert "no Organized Crime Index score" in afg["title"]


def test_an_arrow_tooltip_quotes_its_evidence_and_names_its_document(net: FlowNetwork) -> None:
    [arrow] = [
        a
        for a in flow_arrows(net)
        if (a["from"], a["to"], a["market"]) == ("AFG", "KAZ", "heroin-trade")
    ]
    lines = arrow["title"].splitlines()
    assert lines[0] == "Heroin trade: Afghanistan → Kazakhstan"
    assert lines[1].startswith("stated by ")
    assert any(line.startswith("“") for line in lines)
    assert any(line.strip().startswith("— ") and ".txt" in line for line in lines)


def test_geo_layout_pins_countries_at_a_point_inside_their_outline(gold: Graph) -> None:
    nxg = to_networkx(gold)
    world = draw(gold)
    focused = draw(gold, countries=["KAZ"])
    kaz = nxg.nodes["KAZ"]
    map_of_kaz = Projection(scale=FOCUS_SCALE, focus=(kaz["lat"], kaz["lon"]))
    for net, project in ((world, Projection()), (focused, map_of_kaz)):
        for node in net.nodes:
            data = nxg.nodes[node["id"]]
            if data["kind"] == "country" and "lat" in data:
                point = representative_point(node["id"], data["lat"], data["lon"])
                assert (node["x"], node["y"]) == pytest.approx(project(*point))
                assert node["fixed"] and not node["physics"]
    assert world.options["physics"]["enabled"] is False


def test_force_layout_pins_nothing_and_stops_after_settling(gold: Graph) -> None:
    net = draw(gold, layout="force")
    assert not any(n["fixed"] for n in net.nodes)
    assert net.options["physics"]["stabilization"]["iterations"] > 0


@pytest.mark.parametrize(
    ("kwargs", "market", "place"),
    [
        ({"markets": ["heroin-trade"]}, "heroin-trade", None),
        ({"markets": ["Human trafficking"]}, "human-trafficking", None),
        ({"countries": ["KAZ"]}, None, "KAZ"),
        ({"countries": ["kazakhstan"]}, None, "KAZ"),
    ],
)
def test_markets_and_countries_keep_only_their_flows(
    gold: Graph, kwargs: dict[str, list[str]], market: str | None, place: str | None
) -> None:
    net = draw(gold, **kwargs)
    flows = net.page.content["flows"]
    assert flow_arrows(net)
    for arrow in flow_arrows(net):
        assert arrow["flows"], "every arrow belongs to at least one flow"
        assert market is None or arrow["market"] == market
        assert place is None or all(place in flows[i][1] for i in arrow["flows"])


def test_every_filter_membership_points_at_a_flow_of_the_same_market(net: FlowNetwork) -> None:
    page = net.page.content
    for arrow in flow_arrows(net):
        for i in arrow["flows"]:
            market_index, _ = page["flows"][i]
            assert page["markets"][market_index]["slug"] == arrow["market"]


def test_the_legend_lists_markets_in_the_index_order_with_their_labels(net: FlowNetwork) -> None:
    listed = [m["slug"] for m in net.page.content["markets"]]
    assert listed == [m for m in market_order() if m in listed]
    assert {m["label"] for m in net.page.content["markets"]} >= {"Heroin trade"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"markets": ["opium-trade"]}, "unknown market 'opium-trade'"),
        ({"countries": ["Narnia"]}, "unknown country or region 'Narnia'"),
        ({"layout": "circle"}, "unknown layout 'circle'"),
    ],
)
def test_bad_arguments_raise_one_line_errors(
    gold: Graph, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(CrimegraphError, match=message) as err:
        draw(gold, **kwargs)
    assert "\n" not in str(err.value)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_is_self_contained_and_nothing_else_is_written(
    net: FlowNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_html(net, "flows.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flows.html"]  # no lib/, no temp file
    html = path.read_text(encoding="utf-8")
    for tag, attrs in parse(html):
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html)
    assert "@import" not in html
    assert "default-src 'none'" in html  # the page may not fetch anything, even by mistake


def test_pyvis_own_show_and_write_html_write_the_same_page_and_no_lib_folder(
    net: FlowNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    net.write_html("written.html")
    frame = net.show("shown.html", notebook=True)  # what a notebook user would call
    assert frame.src == "shown.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shown.html", "written.html"]
    for name in ("shown.html", "written.html"):
        assert not any("src" in a for _, a in parse((tmp_path / name).read_text("utf-8")))


def test_the_page_carries_the_nodes_edges_and_options_drawn(net: FlowNetwork) -> None:
    html = net.generate_html()
    assert len(json_block(html, "nodes")) == net.num_nodes()
    assert len(json_block(html, "edges")) == net.num_edges()
    assert json_block(html, "page")["title"] == "Transnational crime flows"


def test_write_html_draws_a_graph_given_instead_of_a_network(gold: Graph, tmp_path: Path) -> None:
    path = write_html(gold, tmp_path / "heroin.html", markets=["heroin-trade"], title="Heroin")
    html = path.read_text(encoding="utf-8")
    assert "<title>Heroin</title>" in html
    assert {e["market"] for e in json_block(html, "edges") if e["kind"] == "flow"} == {
        "heroin-trade"
    }


def test_a_network_built_by_hand_gets_the_same_offline_page(tmp_path: Path) -> None:
    plain = Network(directed=True)
    plain.add_node("a", label="A")
    plain.add_node("b", label="B")
    plain.add_edge("a", "b")
    html = write_html(plain, tmp_path / "plain.html").read_text(encoding="utf-8")
    assert not any("src" in attrs for _, attrs in parse(html))
    assert len(json_block(html, "nodes")) == 2


def test_text_from_documents_cannot_add_markup_to_the_page(tmp_path: Path) -> None:
    net = draw(hostile_graph(), title=f"Flows {HOSTILE}")
    html = write_html(net, tmp_path / "hostile.html").read_text(encoding="utf-8")
    tags = parse(html)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert len(scripts) == 6  # four JSON blocks and the two scripts of the page, nothing else
    assert all(a.get("type") == "application/json" or a.get("nonce") for a in scripts)
    assert not [tag for tag, _ in tags if tag == "img"]
    assert not [(t, a) for t, a in tags for k in a if k.startswith("on")]
    assert "<title>Flows &lt;script&gt;" in html
    # The hostile text is still there, as data: the tooltips show it as text.
    titles = " ".join(e["title"] for e in json_block(html, "edges"))
    assert HOSTILE in titles


def test_the_page_displays_itself_in_a_notebook(net: FlowNetwork) -> None:
    shown = net._repr_html_()
    assert shown.startswith("<iframe srcdoc=")
    assert "<script" not in shown  # the page is escaped into the attribute


# --- command line -----------------------------------------------------------------------------


def test_crimegraph_draw_writes_the_page(
    seed_build_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kazakhstan.html"
    status = main(
        ["draw", str(seed_build_dir), "-o", str(out), "--country", "KAZ", "--layout", "force"]
    )
    printed = capsys.readouterr().out
    assert status == 0
    assert out.is_file() and str(out) in printed and "force layout" in printed
    assert json_block(out.read_text(encoding="utf-8"), "page")["layout"] == "force"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--market", "opium-trade"], "unknown market 'opium-trade'"),
        (["--country", "XXX"], "unknown country or region 'XXX'"),
    ],
)
def test_crimegraph_draw_answers_bad_arguments_in_one_line(
    seed_build_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    out = tmp_path / "x.html"
    status = main(["draw", str(seed_build_dir), "-o", str(out), *argv])
    err = capsys.readouterr().err
    assert status == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_crimegraph_draw_of_a_missing_graph_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["draw", str(tmp_path / "nope.ttl"), "-o", str(tmp_path / "x.html")])
    assert status == 1 and "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--whole-chains"], "--whole-chains needs --country"),
        (["--country", "Atlantis", "--whole-chains"], "unknown country or region 'Atlantis'"),
    ],
)
def test_draw_whole_chains_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str],
    seed_build_dir: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    from graph.cli import main

    out = tmp_path / "page.html"
    status = main(["draw", str(seed_build_dir), "-o", str(out), *args])
    err = capsys.readouterr().err
    assert status == 1 and message in err and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
