"""Make PDF, Word and HTML documents at test time from paragraphs of text (fpdf2, python-docx),
so that tests and benchmarks need no binary files in the repository."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: A Unicode TrueType font for PDFs (Debian's fonts-dejavu-core / fonts-liberation); without
#: one, the PDF uses Helvetica and the text is folded into Latin-1.
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)
_LATIN1 = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "..."})


def paragraphs_of(text: str) -> list[str]:
    """The non-empty lines of a text file, each one paragraph (how the profile copy is laid out)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _pdf(font_size: float = 10, footer: str | None = None) -> tuple[Any, bool]:
    from fpdf import FPDF

    class Paged(FPDF):
        def footer(self) -> None:
            if footer:
                self.set_y(-12)
                self.cell(0, 5, f"{footer} | page {self.page_no()}", align="C")

    pdf = Paged(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    font = next((f for f in FONTS if f.exists()), None)
    if font is not None:
        pdf.add_font("body", fname=str(font))
        pdf.set_font("body", size=font_size)
    else:
        pdf.set_font("Helvetica", size=font_size)
    return pdf, font is not None


def _fold(text: str, unicode: bool) -> str:
    return (
        text if unicode else text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
    )


def pdf_of(
    paragraphs: Sequence[str], *, heading: str | None = None, footer: str | None = None
) -> bytes:
    """A one-column PDF: each paragraph wrapped to the page width, a gap after it; with
    ``footer``, that line and the page number at the foot of every page."""
    pdf, unicode = _pdf(footer=footer)
    pdf.add_page()
    if heading:
        pdf.set_font_size(16)
        pdf.multi_cell(0, 8, _fold(heading, unicode), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(10)
        pdf.ln(4)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 5, _fold(paragraph, unicode), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def two_column_pdf(
    title: str, left: Sequence[str], right: Sequence[str], footer: str | None = None
) -> bytes:
    """A page with a full-width title over two columns, drawn row by row across both columns
    (as some PDF writers do), so a reader that follows the content stream interleaves them; an
    empty line leaves its row blank; ``footer`` is a full-width line under the columns."""
    pdf, unicode = _pdf()
    pdf.add_page()
    pdf.set_xy(15, 15)
    pdf.cell(0, 8, _fold(title, unicode))
    rows = max(len(left), len(right))
    for i in range(rows):
        for x, lines in ((15, left), (110, right)):
            if i < len(lines) and lines[i]:
                pdf.set_xy(x, 30 + 5 * i)
                pdf.cell(85, 5, _fold(lines[i], unicode))
    if footer:
        pdf.set_xy(15, 40 + 5 * rows)
        pdf.cell(0, 5, _fold(footer, unicode))
    return bytes(pdf.output())


def wrap(text: str, width: int = 45) -> list[str]:
    """``text`` broken into lines of at most ``width`` characters, at spaces."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def docx_of(paragraphs: Sequence[str], *, heading: str | None = None) -> bytes:
    """A Word document: an optional heading, one paragraph per item, a header and footer line."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Running header: not part of the text"
    section.footer.paragraphs[0].text = "Page footer: not part of the text"
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def html_page(paragraphs: Sequence[str], *, title: str = "Report") -> str:
    """A web page as sites make them: a cookie banner, a site header with a menu, the text in
    ``<main>`` (short lines as headings), a sidebar, a footer and scripts."""
    body = "\n".join(
        f"<h3>{html.escape(p)}</h3>"
        if len(p.split()) <= 3 and not p[-1:].isdigit()
        else f"<p>{html.escape(p)}</p>"
        for p in paragraphs
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>.cookie-banner {{ position: fixed; }}</style>
<script>window.dataLayer = [{{"event": "cookie consent"}}];</script></head>
<body>
<div id="onetrust-banner-sdk" class="cookie-banner" role="dialog">
  <p>We use cookies to improve your experience. Accept all cookies or manage your choices.</p>
  <button>Accept all</button><button>Reject</button>
</div>
<header class="site-header"><a href="/">The Organized Crime Index</a>
  <nav class="main-menu"><ul><li><a href="/ranking">Ranking</a></li>
  <li><a href="/countries">Countries</a></li>
  <li><a href="/about">About the Index</a></li></ul></nav>
</header>
<main id="content">
{body}
</main>
<aside class="sidebar"><h4>Related</h4><p>Heroin trafficking from Afghanistan to Europe.</p></aside>
<footer><p>© Global Initiative Against Transnational Organized Crime. Privacy policy.</p>
  <ul class="social"><li>Twitter</li><li>Facebook</li></ul></footer>
<script>console.log("analytics");</script>
</body></html>
"""


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has (to check that a made document runs over several)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()
