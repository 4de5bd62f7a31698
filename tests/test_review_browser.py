"""The review page in a real headless Chromium: a reviewer rejects one flow, corrects another
and adds a missed one by selecting its words, saves the corrections file (a download), and the
next `build --corrections` holds all three, attributed to the reviewer.

Locally the tests skip when Chromium is not installed; in CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.build import build
from graph.headless import open_page
from graph.query import run_query
from graph.review import write_review

#: A report with a character outside the BMP before its flows (offsets are code points, the
#: page's strings UTF-16), markup that must stay text, two flows the extractor reads and a
#: sentence it misses.
TEXT = (
    "Drug report \U0001f30d <script>window.pwned = 1</script> & <b>notes</b>\n\n"
    "Heroin is smuggled from Afghanistan via Tajikistan to Russia. "
    "Cocaine is shipped from Colombia to Spain by sea.\n"
    "Local dealers sell synthetic pills bought from suppliers abroad.\n"
)
MISSED = "Local dealers sell synthetic pills bought from suppliers abroad."

FLOWS_BY_REVIEW = """
SELECT ?market ?origin ?destination ?action ?who WHERE {
  ?flow cg:market ?m ; cg:evidence ?e .
  OPTIONAL { ?flow cg:origin/cg:iso3 ?origin }
  OPTIONAL { ?flow cg:destination/cg:iso3 ?destination }
  OPTIONAL {
    ?e prov:wasAttributedTo/rdfs:label ?who ; cg:reviewAction ?a ; prov:generatedAtTime ?t
  }
  BIND(STRAFTER(STR(?m), "vocab/") AS ?market)
  BIND(COALESCE(STRAFTER(STR(?a), "#"), "machine-read") AS ?action)
} ORDER BY ?market"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def select_words(page: Any, words: str) -> None:
    """Select ``words`` in the page's text as a reader would with the mouse."""
    page.evaluate(
        """words => {
            const node = [...document.querySelectorAll("#cg-text > *")]
                .find(el => el.textContent.includes(words)).firstChild;
            const at = node.textContent.indexOf(words);
            const range = document.createRange();
            range.setStart(node, Math.max(0, at - 1));  // with the newline before: trimmed
            range.setEnd(node, at + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        words,
    )
    page.wait_for_selector("#cg-add:not([disabled])")


@pytest.fixture(scope="module")
def saved(browser: Any, report: Path) -> Path:
    """The corrections file a reviewer saves after a reject, an edit and an add, by clicking."""
    page_path = write_review(report, report.parent / "review.html").path
    assert page_path is not None
    page, seen = open_page(browser, page_path)
    assert seen.console_errors == []
    assert seen.requests == [seen.url]
    assert page.evaluate("window.pwned") is None
    assert "<script>window.pwned = 1</script>" in page.inner_text("#cg-text")

    page.fill("#cg-reviewer", "Rosa Reviewer")
    page.click("#cg-flow-1 .cg-reject")
    page.click("#cg-flow-0 .cg-edit")
    page.fill("#cg-destination", "Kazakhstan")
    page.click("#cg-form-ok")
    select_words(page, MISSED)
    page.click("#cg-add")
    page.select_option("#cg-market", "synthetic-drug-trade")
    page.fill("#cg-commodity", "synthetic pills")
    page.fill("#cg-origin", "NLD")
    page.fill("#cg-destination", "KAZ")
    page.click("#cg-form-ok")
    statuses = page.eval_on_selector_all("#cg-flows li", "els => els.map(e => e.dataset.status)")
    assert statuses == ["corrected", "rejected"]
    assert page.inner_text("#cg-stats").endswith("1 added")

    folder = report.parent / "corrections"
    folder.mkdir()
    with page.expect_download() as download:
        page.click("#cg-save")
    assert download.value.suggested_filename == "report.txt.corrections.json"
    target = folder / download.value.suggested_filename
    download.value.save_as(target)
    page.close()
    return target


def test_the_saved_file_holds_the_three_decisions_at_their_code_point_spans(
    saved: Path,
) -> None:
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["reviewer"] == "Rosa Reviewer"
    assert [c["action"] for c in data["corrections"]] == ["edit", "reject", "add"]
    edit, _, add = data["corrections"]
    assert edit["flow"] == {"destination": ["KAZ"]}
    start = TEXT.index(MISSED)
    assert (add["span"], add["quote"]) == ([start, start + len(MISSED)], MISSED)


def test_the_next_build_reflects_the_reject_the_edit_and_the_add_with_attribution(
    saved: Path, report: Path
) -> None:
    result = build([report], corrections=saved.parent, store="oxigraph", extract=True)
    assert result.notices == []
    rows = run_query(result.graph, FLOWS_BY_REVIEW).rows
    assert rows == [
        {"market": "heroin-trade", "origin": "AFG", "destination": "KAZ",
         "action": "corrected", "who": "Rosa Reviewer"},
        {"market": "synthetic-drug-trade", "origin": "NLD", "destination": "KAZ",
         "action": "added", "who": "Rosa Reviewer"},
    ]  # fmt: skip


def test_the_page_reopens_with_the_saved_decisions(browser: Any, saved: Path, report: Path) -> None:
    again = write_review(report, report.parent / "again.html", corrections=saved.parent)
    assert again.path is not None and again.notices == []
    page, _ = open_page(browser, again.path)
    statuses = page.eval_on_selector_all("#cg-flows li", "els => els.map(e => e.dataset.status)")
    assert statuses == ["corrected", "rejected"]
    assert page.input_value("#cg-reviewer") == "Rosa Reviewer"
    assert len(page.evaluate("window.crimegraph.corrections().corrections")) == 3
    page.close()


def test_saving_without_a_name_asks_for_one_and_downloads_nothing(
    browser: Any, report: Path
) -> None:
    page_path = write_review(report, report.parent / "anonymous.html").path
    page, _ = open_page(browser, page_path)
    downloads: list[Any] = []
    page.on("download", lambda d: downloads.append(d))
    page.click("#cg-flow-0 .cg-accept")
    page.click("#cg-save")
    assert "Give your name first" in page.inner_text("#cg-message")
    page.wait_for_timeout(300)  # a download would have started by now
    assert downloads == []
    page.close()


def test_accept_every_flow_not_reviewed(browser: Any, report: Path) -> None:
    page_path = write_review(report, report.parent / "rest.html").path
    page, _ = open_page(browser, page_path)
    page.click("#cg-flow-1 .cg-reject")
    page.click("#cg-accept-rest")
    statuses = page.eval_on_selector_all("#cg-flows li", "els => els.map(e => e.dataset.status)")
    assert statuses == ["accepted", "rejected"]
    page.close()


def test_earlier_decisions_that_no_longer_apply_are_shown_and_kept_or_left_out(
    browser: Any, report: Path
) -> None:
    """A decision on a flow no longer read is shown and saved again; one whose words are gone is
    shown as not applying, and not saved."""
    heroin = "Heroin is smuggled from Afghanistan via Tajikistan to Russia."
    start = TEXT.index(heroin)
    earlier = {
        "crimegraph": "corrections", "version": 1, "document": "report.txt",
        "text_digest": "0" * 64, "reviewer": "Ed Earlier", "saved": "2026-12-01T09:00:00Z",
        "corrections": [
            {"action": "reject", "span": [start, start + len(heroin)], "quote": heroin,
             "target": {"market": "heroin-trade", "origin": ["PAK"], "destination": ["RUS"]}},
            {"action": "add", "span": [0, 9], "quote": "Old words",
             "flow": {"market": "drug-trade", "origin": ["MEX"]}},
        ],
    }  # fmt: skip
    folder = report.parent / "earlier"
    folder.mkdir()
    (folder / "report.txt.corrections.json").write_text(json.dumps(earlier))
    made = write_review(report, report.parent / "earlier.html", corrections=folder)
    assert [n.kind for n in made.notices] == ["stale"]
    assert made.path is not None
    page, _ = open_page(browser, made.path)
    assert "reject heroin-trade from PAK to RUS" in page.inner_text("#cg-carried")
    assert "Old words" in page.inner_text("#cg-dropped")
    saved = page.evaluate("window.crimegraph.corrections()")
    assert [(c["action"], c["quote"], c["reviewer"]) for c in saved["corrections"]] == [
        ("reject", heroin, "Ed Earlier")
    ]
    assert saved["reviewer"] == "Ed Earlier" and saved["text_digest"] != "0" * 64
    page.close()


def test_a_highlight_is_reached_with_the_keyboard(browser: Any, report: Path) -> None:
    page_path = write_review(report, report.parent / "keys.html").path
    page, _ = open_page(browser, page_path)
    page.focus("mark.cg-flow >> nth=1")
    page.keyboard.press("Enter")
    assert page.get_attribute("#cg-flow-1", "class") == "cg-card cg-current"
    page.close()


# --- review --serve: the page saves into the corrections folder --------------------------------


@pytest.fixture
def served(report: Path, tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    from graph.documents import load_document
    from graph.extract import extract_document
    from graph.reviewserve import ReviewSite, start

    loaded = load_document(report)
    flows = list(extract_document(loaded.document, loaded.profile).flows)
    folder = tmp_path / "served"
    running = start(ReviewSite(loaded.document, flows, folder))
    yield running, folder
    running.stop()


def test_a_served_page_saves_into_the_folder_and_reloads_with_it(
    browser: Any, served: tuple[Any, Path]
) -> None:
    running, folder = served
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(running.url)
    page.wait_for_selector("body[data-layout=done]", state="attached")
    page.fill("#cg-reviewer", "Sam Server")
    page.click("#cg-flow-1 .cg-reject")
    page.click("#cg-save")
    page.locator("#cg-message", has_text="Saved 1 corrections to").wait_for()
    saved = json.loads((folder / "report.txt.corrections.json").read_text(encoding="utf-8"))
    assert [(c["action"], c["target"]["market"]) for c in saved["corrections"]] == [
        ("reject", "cocaine-trade")
    ]
    assert requests == [running.url, running.url + "save"]
    page.reload()
    page.wait_for_selector("body[data-layout=done]", state="attached")
    statuses = page.eval_on_selector_all("#cg-flows li", "els => els.map(e => e.dataset.status)")
    assert statuses == ["read", "rejected"]
    page.close()


def test_the_server_takes_only_its_own_documents_corrections_from_its_own_address(
    served: tuple[Any, Path],
) -> None:
    import httpx

    running, folder = served
    good = {"crimegraph": "corrections", "version": 1, "document": "report.txt",
            "text_digest": "0" * 64, "reviewer": "X", "saved": "2026-12-03T10:00:00Z",
            "corrections": []}  # fmt: skip
    save = running.url + "save"
    other_text = httpx.post(save, json=good)
    assert other_text.status_code == 400 and "another text" in other_text.text
    assert httpx.post(save, json={"crimegraph": "x"}).status_code == 400
    assert httpx.post(running.url.rsplit("/", 2)[0] + "/guess/save", json=good).status_code == 404
    rebinding = httpx.get(running.url, headers={"Host": "evil.example"})
    assert rebinding.status_code == 421
    assert not list(folder.glob("*.json"))
