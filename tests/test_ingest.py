"""Documents in PDF, HTML and Word (issue 16): made here at test time from the bundled text, read
to the same profile and flows as the text, bad files refused in one line, ``-`` for stdin."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal

from graph.cli import main
from graph.digests import bytes_digest, text_digest
from graph.documents import DATA_DIR, load_document
from graph.evaluate import evaluate_document, read_gold
from graph.extract import extract_document
from graph.ingest import read_bytes, read_source
from graph.ingest.html import main_text
from graph.ingest.pdflayout import Word, page_text
from graph.namespaces import CG
from tests.docmaker import (
    docx_of,
    html_page,
    paragraphs_of,
    pdf_of,
    pdf_pages,
    two_column_pdf,
    wrap,
)

KAZAKHSTAN = DATA_DIR / "documents" / "kazakhstan-ocindex-2021.txt"
GOLD = DATA_DIR / "gold"
REPORT = (
    "Kazakhstan is a waypoint for heroin from Afghanistan bound for Russia. "
    "Cocaine from Colombia reaches Spain through the ports of Ecuador."
)

#: How each format is made from paragraphs of text.
MAKERS: dict[str, Callable[[list[str]], bytes]] = {
    "pdf": pdf_of,
    "docx": docx_of,
    "html": lambda paragraphs: html_page(paragraphs).encode("utf-8"),
}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def kazakhstan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Kazakhstan profile as text and, made from it, as PDF, Word and a web page."""
    folder = tmp_path_factory.mktemp("kazakhstan")
    paragraphs = paragraphs_of(KAZAKHSTAN.read_text(encoding="utf-8"))
    files = {"txt": KAZAKHSTAN}
    for fmt, make in MAKERS.items():
        files[fmt] = folder / f"kazakhstan-ocindex-2021.{fmt}"
        files[fmt].write_bytes(make(paragraphs))
    return files


# --- choosing a reader -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"%PDF-1.7\n", "report.pdf", "pdf"),
        (b"%PDF-1.7\n", "report.txt", "pdf"),  # the signature wins over the name
        (b"%PDF-1.7\n", "-", "pdf"),
        (b"PK\x03\x04", "report.bin", "docx"),
        (b"<!DOCTYPE html><html><body>", "page.txt", "html"),
        (b"<p>heroin</p>", "notes.txt", "text"),  # a tag in a text file stays text
        (b"<p>heroin</p>", "page.htm", "html"),
        (b"<div>heroin</div>", "-", "html"),  # no name: weak signs decide
        (b"heroin from Afghanistan", "page.html", "html"),
        (b"heroin from Afghanistan", "notes.md", "text"),
        (b"heroin from Afghanistan", "-", "text"),
    ],
)
def test_the_reader_is_chosen_by_content_then_name(head: bytes, name: str, expected: str) -> None:
    from graph.ingest.registry import choose

    assert choose(head, Path(name).suffix).name == expected


# --- the same profile and flows from every format --------------------------------------------


def _comparable(profile: dict[str, Any]) -> dict[str, Any]:
    """A profile without its document's name, its narrative sections' white space collapsed
    (the text copy indents its paragraphs)."""
    sections = {k: " ".join(v.split()) for k, v in profile["sections"].items()}
    return {**profile, "document": None, "sections": sections}


