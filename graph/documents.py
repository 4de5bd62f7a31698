"""Load a document from disk: detect its kind (profile or plain report), subject and year."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import CrimegraphError
from graph.ingest import STDIN, STDIN_NAME, read_source
from graph.places import load_gazetteer
from graph.profile import is_profile, parse_profile
from graph.records import Document, Profile

#: The repository's bundled data; document names are given relative to its folders of documents.
DATA_DIR = Path(os.environ.get("CRIMEGRAPH_DATA", Path(__file__).resolve().parent.parent / "data"))
DOCUMENT_ROOTS = ("documents", "corpus")

_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:-(\d\d)-(\d\d))?(?!\d)")

OC_INDEX_PUBLISHER = (
    "Global Initiative Against Transnational Organized Crime (Organized Crime Index)"
)


@dataclass
class LoadedDocument:
    """A document and, for an Organized Crime Index profile, its parsed profile."""

    document: Document
    profile: Profile | None = None


def document_name(path: str | os.PathLike[str]) -> str:
    """A stable name for a document: its path under a bundled data folder, else its file name.

    >>> document_name(DATA_DIR / "corpus" / "cia_factbook" / "x" / "kz_kazakhstan.txt")
    'cia_factbook/x/kz_kazakhstan.txt'
    >>> document_name("/tmp/report.txt")
    'report.txt'
    """
    p = Path(path).resolve()
    for root in DOCUMENT_ROOTS:
        base = (DATA_DIR / root).resolve()
        if p.is_relative_to(base):
            return p.relative_to(base).as_posix()
    return p.name


def edition_from_path(path: str | os.PathLike[str]) -> tuple[int | None, str | None]:
    """The year and edition label that a file's path carries (``factbook_json_2022-11-10``).

    >>> edition_from_path("cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt")
    (2022, '2022-11-10')
    >>> edition_from_path("notes/report.txt")
    (None, None)
    """
    found = None
    for part in Path(path).parts:
        for m in _DATE.finditer(part):
            found = m
    if found is None:
        return None, None
    return int(found.group(1)), found.group(0)


def title_line(text: str) -> str | None:
    """The first non-empty line of a report, which names what the report is about."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


#: A country name inside the name of a sea ("English Channel") names no subject.
_SEA_NAME = re.compile(r"\s+(?:Sea|Ocean|Gulf|Channel|Straits?|Bight)\b")


def title_subject(title: str) -> str | None:
    """The country a report's title line is about: the title is the country's name ("Kazakhstan"),
    or names exactly one country ("Peru: a drug-market assessment", "Chile's new
    port controls"); a title naming several countries, or only regions, has none.

    >>> title_subject("Ports and brokers: why Ecuador matters to cocaine traders")
    'ECU'
    >>> title_subject("Cocaine to Japan, Fiji and the Pacific") is None
    True
    """
    gazetteer = load_gazetteer()
    code = gazetteer.lookup(title)
    if code is not None and gazetteer.is_country(code):
        return code
    named = {
        m.code
        for m in gazetteer.find(title)
        if m.kind == "country" and m.via in ("name", "alias") and not _SEA_NAME.match(title, m.end)
    }
    return named.pop() if len(named) == 1 else None


def load_document(
    path: str | os.PathLike[str],
    *,
    subject: str | None = None,
    edition: int | None = None,
    name: str | None = None,
) -> LoadedDocument:
    """Read a file and classify it: an Organized Crime Index profile or a plain report.

    The file may be plain text, PDF, HTML or Word (:mod:`graph.ingest`); ``-`` reads standard
    input. The document's text is the text read from it, which spans and evidence refer to.

    A profile's subject is its country; a report's subject is the country its title line names,
    or ``subject`` when given (an ISO3 code or a country name). ``name`` is the document's
    identity in the graph (:func:`graph.docnames.named_inputs`); :func:`document_name` by
    default.
    """
    source = read_source(path)
    text = source.text
    name = name or (STDIN_NAME if str(path) == STDIN else document_name(path))
    gazetteer = load_gazetteer()
    forced = gazetteer.country(subject).iso3 if subject else None
    if is_profile(text):
        profile = parse_profile(text, name, edition=edition)
        doc = Document(
            name=name,
            kind="profile",
            text=text,
            subject=forced or profile.iso3,
            title=f"{profile.country} — Organized Crime Index {profile.edition}",
            year=profile.edition,
            edition=str(profile.edition),
            path=str(path),
            publisher=OC_INDEX_PUBLISHER,
            source_format=source.format,
            source_digest=source.source_digest,
        )
        return LoadedDocument(doc, profile)
    title = title_line(text)
    if forced is None and title is not None:
        forced = title_subject(title)
    # Standard input has no path to take an edition from (``build`` spools it to a temp file).
    year, label = edition_from_path(path) if name != STDIN_NAME else (None, None)
    if edition is not None:
        year, label = edition, str(edition)
    doc = Document(
        name=name,
        kind="report",
        text=text,
        subject=forced,
        title=title,
        year=year,
        edition=label,
        path=str(path),
        source_format=source.format,
        source_digest=source.source_digest,
    )
    return LoadedDocument(doc)


def expand_paths(items: list[str]) -> list[Path]:
    """Files named directly, every document under a folder, and glob patterns, in order."""
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            from graph.docnames import _in_folder

            out.extend(_in_folder(p))
        elif any(ch in item for ch in "*?["):
            matches = (
                sorted(Path().glob(item))
                if not p.is_absolute()
                else sorted(Path(p.anchor).glob(str(p.relative_to(p.anchor))))
            )
            if not matches:
                raise CrimegraphError(f"{item}: no file matches")
            out.extend(m for m in matches if m.is_file())
        else:
            out.append(p)
    seen: dict[Path, None] = {}
    for p in out:
        seen.setdefault(p, None)
    return list(seen)
