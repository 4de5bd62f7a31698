"""Corrections files (docs/corrections.md): what each action does to a document's flows, what
happens when the text changed, one-line errors for bad files, and the graph `build
--corrections` writes (PROV attribution that SPARQL tells from machine-read flows)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib.namespace import PROV, RDF

from graph import rdf
from graph.build import build
from graph.cli import main
from graph.corrections import CorrectionIndex, apply_corrections, parse_corrections
from graph.digests import text_digest
from graph.errors import CrimegraphError
from graph.extract import extract_text
from graph.namespaces import CG
from graph.query import run_canned, run_query
from graph.records import Document, DocumentFlows, Flow, Review
from graph.validate import validate

TEXT = (
    "Drug report\n\n"
    "Heroin is smuggled from Afghanistan via Tajikistan to Russia. "
    "Cocaine is shipped from Colombia to Spain by sea.\n"
)
HEROIN = "Heroin is smuggled from Afghanistan via Tajikistan to Russia."
COCAINE = "Cocaine is shipped from Colombia to Spain by sea."
HEROIN_READ = {"market": "heroin-trade", "origin": ["AFG"], "transit": ["TJK"],
               "destination": ["RUS"]}  # fmt: skip
COCAINE_READ = {"market": "cocaine-trade", "origin": ["COL"], "destination": ["ESP"]}


def span_of(words: str, text: str = TEXT) -> list[int]:
    start = text.index(words)
    return [start, start + len(words)]


def corrections(*items: dict[str, Any], text: str = TEXT, **top: Any) -> dict[str, Any]:
    """A corrections file's JSON, as the review page saves it."""
    data = {
        "crimegraph": "corrections",
        "version": 1,
        "document": "report.txt",
        "text_digest": text_digest(text),
        "reviewer": "Ana Analyst",
        "saved": "2026-12-03T10:00:00Z",
        "corrections": list(items),
    }
    return {**data, **top}


def on(words: str, action: str, **rest: Any) -> dict[str, Any]:
    return {"action": action, "span": span_of(words), "quote": words, **rest}


def read_flows(text: str = TEXT) -> DocumentFlows:
    return extract_text(text, document="report.txt", subject=None)


def chains(flows: DocumentFlows) -> list[tuple[str, list[str], list[Any], list[str], str | None]]:
    return [
        (f.market, f.origin, f.transit, f.destination, f.review.action if f.review else None)
        for f in flows.flows
    ]


def test_the_extractor_reads_two_flows_in_the_report() -> None:
    assert chains(read_flows()) == [
        ("heroin-trade", ["AFG"], ["TJK"], ["RUS"], None),
        ("cocaine-trade", ["COL"], [], ["ESP"], None),
    ]


# --- what each action does --------------------------------------------------------------------

ACTIONS = [
    (
        "reject removes the flow read there",
        [on(COCAINE, "reject", target=COCAINE_READ)],
        [("heroin-trade", ["AFG"], ["TJK"], ["RUS"], None)],
    ),
    (
        "edit replaces the fields it sets and marks the flow corrected",
        [on(HEROIN, "edit", target=HEROIN_READ, flow={"destination": ["KAZ"]})],
        [
            ("heroin-trade", ["AFG"], ["TJK"], ["KAZ"], "corrected"),
            ("cocaine-trade", ["COL"], [], ["ESP"], None),
        ],
    ),
    (
        "edit may change the market and give transit alternatives",
        [
            on(
                COCAINE,
                "edit",
                target=COCAINE_READ,
                flow={
                    "market": "cannabis-trade",
                    "commodity": "cannabis",
                    "transit": [["MAR", "DZA"]],
                },
            )
        ],
        [
            ("heroin-trade", ["AFG"], ["TJK"], ["RUS"], None),
            ("cannabis-trade", ["COL"], [["MAR", "DZA"]], ["ESP"], "corrected"),
        ],
    ),
    (
        "accept keeps the flow and marks it accepted",
        [on(HEROIN, "accept", target=HEROIN_READ)],
        [
            ("heroin-trade", ["AFG"], ["TJK"], ["RUS"], "accepted"),
            ("cocaine-trade", ["COL"], [], ["ESP"], None),
        ],
    ),
    (
        "add inserts a flow on the words selected",
        [
            on(
                "Drug report",
                "add",
                flow={"market": "drug-trade", "origin": ["MEX"], "destination": ["USA"]},
            )
        ],
        [
            ("drug-trade", ["MEX"], [], ["USA"], "added"),
            ("heroin-trade", ["AFG"], ["TJK"], ["RUS"], None),
            ("cocaine-trade", ["COL"], [], ["ESP"], None),
        ],
    ),
    (
        "a later decision on the same flow overrides an earlier one",
        [on(COCAINE, "accept", target=COCAINE_READ), on(COCAINE, "reject", target=COCAINE_READ)],
        [("heroin-trade", ["AFG"], ["TJK"], ["RUS"], None)],
    ),
]


