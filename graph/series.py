"""Source series and passages: a sentence that many editions repeat is one source, not many.

The CIA World Factbook repeats most of its drug and trafficking sentences from one edition to
the next; counting each edition as another document makes a country stated once look stated
seven times. Here documents are grouped into source series (``data/reference/source-series.csv``,
a document no row matches being a series of its own), and the evidence of one series about one
subject whose words are the same or nearly the same (:data:`SIMILARITY` after case, punctuation
and figures are set aside) becomes one ``cg:Passage``, with ``cg:repeatedIn`` each edition's
year. Weights, hub measures and "documents stating" count distinct passages.

>>> same = near_same("Kazakhstan is a transit point for opiates from Afghanistan (2008).",
...                  "Kazakhstan is a transit point for opiates from Afghanistan")
>>> same, near_same("a source country for opium", "a destination country for cocaine")
(True, False)
>>> series_of("cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt").slug
'cia-world-factbook'
>>> series_of("my-report.txt").slug
'document-my-report-txt'
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from graph.namespaces import CG, CGI, XSD
from graph.rdf import TripleSink, document_iri, statement_evidence_iri
from graph.records import Document, DocumentFlows
from graph.refcsv import read_reference

#: Two passages of one series are one when their normalised words match at least this much
#: (``difflib`` ratio): editions that add a year or a clause stay one passage, a sentence about
#: another commodity or place does not.
SIMILARITY = 0.9


@dataclass(frozen=True)
class Series:
    """A source series: its slug, label and publisher (empty for a document of its own)."""

    slug: str
    label: str
    publisher: str = ""

    @property
    def iri(self) -> URIRef:
        return CGI[f"series/{self.slug}"]


@functools.cache
def _table() -> tuple[tuple[str, Series], ...]:
    rows = read_reference("source-series.csv", ("pattern", "series", "label"))
    return tuple(
        (r["pattern"], Series(r["series"], r["label"], r.get("publisher", ""))) for r in rows
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def series_of(name: str) -> Series:
    """The series a document name belongs to: the first matching row, else its own."""
    for pattern, series in _table():
        if fnmatch.fnmatchcase(name, pattern):
            return series
    return Series(f"document-{_slug(name) or 'unnamed'}", name)


def normalise(text: str) -> str:
    """Lower-case words only: punctuation, figures and spacing set aside.

    >>> normalise("Heroin, (2008) via  Kazakhstan!")
    'heroin via kazakhstan'
    """
    return " ".join(re.findall(r"[^\W\d_]+", text.casefold()))


def near_same(a: str, b: str) -> bool:
    """Whether two passages say the same thing in (nearly) the same words."""
    x, y = normalise(a), normalise(b)
    if x == y:
        return True
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return matcher.real_quick_ratio() >= SIMILARITY and matcher.ratio() >= SIMILARITY


@dataclass
class _Group:
    """Passages of one series about one subject, clustered as they come (in sorted order)."""

    representatives: list[str]
    members: dict[str, int]

    def assign(self, key: str) -> int:
        if key not in self.members:
            for n, rep in enumerate(self.representatives):
                if near_same(rep, key):
                    self.members[key] = n
                    break
            else:
                self.representatives.append(key)
                self.members[key] = len(self.representatives) - 1
        return self.members[key]


def add_passages(
    g: TripleSink, documents: Sequence[Document], flows: Sequence[DocumentFlows]
) -> None:
    """Give each document its series and each evidence its passage (see the module's text).

    ``g`` is a triple sink (an rdflib Graph or a set of triples). Passages are keyed by the
    series, the document's subject and the first of their words in sorted order, so the same
    documents give the same IRIs whatever order they come in.
    """
    by_name = {d.name: d for d in documents}
    texts: dict[tuple[str, str], set[str]] = defaultdict(set)
    uses: list[tuple[str, str, str, URIRef, int | None]] = []
    for doc_flows in flows:
        doc = by_name.get(doc_flows.document)
        series = series_of(doc_flows.document)
        subject = doc_flows.subject or (doc.subject if doc else None) or doc_flows.document
        year = doc.year if doc else None
        _add_series(g, doc_flows.document, series)
        for flow in doc_flows.flows:
            key = normalise(flow.evidence)
            texts[(series.slug, subject)].add(key)
            evidence = statement_evidence_iri(doc_flows.document, flow)
            uses.append((series.slug, subject, key, evidence, year))
    groups: dict[tuple[str, str], _Group] = {}
    for group_key in sorted(texts):
        group = groups[group_key] = _Group([], {})
        for key in sorted(texts[group_key]):
            group.assign(key)
    for slug, subject, key, evidence, year in uses:
        group = groups[(slug, subject)]
        representative = group.representatives[group.assign(key)]
        passage = passage_iri(slug, subject, representative)
        g.add((evidence, CG.passage, passage))
        g.add((passage, RDF.type, CG.Passage))
        g.add((passage, CG.series, CGI[f"series/{slug}"]))
        if year is not None:
            g.add((passage, CG.repeatedIn, Literal(year, datatype=XSD.integer)))


def passage_iri(series: str, subject: str, words: str) -> URIRef:
    """``cgi:passage/<hash>`` of the series, the subject and the passage's normalised words."""
    digest = hashlib.sha256(f"{series}\x00{subject}\x00{words}".encode()).hexdigest()[:20]
    return CGI[f"passage/{digest}"]


def _add_series(g: TripleSink, document: str, series: Series) -> None:
    g.add((series.iri, RDF.type, CG.SourceSeries))
    g.add((series.iri, RDFS.label, Literal(series.label)))
    if series.publisher:
        g.add((series.iri, DCTERMS.publisher, Literal(series.publisher)))
    g.add((document_iri(document), CG.series, series.iri))
