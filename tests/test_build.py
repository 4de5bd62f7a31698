"""Building a corpus: merged flows, editions of sources, the extraction cache, parallel extraction,
the error report, score workbooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF

from graph import rdf
from graph.build import build
from graph.errors import CrimegraphError
from graph.extract import extract_document
from graph.namespaces import CG, CGI
from graph.network import flow_edges, to_networkx
from graph.query import run_query
from graph.records import Document, DocumentFlows, Flow, Profile
from graph.validate import validate

from .conftest import DATA, FACTBOOK, GOLD_FLOW_FILES, SEED, SEED_2023, gold_document

HEROIN_A = "Heroin from Afghanistan crosses Kazakhstan on its way to Russia."
HEROIN_B = "Afghan heroin is smuggled through Kazakhstan to the Russian market."


def heroin(evidence: str, **extra: object) -> Flow:
    return Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=evidence,
                span=(0, len(evidence)), **extra)  # type: ignore[arg-type]  # fmt: skip


def two_reports(*flows_b: Flow) -> tuple[list[Document], list[DocumentFlows]]:
    docs = [Document("a.txt", "report", HEROIN_A, subject="KAZ", year=2021, edition="2021"),
            Document("b.txt", "report", HEROIN_B, subject="KAZ", year=2022,
                     edition="2022-11-10")]  # fmt: skip
    flows = [DocumentFlows("a.txt", "KAZ", [heroin(HEROIN_A)]),
             DocumentFlows("b.txt", "KAZ", list(flows_b) or [heroin(HEROIN_B)])]  # fmt: skip
    return docs, flows


# --- merging ------------------------------------------------------------------------------------


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_two_documents_stating_the_same_heroin_leg_make_one_flow_with_two_evidences(
    store: str,
) -> None:
    documents, flows = two_reports()
    g = rdf.build_graph(documents, [], flows, store=store)
    [flow] = set(g.subjects(RDF.type, CG.Flow))
    evidence = set(g.objects(flow, CG.evidence))
    assert {str(g.value(e, CG.text)) for e in evidence} == {HEROIN_A, HEROIN_B}
    quoted = {g.value(e, PROV.wasQuotedFrom) for e in evidence}
    assert quoted == {rdf.document_iri("a.txt"), rdf.document_iri("b.txt")}
    assert set(g.objects(flow, PROV.wasDerivedFrom)) == quoted
    counts = rdf.counts(g)
    assert (counts["flows"], counts["evidence"], counts["legs"]) == (1, 2, 2)
    edges = {(u, v): d for u, v, _, d in flow_edges(to_networkx(g))}
    assert edges[("AFG", "KAZ")]["weight"] == 2
    assert edges[("KAZ", "RUS")]["documents"] == ["a.txt", "b.txt"]
    assert validate(g).conforms


def test_the_merged_flow_gathers_the_detail_of_every_statement() -> None:
    documents, flows = two_reports(heroin(HEROIN_B, mode=["rail"], hedge="reportedly"))
    g = rdf.build_graph(documents, [], flows)
    [flow] = set(g.subjects(RDF.type, CG.Flow))
    assert set(g.objects(flow, CG.mode)) == {Literal("rail")}
    back = {d.document: d.flows for d in rdf.flows_from_graph(g)}
    assert [(f.evidence, f.hedge) for f in back["b.txt"]] == [(HEROIN_B, "reportedly")]
    assert [(f.evidence, f.hedge) for f in back["a.txt"]] == [(HEROIN_A, None)]


@pytest.mark.parametrize(
    ("change", "merged"),
    [
        ({"evidence": "Other words.", "span": (5, 17)}, True),
        ({"transit": [["KAZ"]], "mode": ["road"], "actors": ["couriers"]}, True),
        ({"commodity": "Heroin"}, True),
        ({"commodity": "opium"}, False),
        ({"destination": ["CHN"]}, False),
        ({"origin": [], "transit": ["AFG", "KAZ"]}, False),
        ({"route": "northern route"}, False),
        ({"market": "drug-trade"}, False),
    ],
)
def test_what_makes_two_statements_one_flow(change: dict[str, object], merged: bool) -> None:
    other = Flow(**{**heroin(HEROIN_B).__dict__, **change})
    assert (rdf.flow_iri(heroin(HEROIN_A)) == rdf.flow_iri(other)) is merged


def test_documents_carry_their_edition_so_queries_can_ask_by_year() -> None:
    documents, flows = two_reports(
        heroin(HEROIN_B), Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["CHN"],
                               evidence=HEROIN_B, span=(0, 10)))  # fmt: skip
    g = rdf.build_graph(documents, [], flows)
    b = rdf.document_iri("b.txt")
    assert g.value(b, CG.edition) == Literal(2022)
    assert str(g.value(b, CG.editionLabel)) == "2022-11-10"
    according_to = """
        SELECT ?to (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
          ?flow cg:destination/cg:iso3 ?to ; cg:evidence/prov:wasQuotedFrom ?doc .
          ?doc cg:edition ?year .
        } GROUP BY ?to ORDER BY ?to"""
    rows = run_query(g, according_to, {"year": "2022"}).rows
    assert rows == [{"to": "CHN", "documents": 1}, {"to": "RUS", "documents": 1}]
    rows = run_query(g, according_to, {"year": "2021"}).rows
    assert rows == [{"to": "RUS", "documents": 1}]


def test_profiles_and_factbook_snapshots_carry_year_and_edition() -> None:
    factbook = FACTBOOK / "factbook_json_2022-11-10" / "kz_kazakhstan.txt"
    result = build([SEED, factbook], extract=False)
    editions = {
        str(result.graph.value(s, CG.fileName)): (
            result.graph.value(s, CG.edition).toPython(),  # type: ignore[union-attr]
            str(result.graph.value(s, CG.editionLabel)),
        )
        for s in result.graph.subjects(RDF.type, CG.Document)
    }
    assert editions == {
        "kazakhstan-ocindex-2021.txt": (2021, "2021"),
        "cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt": (2022, "2022-11-10"),
    }


# --- the cache: a rebuild extracts only what is new ------------------------------------------

CALLS: list[str] = []


def counting_extractor(doc: Document, profile: Profile | None) -> DocumentFlows:
    """The real extractor, counting the documents it is asked for."""
    CALLS.append(doc.name)
    return extract_document(doc, profile)


def corpus(tmp: Path, n: int) -> list[Path]:
    """``n`` Factbook documents of one snapshot, copied into ``tmp``."""
    sources = sorted((FACTBOOK / "factbook_json_2022-11-10").glob("*.txt"))[:n]
    out = []
    for src in sources:
        shutil.copy(src, tmp / src.name)
        out.append(tmp / src.name)
    return out


def test_adding_a_document_to_a_built_corpus_extracts_only_that_document(tmp_path: Path) -> None:
    docs = corpus(tmp_path, 4)
    cache = tmp_path / "cache"
    CALLS.clear()
    first = build(docs[:3], cache_dir=cache, extractor=counting_extractor)
    assert len(CALLS) == 3 and (first.extracted, first.cached) == (3, 0)
    CALLS.clear()
    again = build(docs, cache_dir=cache, extractor=counting_extractor)
    assert [docs[3].name] == CALLS
    assert (again.extracted, again.cached) == (1, 3)
    fresh = build(docs, extractor=counting_extractor)
    assert set(fresh.graph) == set(again.graph)


def test_an_edited_document_is_extracted_again(tmp_path: Path) -> None:
    [doc] = corpus(tmp_path, 1)
    cache = tmp_path / "cache"
    build([doc], cache_dir=cache, extractor=counting_extractor)
    doc.write_text(doc.read_text() + "\nIllicit drugs:\ntransit point for Afghan heroin\n")
    CALLS.clear()
    build([doc], cache_dir=cache, extractor=counting_extractor)
    assert [doc.name] == CALLS


def test_parallel_extraction_builds_the_same_graph(tmp_path: Path) -> None:
    docs = corpus(tmp_path, 8)
    one = build(docs, jobs=1)
    two = build(docs, jobs=2)
    assert set(one.graph) == set(two.graph)
    assert [d.name for d in one.documents] == [d.name for d in two.documents]


# --- the error report ---------------------------------------------------------------------------


def failing_on_antigua(doc: Document, profile: Profile | None) -> DocumentFlows:
    if "antigua" in doc.name:
        raise CrimegraphError("no sentence could be read")
    return extract_document(doc, profile)


def test_unreadable_documents_are_named_and_the_rest_are_built(tmp_path: Path) -> None:
    docs = corpus(tmp_path, 3)
    empty, binary = tmp_path / "empty.txt", tmp_path / "binary.txt"
    empty.write_text("")
    binary.write_bytes(bytes(range(256)))
    reported: list[str] = []
    result = build([empty, *docs, binary], on_error=lambda e: reported.append(e.message),
                   extractor=failing_on_antigua)  # fmt: skip
    assert [e.document for e in result.errors] == [str(empty), str(docs[1]), str(binary)]
    assert "empty document" in reported[0] and "binary" in reported[2]
    assert "cannot extract flows (no sentence could be read)" in reported[1]
    assert sorted(d.name for d in result.documents) == sorted([docs[0].name, docs[2].name])


def test_a_build_reports_a_bad_store_or_job_count() -> None:
    with pytest.raises(CrimegraphError, match="unknown store 'disk'"):
        build([SEED], store="disk")
    with pytest.raises(CrimegraphError, match="at least 1"):
        build([SEED], jobs=0)


# --- the whole: documents, flows, scores, one valid graph --------------------------------------


def test_annotated_documents_and_the_score_workbook_build_one_valid_graph() -> None:
    docs = [gold_document(g) for g in GOLD_FLOW_FILES] + [SEED_2023]
    workbook = DATA / "reference" / "ocindex" / "global_oc_index__2023_dataset.csv"
    result = build(docs, flow_files=GOLD_FLOW_FILES, scores=[workbook])
    g = result.graph
    observation = CGI["observation/KAZ-2023-heroin-trade"]
    sources = {str(g.value(d, CG.fileName)) for d in g.objects(observation, PROV.wasDerivedFrom)}
    assert sources == {"kazakhstan-ocindex-2023-layout.txt", "global_oc_index__2023_dataset.csv"}
    assert len(set(g.objects(observation, CG.value))) == 1
    assert result.counts()["observations"] == 193 * 36 + 30
    report = validate(g)
    assert report.conforms, [str(v) for v in report.violations[:5]]


# --- the command --------------------------------------------------------------------------------


def test_the_build_command_reuses_its_cache_and_keeps_stderr_clean_off_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graph.cli import main

    docs = [str(p) for p in corpus(tmp_path, 3)]
    argv = ["build", *docs, "-o", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    assert main([*argv, "--jobs", "2", "--store", "memory"]) == 0
    out, err = capsys.readouterr()
    assert "flows extracted from 3 documents, 0 from the cache" in out and err == ""
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "flows extracted from 0 documents, 3 from the cache" in out and err == ""


def test_the_progress_bar_counts_documents_on_a_terminal() -> None:
    import io

    from graph.progress import Progress

    screen = io.StringIO()
    bar = Progress(2, "reading documents", stream=screen, force=True)
    bar.advance()
    bar.write("crimegraph: skipped x.txt: empty document")
    bar.advance()
    bar.close()
    drawn = screen.getvalue()
    assert "\rreading documents [" in drawn and " 1/2" in drawn and " 2/2" in drawn
    assert "\r\033[Kcrimegraph: skipped x.txt: empty document\n" in drawn
    assert drawn.endswith("\n")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_that_extracts_too_long_is_reported_and_the_build_goes_on(
    tmp_path: Path, jobs: int
) -> None:
    slow, quick = tmp_path / "slow.txt", tmp_path / "quick.txt"
    slow.write_text("Report\n\nHeroin moves from Iran to Turkey.\n", encoding="utf-8")
    quick.write_text("Report\n\nCocaine moves from Peru to Chile.\n", encoding="utf-8")
    reported: list[str] = []
    result = build(
        [slow, quick],
        extractor=_slow_on_slow_documents,
        jobs=jobs,
        document_time_limit=0.5,
        on_error=lambda e: reported.append(e.message),
    )
    assert [d.name for d in result.documents] == ["slow.txt", "quick.txt"]
    assert [f.document for f in result.flows] == ["quick.txt"]
    assert len(reported) == 1 and "stopped after 0.5 s" in reported[0]


def _slow_on_slow_documents(doc: Document, profile: Profile | None) -> DocumentFlows:
    """An extractor that hangs on documents named slow* (module level: worker processes
    receive it by name)."""
    import time

    if doc.name.startswith("slow"):
        time.sleep(5)
    return extract_document(doc, profile)