@pytest.mark.parametrize("edition", ["2021", "2023-layout"])
@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_a_profile_in_any_format_gives_the_scores_of_its_text(
    fmt: str, edition: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"kazakhstan-ocindex-{edition}"
    text = (DATA_DIR / "documents" / f"{name}.txt").read_text(encoding="utf-8")
    document = tmp_path / f"{name}.{fmt}"
    document.write_bytes(MAKERS[fmt](paragraphs_of(text)))
    status, out, _ = _run(["profile", str(document)], capsys)
    assert status == 0
    _, from_text, _ = _run(["profile", str(DATA_DIR / "documents" / f"{name}.txt")], capsys)
    assert _comparable(json.loads(out)) == _comparable(json.loads(from_text))
    gold = json.loads((GOLD / f"{name}.profile.json").read_text(encoding="utf-8"))
    assert {key: json.loads(out)[key] for key in gold if key != "document"} == {
        key: value for key, value in gold.items() if key != "document"
    }


def test_a_profile_page_without_a_main_element_loses_only_its_furniture() -> None:
    from graph.profile import parse_profile

    text = KAZAKHSTAN.read_text(encoding="utf-8")
    page = html_page(paragraphs_of(text)).replace("<main", "<div").replace("</main>", "</div>")
    read = read_bytes(page.encode("utf-8"), "page.html").text
    assert "cookies" not in read and "Privacy policy" not in read and "Ranking" not in read
    from_page, from_text = parse_profile(read, "k"), parse_profile(text, "k")
    assert _comparable(from_page.to_dict()) == _comparable(from_text.to_dict())


def _f1s(path: Path) -> list[float]:
    """Country-leg, region-leg and role F1 of the flows read from ``path`` against the gold."""
    gold = read_gold(GOLD / "kazakhstan-ocindex-2021.json")
    loaded = load_document(path)
    flows = extract_document(loaded.document, loaded.profile)
    for flow in flows.flows:  # evidence and spans refer to the text read from the file
        assert flow.span is not None
        assert loaded.document.text[flow.span[0] : flow.span[1]] == flow.evidence
    scores = evaluate_document(gold, flows).scores
    return [scores.country_legs.f1, scores.region_legs.f1, scores.roles.f1]


@pytest.fixture(scope="module")
def text_f1s() -> list[float]:
    return _f1s(KAZAKHSTAN)


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_a_profile_in_any_format_gives_flows_at_least_as_good(
    fmt: str, kazakhstan: dict[str, Path], text_f1s: list[float]
) -> None:
    for got, baseline in zip(_f1s(kazakhstan[fmt]), text_f1s, strict=True):
        assert got >= baseline


# --- what each reader keeps and leaves out ---------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (["A"], ["C"]),
        (["A", "B"], ["C", "D"]),  # both columns break a paragraph at the same height
        (["A", "B"], ["C"]),  # the right column ends early
    ],
)
def test_a_two_column_pdf_is_read_column_by_column(left: list[str], right: list[str]) -> None:
    paragraphs = {
        "A": "Heroin from Afghanistan crosses Tajikistan and Kazakhstan on its way to Russia.",
        "B": "Synthetic drugs are made in small laboratories near the capital, police say.",
        "C": "Cocaine from Colombia reaches Spain through the ports of Ecuador and Brazil.",
        "D": "Cannabis resin from Morocco crosses the strait to Spain in fast boats.",
    }

    def column(keys: list[str]) -> list[str]:
        # Blank rows after a paragraph: wider than the gaps under the title and above the footer.
        return [line for key in keys for line in [*wrap(paragraphs[key], 30), "", "", ""]]

    footer = "Global report on drug routes, 2023 edition, chapter 2"
    data = two_column_pdf("Drug routes in 2023", column(left), column(right), footer)
    expected = ["Drug routes in 2023", *(paragraphs[k] for k in left + right), footer]
    assert read_bytes(data, "two-columns.pdf").text.split("\n\n") == expected


def test_a_long_pdf_loses_its_page_footers_and_keeps_paragraphs_across_pages() -> None:
    sentence = "Heroin from Afghanistan crosses Kazakhstan on its way to Russia, officials say"
    paragraphs = [", and ".join([sentence] * 12) + "." for _ in range(20)]
    data = pdf_of(paragraphs, footer="Drug routes 2023")
    text = read_bytes(data, "long.pdf").text
    assert pdf_pages(data) >= 3
    assert text == "\n\n".join(paragraphs)


def test_a_web_page_gives_its_main_text_without_banner_menus_sidebar_or_footer() -> None:
    text = main_text(html_page(["Kazakhstan", REPORT]))
    assert text == f"Kazakhstan\n\n{REPORT}"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<body><p>Heroin <b>trade</b><br>grows.</p><ul><li>one</li><li>two</li></ul></body>",
         "Heroin trade\ngrows.\n\none\n\ntwo"),
        ("<body><div class='cookie-consent'>Accept cookies</div><article><h1>Peru</h1>"
         "<header>By a reporter</header><p>Coca.</p></article></body>",
         "Peru\n\nBy a reporter\n\nCoca."),  # an article's own header is kept
        ("<body><header>Site</header><p hidden>secret</p><p style='display: none'>x</p>"
         "<p aria-hidden='true'>y</p><table><tr><td>Heroin</td><td>6.50</td></tr></table></body>",
         "Heroin\n\n6.50"),
        ("<body>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</body>", "deep"),
    ],
)  # fmt: skip
def test_html_blocks_become_paragraphs(page: str, expected: str) -> None:
    assert main_text(page) == expected


