"""HTML: the main text of a saved web page, without its menus, banners, sidebars and footer.

The page is parsed with selectolax (lexbor). Reading starts at ``<main>`` (or the ARIA main
landmark, or the page's one ``<article>``), else at ``<body>``; elements that are page
furniture by tag, ARIA role, or a word of their id or class (``cookie-banner``, ``main-menu``)
are skipped — the vocabulary is ``html_vocabulary.csv`` beside this module. Each block element
(heading, paragraph, list item, table cell) becomes one paragraph, separated by blank lines;
``<br>`` a line break. A page with no text left is refused.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graph.errors import CrimegraphError
from graph.ingest.registry import Reader, Sniff

#: Saved pages can carry inline images; larger files are refused before parsing.
MAX_HTML_BYTES = 50 * 1024 * 1024

VOCABULARY = Path(__file__).with_name("html_vocabulary.csv")

_DOCTYPE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_TAG = re.compile(rb"<(?:html|head|body|title|meta|p|div|h[1-6]|article|main)\b", re.I)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_WORD = re.compile(r"[a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass(frozen=True)
class Vocabulary:
    """What is page furniture and what starts a paragraph (see ``html_vocabulary.csv``)."""

    skip_tags: frozenset[str]
    outside_main_tags: frozenset[str]
    skip_roles: frozenset[str]
    skip_words: frozenset[str]
    block_tags: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary of ``html_vocabulary.csv``."""
    kinds: dict[str, set[str]] = {}
    with VOCABULARY.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kinds.setdefault(row["kind"], set()).add(row["value"].strip().lower())
    return Vocabulary(
        *(
            frozenset(kinds.get(k, ()))
            for k in ("skip_tag", "outside_main_tag", "skip_role", "skip_word", "block_tag")
        )
    )


def sniff(head: bytes) -> Sniff:
    """A page that opens with ``<!DOCTYPE html>`` or ``<html>`` is HTML whatever its name;
    one that only has HTML tags near its start is HTML when its name does not say otherwise."""
    if _DOCTYPE.match(head):
        return Sniff.STRONG
    return Sniff.WEAK if _TAG.search(head[:1024]) else Sniff.NO


def decode(data: bytes) -> str:
    """The page's characters: by its byte-order mark, its ``<meta charset>``, else UTF-8 (and
    Windows-1252, the web's fallback, for bytes that are not UTF-8)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _is_furniture(node: Any, vocab: Vocabulary, in_main: bool) -> bool:
    """Whether an element is page furniture: by tag, role, hiding, or a word of its id/class."""
    tag = node.tag
    if tag in vocab.skip_tags or (tag in vocab.outside_main_tags and not in_main):
        return True
    attrs = node.attributes
    if (attrs.get("role") or "").strip().lower() in vocab.skip_roles:
        return True
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if _HIDDEN_STYLE.search(attrs.get("style") or ""):
        return True
    names = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
    return any(word in vocab.skip_words for word in _WORD.findall(names))


def _main(tree: Any) -> tuple[Any, bool]:
    """Where reading starts, and whether that is the page's main content (not its body)."""
    for selector in ("main", "[role=main]"):
        node = tree.css_first(selector)
        if node is not None and node.text(deep=True).strip():
            return node, True
    articles = tree.css("article")
    if len(articles) == 1 and articles[0].text(deep=True).strip():
        return articles[0], True
    return tree.body, False


def _lines(parts: list[str]) -> str:
    """Inline text collected for one paragraph, white space collapsed, ``<br>`` kept."""
    lines = (" ".join(piece.split()) for piece in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def main_text(page: str) -> str:
    """The main text of an HTML page: paragraphs separated by blank lines."""
    from selectolax.lexbor import LexborHTMLParser

    vocab = vocabulary()
    tree = LexborHTMLParser(page)
    root, in_main = _main(tree)
    if root is None:
        return ""
    paragraphs: list[str] = []
    parts: list[str] = []

    def close() -> None:
        text = _lines(parts)
        parts.clear()
        if text:
            paragraphs.append(text)

    # Depth first over an explicit stack: deeply nested markup must not exhaust recursion.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            close()
            continue
        if node.is_text_node:
            parts.append(node.text_content or "")
            continue
        if not node.is_element_node or (node is not root and _is_furniture(node, vocab, in_main)):
            continue
        if node.tag == "br":
            parts.append("\n")
            continue
        if node.tag == "pre":
            close()
            paragraphs.append(node.text(deep=True).strip("\n"))
            continue
        if node.tag in vocab.block_tags:
            close()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    close()
    return "\n\n".join(paragraphs)


def read(data: bytes, label: str) -> str:
    """The main text of a saved web page; a page without any is refused."""
    text = main_text(decode(data))
    if not text.strip():
        raise CrimegraphError(
            f"{label}: HTML page with no main text (only menus, banners, scripts or nothing)"
        )
    return text


READER = Reader(
    name="html",
    extensions=(".html", ".htm", ".xhtml"),
    max_bytes=MAX_HTML_BYTES,
    sniff=sniff,
    read=read,
    folder_extensions=(".html", ".htm"),
)