@pytest.mark.parametrize(("case", "items", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_each_action(case: str, items: list[dict[str, Any]], expected: list[Any]) -> None:
    cfile = parse_corrections(corrections(*items), "report.corrections.json")
    applied = apply_corrections(read_flows(), TEXT, cfile)
    assert chains(applied.flows) == expected
    assert applied.notices == []


def test_a_corrected_flow_keeps_its_passage_and_gets_the_reviewer_and_time() -> None:
    item = on(HEROIN, "edit", target=HEROIN_READ, flow={"destination": ["KAZ"]},
              time="2026-12-03T11:15:00+01:00")  # fmt: skip
    cfile = parse_corrections(corrections(item), "c.json")
    [heroin, _] = apply_corrections(read_flows(), TEXT, cfile).flows.flows
    assert (heroin.evidence, heroin.span) == (HEROIN, tuple(span_of(HEROIN)))
    assert heroin.review is not None
    assert (heroin.review.reviewer, heroin.review.time) == (
        "Ana Analyst",
        "2026-12-03T11:15:00+01:00",
    )
    added = on("Drug report", "add", flow={"market": "drug-trade"})
    [first, *_] = apply_corrections(
        read_flows(), TEXT, parse_corrections(corrections(added), "c.json")
    ).flows.flows
    assert (first.evidence, first.review and first.review.time) == (
        "Drug report",
        "2026-12-03T10:00:00+00:00",
    )


def test_a_decision_carried_from_an_earlier_review_keeps_its_reviewer() -> None:
    earlier = on(COCAINE, "accept", target=COCAINE_READ, reviewer="Ed  Earlier")
    now = on(HEROIN, "accept", target=HEROIN_READ)
    flows = apply_corrections(read_flows(), TEXT, parse_corrections(corrections(earlier, now), "c"))
    assert [f.review and f.review.reviewer for f in flows.flows.flows] == [
        "Ana Analyst",
        "Ed Earlier",
    ]


# --- a changed document -----------------------------------------------------------------------

CHANGED = [
    (
        "the words moved: re-anchored and applied",
        "Drug report, second edition\n\n" + TEXT.split("\n\n", 1)[1],
        ["re-anchored"],
        [("heroin-trade", ["AFG"], ["TJK"], ["RUS"], None)],
    ),
    (
        "the words are gone: reported as stale, the flow stays as read",
        TEXT.replace("by sea", "by air"),
        ["stale"],
        [
            ("heroin-trade", ["AFG"], ["TJK"], ["RUS"], None),
            ("cocaine-trade", ["COL"], [], ["ESP"], None),
        ],
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "kinds", "expected"), CHANGED, ids=[c[0] for c in CHANGED]
)
def test_a_changed_text(case: str, text: str, kinds: list[str], expected: list[Any]) -> None:
    cfile = parse_corrections(corrections(on(COCAINE, "reject", target=COCAINE_READ)), "c.json")
    applied = apply_corrections(read_flows(text), text, cfile)
    assert [n.kind for n in applied.notices] == kinds
    assert chains(applied.flows) == expected
    [notice] = applied.notices
    assert "\n" not in str(notice) and str(notice).startswith(
        "c.json: correction 1 (reject cocaine-trade from COL to ESP"
    )


def test_a_flow_no_longer_read_is_noticed_an_edit_of_it_is_kept_as_stated() -> None:
    other = {"market": "heroin-trade", "origin": ["PAK"], "destination": ["RUS"]}
    cfile = parse_corrections(
        corrections(
            on(HEROIN, "reject", target=other),
            on(
                HEROIN,
                "edit",
                target={**other, "destination": ["IRN"]},
                flow={"destination": ["TUR"]},
            ),
        ),
        "c.json",
    )
    applied = apply_corrections(read_flows(), TEXT, cfile)
    assert [n.kind for n in applied.notices] == ["unmatched", "unmatched"]
    assert ("heroin-trade", ["PAK"], [], ["TUR"], "corrected") in chains(applied.flows)


def test_corrections_find_their_document_by_text_digest_then_by_name() -> None:
    cfile = parse_corrections(corrections(), "c.json")
    index = CorrectionIndex([cfile])
    assert index.for_document(Document("renamed.txt", "report", TEXT)) is cfile
    assert index.for_document(Document("report.txt", "report", "changed")) is cfile
    assert index.for_document(Document("other.txt", "report", "changed")) is None
    # another edition of the same name: the file belongs to the document that has its text
    assert index.for_document(Document("report.txt", "report", "2016"), [text_digest(TEXT)]) is None
    assert index.for_document(Document("2016/report.txt", "report", "changed")) is None


def test_two_files_of_one_document_apply_in_the_order_they_were_saved() -> None:
    first = corrections(
        on(COCAINE, "accept", target=COCAINE_READ),
        on(HEROIN, "edit", target=HEROIN_READ, flow={"destination": ["KAZ"]}),
        saved="2026-12-03T10:00:00Z",
    )
    second = corrections(
        on(COCAINE, "reject", target=COCAINE_READ), reviewer="Bo", saved="2026-12-03T11:00:00Z"
    )
    files = [parse_corrections(second, "b (1).json"), parse_corrections(first, "a.json")]
    cfile = CorrectionIndex(files).for_document(Document("report.txt", "report", TEXT))
    assert cfile is not None and cfile.path == "a.json + b (1).json"
    applied = apply_corrections(read_flows(), TEXT, cfile)
    assert [(f.market, f.review and f.review.reviewer) for f in applied.flows.flows] == [
        ("heroin-trade", "Ana Analyst")
    ]


# --- bad files: one line each -----------------------------------------------------------------


def broken(change: Any) -> dict[str, Any]:
    data = corrections(on(HEROIN, "edit", target=HEROIN_READ, flow={"destination": ["KAZ"]}))
    data = copy.deepcopy(data)
    change(data)
    return data


def item(data: dict[str, Any]) -> dict[str, Any]:
    return data["corrections"][0]  # type: ignore[no-any-return]


MALFORMED = [
    ("not corrections", lambda d: d.pop("crimegraph"), "not a corrections file"),
    ("version", lambda d: d.update(version=2), "corrections version 2"),
    ("no reviewer", lambda d: d.update(reviewer=" "), "'reviewer' is missing"),
    ("digest", lambda d: d.update(text_digest="abc"), "not a SHA-256"),
    ("saved", lambda d: d.update(saved="yesterday"), "'saved' is not an ISO 8601"),
    ("list", lambda d: d.update(corrections={}), "'corrections' is missing or not a list"),
    ("action", lambda d: item(d).update(action="delete"), "correction 1: action 'delete'"),
    ("span", lambda d: item(d).update(span=[5, 2]), "'span' is not [start, end]"),
    ("quote", lambda d: item(d).update(quote="Heroin"), "'quote' is not the 61 characters"),
    ("market", lambda d: item(d)["flow"].update(market="gold"), "unknown market 'gold'"),
    ("place", lambda d: item(d)["flow"].update(origin=["Narnia"]), "origin 'Narnia' is not"),
    ("field", lambda d: item(d)["flow"].update(actors=["x"]), "'actors' cannot be corrected"),
    ("empty edit", lambda d: item(d).update(flow={}), "an edit sets no field"),
    ("no target", lambda d: item(d).pop("target"), "'target' is missing"),
    ("time", lambda d: item(d).update(time=12), "'time' is not a date and time"),
    ("reviewer", lambda d: item(d).update(reviewer=""), "'reviewer' is not a non-empty string"),
]


@pytest.mark.parametrize(("case", "change", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_file_is_one_line(
    case: str, change: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CrimegraphError) as caught:
        parse_corrections(broken(change), "bad.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.json") and "\n" not in str(caught.value)


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """Run ``crimegraph ARGS`` in this process (no second start-up of the extractor)."""
    capsys.readouterr()
    status = main(list(args))
    out = capsys.readouterr()
    return Ran(status, out.out, out.err)


def test_build_refuses_a_folder_with_a_broken_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "report.txt").write_text(TEXT)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "report.corrections.json").write_text('{"crimegraph": "corrections",')
    done = cli(capsys, "build", str(tmp_path / "report.txt"), "--corrections", str(tmp_path / "c"),
               "--no-cache", "-o", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "not JSON" in done.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


# --- the graph --------------------------------------------------------------------------------

REVIEWED = """
SELECT ?market ?who ?action ?time WHERE {
  ?flow cg:market ?m ; cg:evidence ?e ; prov:wasAttributedTo ?agent .
  ?e prov:wasAttributedTo ?agent ; prov:generatedAtTime ?time ; cg:reviewAction ?a .
  ?agent a prov:Agent ; rdfs:label ?who .
  BIND(STRAFTER(STR(?m), "vocab/") AS ?market)
  BIND(STRAFTER(STR(?a), "#") AS ?action)
} ORDER BY ?market"""
MACHINE_READ = """
SELECT ?market WHERE {
  ?flow cg:market ?m ; cg:evidence ?e .
  FILTER NOT EXISTS { ?e prov:wasAttributedTo ?anyone }
  BIND(STRAFTER(STR(?m), "vocab/") AS ?market)
} ORDER BY ?market"""


@pytest.fixture(scope="module")
def corrected_build(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("corrections")
    (folder / "report.txt").write_text(TEXT)
    (folder / "c").mkdir()
    data = corrections(
        on(HEROIN, "edit", target=HEROIN_READ, flow={"destination": ["KAZ"]}),
        on("Drug report", "add", flow={"market": "drug-trade", "origin": ["MEX"]}),
    )
    (folder / "c" / "report.corrections.json").write_text(json.dumps(data))
    return build([folder / "report.txt"], corrections=folder / "c", store="oxigraph")


def test_sparql_tells_reviewed_flows_from_machine_read_ones(corrected_build: Any) -> None:
    g = corrected_build.graph
    assert run_query(g, REVIEWED).rows == [
        {"market": "drug-trade", "who": "Ana Analyst", "action": "added",
         "time": "2026-12-03T10:00:00+00:00"},
        {"market": "heroin-trade", "who": "Ana Analyst", "action": "corrected",
         "time": "2026-12-03T10:00:00+00:00"},
    ]  # fmt: skip
    assert run_query(g, MACHINE_READ).rows == [{"market": "cocaine-trade"}]
    canned = run_canned(g, "reviewed-flows", {}).rows
    assert sorted((r["action"], r["reviewer"]) for r in canned) == [
        ("added", "Ana Analyst"),
        ("corrected", "Ana Analyst"),
    ]


def test_a_graph_with_reviewed_flows_conforms_to_the_shapes(corrected_build: Any) -> None:
    result = validate(corrected_build.graph)
    assert result.conforms, result.violations[:3]


@pytest.mark.parametrize(
    ("dropped", "message"),
    [
        (PROV.wasAttributedTo, "attributed to exactly one reviewer"),
        (PROV.generatedAtTime, "exactly one review time"),
        (CG.reviewAction, "one review action"),
    ],
)
def test_the_shapes_want_reviewer_time_and_action_together(dropped: Any, message: str) -> None:
    review = Review("Ana Analyst", "2026-12-03T10:00:00+00:00", "corrected")
    flow = Flow("heroin-trade", "heroin", ["AFG"], [], ["KAZ"], evidence=HEROIN,
                span=tuple(span_of(HEROIN)), review=review)  # type: ignore[arg-type]  # fmt: skip
    g = rdf.build_graph(
        [Document("r.txt", "report", TEXT)], [], [DocumentFlows("r.txt", None, [flow])]
    )
    [evidence] = g.subjects(RDF.type, CG.Evidence)
    g.remove((evidence, dropped, None))
    result = validate(g)
    assert not result.conforms
    assert [v.message for v in result.violations if message in v.message]


def test_build_reports_a_stale_correction_in_one_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "report.txt").write_text(TEXT.replace("by sea", "by air"))
    (tmp_path / "c").mkdir()
    data = corrections(on(COCAINE, "reject", target=COCAINE_READ))
    (tmp_path / "c" / "report.corrections.json").write_text(json.dumps(data))
    done = cli(capsys, "build", str(tmp_path / "report.txt"), "--corrections", str(tmp_path / "c"),
               "--no-cache", "-o", str(tmp_path / "out"))  # fmt: skip
    assert done.returncode == 1, done.stderr
    [line] = [x for x in done.stderr.splitlines() if "correction 1" in x]
    assert "not applied" in line and "are not in report.txt any more" in line
    assert (tmp_path / "out" / "graph.ttl").exists()


# --- corrections as gold ----------------------------------------------------------------------


def test_eval_scores_the_extractor_against_a_folder_of_corrections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "renamed.txt").write_text(TEXT)  # found by the digest of its text
    (tmp_path / "gold").mkdir()
    data = corrections(
        on(COCAINE, "reject", target=COCAINE_READ),
        on(HEROIN, "edit", target=HEROIN_READ, flow={"destination": ["KAZ"]}),
        on(
            "Drug report",
            "add",
            flow={"market": "drug-trade", "origin": ["MEX"], "destination": ["USA"]},
        ),
    )
    (tmp_path / "gold" / "report.txt.corrections.json").write_text(json.dumps(data))
    done = cli(
        capsys,
        "eval",
        str(tmp_path / "gold"),
        "--documents",
        str(tmp_path / "docs"),
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    [document] = report["documents"]
    assert document["document"] == "report.txt"
    # read: heroin AFG→TJK, TJK→RUS; cocaine COL→ESP. Gold: heroin AFG→TJK, TJK→KAZ; drugs MEX→USA.
    assert {k: document["country_legs"][k] for k in ("tp", "fp", "fn")} == {
        "tp": 1,
        "fp": 2,
        "fn": 2,
    }
    assert document["missed_legs"] == ["drug-trade: MEX → USA", "heroin-trade: TJK → KAZ"]
    assert document["extra_legs"] == ["cocaine-trade: COL → ESP", "heroin-trade: TJK → RUS"]


def test_eval_says_in_one_line_when_it_cannot_find_the_document_of_corrections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.json").write_text(json.dumps(corrections()))
    done = cli(capsys, "eval", str(tmp_path / "c.json"))
    assert done.returncode != 0
    [line] = done.stderr.splitlines()
    assert line.endswith("c.json: cannot find its document 'report.txt' (give it with --documents)")


# --- the documentation's example --------------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs"


def docs_example() -> tuple[str, dict[str, Any]]:
    """The text and the corrections file that docs/corrections.md shows."""
    page = (DOCS / "corrections.md").read_text(encoding="utf-8")
    text = page.split("```text\n", 1)[1].split("```", 1)[0]
    data = json.loads(page.split("```json\n", 1)[1].split("```", 1)[0])
    return text, data


def test_the_documented_example_applies_to_its_text_as_the_page_says() -> None:
    text, data = docs_example()
    applied = apply_corrections(read_flows(text), text, parse_corrections(data, "example.json"))
    assert applied.notices == []
    assert chains(applied.flows) == [
        ("heroin-trade", ["AFG"], ["TJK"], ["KAZ"], "corrected"),
        ("synthetic-drug-trade", ["NLD"], [], ["KAZ"], "added"),
    ]


def test_the_documented_example_meets_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DOCS / "corrections.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    _, data = docs_example()
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "corrections": [{"action": "edit", "span": [0, 1]}]}, schema)


def test_flows_read_back_from_the_graph_keep_their_review(corrected_build: Any) -> None:
    [document] = rdf.flows_from_graph(corrected_build.graph)
    reviews = sorted((f.market, f.review.action if f.review else None) for f in document.flows)
    assert reviews == [
        ("cocaine-trade", None),
        ("drug-trade", "added"),
        ("heroin-trade", "corrected"),
    ]


# --- the review command -----------------------------------------------------------------------


def test_review_writes_the_page_and_says_how_many_flows_it_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "report.txt").write_text(TEXT)
    done = cli(capsys, "review", str(tmp_path / "report.txt"), "-o", str(tmp_path / "review.html"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("2 flows of report.txt to review")
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "<script src" not in page and "default-src 'none'" in page


def test_review_of_a_missing_document_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = cli(capsys, "review", str(tmp_path / "nowhere.txt"), "-o", str(tmp_path / "review.html"))
    assert done.returncode != 0
    assert len(done.stderr.splitlines()) == 1 and "no such file" in done.stderr
    assert not (tmp_path / "review.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give the page to write with -o FILE.html (or use --serve)"),
        (("--serve",), "--serve needs --corrections DIR"),
    ],
)
def test_review_without_a_place_to_write_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "report.txt").write_text(TEXT)
    done = cli(capsys, "review", str(tmp_path / "report.txt"), *args)
    assert done.returncode != 0
    [line] = done.stderr.splitlines()
    assert message in line