def test_a_word_document_gives_its_body_without_header_and_footer() -> None:
    data = docx_of(["Heroin from Afghanistan.", "", "Cocaine from Peru."], heading="Routes")
    assert (
        read_bytes(data, "r.docx").text
        == "Routes\n\nHeroin from Afghanistan.\n\nCocaine from Peru."
    )


def test_pdf_lines_join_into_paragraphs_and_hyphenated_words_mend() -> None:
    def line(y: float, *words: str) -> list[Word]:
        out, x = [], 0.0
        for w in words:
            out.append(Word(w, x, y, x + 6 * len(w), y + 12))
            x += 6 * len(w) + 3
        return out

    words = [
        *line(700, "Heroin", "crosses", "the", "country", "by", "traf-"),
        *line(686, "ficking", "routes", "north", "towards", "the", "border"),
        *line(672, "with", "Russia."),
        *line(640, "Cocaine", "arrives", "by", "sea."),
    ]
    assert page_text(words) == (
        "Heroin crosses the country by trafficking routes north towards the border with Russia."
        "\n\nCocaine arrives by sea."
    )


# --- standard input --------------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_extract_reads_a_pdf_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, pdf_of([REPORT], heading="Kazakhstan"))
    status, out, _ = _run(["extract", "-", "--format", "jsonl"], capsys)
    flows = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert {(f["document"], f["market"], tuple(f["origin"])) for f in flows} >= {
        ("stdin", "heroin-trade", ("AFG",))
    }


def test_profile_reads_a_web_page_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kazakhstan: dict[str, Path]
) -> None:
    _stdin(monkeypatch, kazakhstan["html"].read_bytes())
    status, out, _ = _run(["profile", "-"], capsys)
    assert status == 0
    assert json.loads(out)["scores"]["heroin-trade"] == 6.5


def test_build_reads_standard_input_and_keeps_what_it_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = docx_of([REPORT], heading="Kazakhstan")
    report = tmp_path / "docs" / "report.txt"
    report.parent.mkdir()
    report.write_text(REPORT, encoding="utf-8")
    _stdin(monkeypatch, data)
    argv = ["build", "-", str(report.parent), "--no-cache", "-o", str(tmp_path / "out")]
    status, _, err = _run(argv, capsys)
    assert status == 0, err
    kept = (tmp_path / "out" / "texts" / "stdin.txt").read_text(encoding="utf-8")
    assert kept == f"Kazakhstan\n\n{REPORT}"
    g = Graph().parse(tmp_path / "out" / "graph.nt")
    by_name = {str(g.value(d, CG.fileName)): d for d in g.subjects(CG.sourceFormat, None)}
    assert set(by_name) == {"stdin", "report.txt"}
    stdin = by_name["stdin"]
    assert g.value(stdin, CG.sourceFormat) == Literal("docx")
    assert g.value(stdin, CG.sourceDigest) == Literal(bytes_digest(data))
    assert g.value(stdin, CG.textDigest) == Literal(text_digest(kept))
    assert g.value(stdin, CG.textFile) == Literal("texts/stdin.txt")
    assert g.value(by_name["report.txt"], CG.textFile) is None  # a text file is what was read
    assert not (tmp_path / "out" / "texts" / "report.txt.txt").exists()


# --- bad files: one line, non-zero exit; a build goes on -------------------------------------


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Heroin from Afghanistan.")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    return bytes(pdf.output())


def _scanned_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a picture of a page, no text
    return bytes(pdf.output())


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return out.getvalue()


def _huge_pdf(path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk


@dataclass(frozen=True)
class Bad:
    """A bad document: its name, how it is made, what the one line says."""

    name: str
    make: Callable[[Path], None]
    says: str


BAD = [
    Bad("encrypted.pdf", lambda p: p.write_bytes(_encrypted_pdf()), "encrypted PDF"),
    Bad("scanned.pdf", lambda p: p.write_bytes(_scanned_pdf()), "no text layer"),
    Bad("truncated.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj <<"), "not a readable PDF"),
    Bad("huge.pdf", _huge_pdf, "209.7 MB is larger than the 105 MB limit for pdf documents"),
    Bad(
        "empty-page.html",
        lambda p: p.write_text(html_page([]).replace("<main", "<main hidden"), encoding="utf-8"),
        "HTML page with no main text",
    ),
    Bad(
        "archive.docx",
        lambda p: p.write_bytes(_zip({"notes.txt": b"heroin"})),
        "zip archive without word/document.xml, not a Word document",
    ),
    Bad(
        "old.docx",
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        "a Word 97-2003 (.doc) or password-protected",
    ),
    Bad("broken.docx", lambda p: p.write_bytes(b"PK\x03\x04 not really"), "damaged zip archive"),
]


@pytest.mark.parametrize("command", ["extract", "profile"])
@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_a_bad_file_gets_one_line_and_a_non_zero_exit(
    bad: Bad, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / bad.name
    bad.make(path)
    status, out, err = _run([command, str(path)], capsys)
    assert (status, out) == (1, "")
    assert err == f"crimegraph: error: {path}: {bad.says}" + err.split(bad.says, 1)[1]
    assert err.count("\n") == 1


def test_a_word_archive_that_unpacks_too_large_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from graph.errors import CrimegraphError

    monkeypatch.setattr("graph.ingest.docx.MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(CrimegraphError, match=r"unpacks to .* more than the"):
        read_bytes(docx_of([REPORT]), "big.docx")


def test_build_goes_on_past_bad_files_and_reports_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for bad in BAD:
        bad.make(docs / bad.name)
    (docs / "good.pdf").write_bytes(pdf_of([REPORT], heading="Kazakhstan"))
    (docs / "good.html").write_bytes(html_page(["Kazakhstan", REPORT]).encode())
    (docs / "README.md").write_text("not a report", encoding="utf-8")  # folders skip .md
    out_dir = tmp_path / "out"
    status, out, err = _run(["build", str(docs), "--no-cache", "-o", str(out_dir)], capsys)
    assert status == 1
    skipped = [line for line in err.splitlines() if line.startswith("crimegraph: skipped")]
    assert len(skipped) == len(BAD)
    for bad in BAD:
        assert any(bad.says in line for line in skipped), bad.name
    built = json.loads((out_dir / "build.json").read_text())["counts"]["documents"]
    assert built == 2
    assert sorted(p.name for p in (out_dir / "texts").iterdir()) == [
        "good.html.txt",
        "good.pdf.txt",
    ]
    assert f"{len(BAD)} document(s) could not be read" in out


def test_read_source_refuses_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    from graph.errors import CrimegraphError

    with pytest.raises(CrimegraphError, match="no such file"):
        read_source(tmp_path / "missing.pdf")
    with pytest.raises(CrimegraphError, match="is a directory"):
        read_source(tmp_path)


def test_build_stops_reading_a_document_past_its_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import time

    import graph.build

    real = graph.build.load_document

    def slow_on_pdfs(path: str, **options: Any) -> Any:
        if path.endswith(".pdf"):
            time.sleep(30)  # a PDF whose layout would take very long
        return real(path, **options)

    monkeypatch.setattr(graph.build, "load_document", slow_on_pdfs)
    (tmp_path / "slow.pdf").write_bytes(pdf_of([REPORT]))
    (tmp_path / "quick.txt").write_text(REPORT, encoding="utf-8")
    started = time.monotonic()
    result = graph.build.build(
        [tmp_path / "slow.pdf", tmp_path / "quick.txt"], extract=False, document_time_limit=0.5
    )
    assert time.monotonic() - started < 10
    assert [d.name for d in result.documents] == ["quick.txt"]
    assert [e.message.split(": ", 1)[1] for e in result.errors] == [
        "reading stopped after 0.5 s (--document-time-limit)"
    ]


@pytest.mark.parametrize(
    ("predicate", "value", "says"),
    [
        (CG.sourceFormat, "rtf", "read from one format"),
        (CG.textDigest, "not-a-digest", "SHA-256 in hexadecimal"),
        (CG.textFile, "/etc/passwd", "one path under texts/"),
    ],
)
def test_the_document_shape_checks_what_was_read(predicate: Any, value: str, says: str) -> None:
    from rdflib import URIRef

    from graph import rdf
    from graph.errors import CrimegraphError
    from graph.records import Document
    from graph.selfcheck import check_documents

    doc = Document("r.pdf", "report", REPORT, source_format="pdf", source_digest="0" * 64)
    g = rdf.build_graph([doc], [], [], include_vocabulary=False)
    check_documents(g, ["r.pdf"])  # as read: conforms
    iri = URIRef(rdf.document_iri("r.pdf"))
    g.set((iri, predicate, Literal(value)))
    with pytest.raises(CrimegraphError, match=says):
        check_documents(g, ["r.pdf"])
