"""Build one RDF graph from documents, flow files and score workbooks; write every output format.

Documents are loaded and their flows extracted one by one (or by ``jobs`` worker processes),
re-using a :class:`~graph.cache.RecordCache` so that a rebuild extracts only new or changed
documents. A document that cannot be read or extracted is reported and left out; the rest go on.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph

from graph import rdf
from graph.cache import RecordCache, extractor_fingerprint
from graph.corrections import CorrectionIndex, Notice, correct_all, corrections_in
from graph.documents import DATA_DIR, LoadedDocument, document_name, load_document
from graph.errors import CrimegraphError
from graph.evaluate import pair_documents
from graph.fileio import atomic_write, ensure_writable_dir, read_document
from graph.network import flatten_for_export, to_networkx
from graph.records import Document, DocumentFlows, Profile
from graph.store import add_triples, check_store, serialize
from graph.workbook import ScoreSheet, add_sheets, read_scores

#: The outputs ``crimegraph build`` writes, by file name.
OUTPUT_FILES = ("graph.ttl", "graph.jsonld", "graph.nt", "graph.graphml", "graph.gexf")

#: How a document's flows are extracted: ``graph.extract.extract_document`` unless told.
Extractor = Callable[[Document, Profile | None], DocumentFlows]


@dataclass
class BuildError:
    """A document that could not be read, and why."""

    document: str
    message: str


@dataclass
class BuildResult:
    """The built graph and the records it was built from."""

    graph: Graph
    documents: list[Document] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    flows: list[DocumentFlows] = field(default_factory=list)
    errors: list[BuildError] = field(default_factory=list)
    scores: list[ScoreSheet] = field(default_factory=list)
    #: Documents whose flows the extractor computed in this build, and those the cache gave.
    extracted: int = 0
    cached: int = 0
    #: Corrections that did not apply as written (``--corrections``), and how many of each
    #: action applied.
    notices: list[Notice] = field(default_factory=list)
    corrected: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """What the graph holds: documents, countries, flows, evidence, legs, observations,
        triples."""
        return rdf.counts(self.graph)


def bundled_documents(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every document bundled in ``data/``: the profiles and the plain-report corpus."""
    docs = sorted((data_dir / "documents").glob("*.txt"))
    docs += sorted((data_dir / "corpus").rglob("*.txt"))
    return docs


def read_flow_file(path: str | os.PathLike[str]) -> DocumentFlows:
    """Read a flow file in the format of ``spec/flows.md`` (what ``crimegraph extract`` prints)."""
    text = read_document(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CrimegraphError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    from graph.flowshape import shape_problem

    problem = shape_problem(data)
    if problem:
        raise CrimegraphError(f"{path}: not a flow file ({problem})")
    try:
        return DocumentFlows.from_dict(data)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise CrimegraphError(f"{path}: malformed flow record ({exc})") from exc


# --- one document: load, then extract or take from the cache ---------------------------------


@dataclass(frozen=True)
class _Task:
    path: str
    name: str
    extract: bool
    extractor: Extractor | None
    cache: RecordCache | None
    #: Seconds one document's extraction may take (None: no limit).
    time_limit: float | None = None


@dataclass
class _Outcome:
    path: str
    loaded: LoadedDocument | None = None
    flows: DocumentFlows | None = None
    error: str | None = None
    extracted: bool = False


def _process(task: _Task) -> _Outcome:
    """Load one document and get its flows; a failure is returned, not raised."""
    try:
        # Reading a PDF, web page or Word file is parsing too: it shares the time limit.
        with _time_limit(task.time_limit):
            loaded = load_document(task.path, name=task.name)
    except _TooLong:
        message = (
            f"{task.path}: reading stopped after {task.time_limit:g} s (--document-time-limit)"
        )
        return _Outcome(task.path, error=message)
    except CrimegraphError as exc:
        return _Outcome(task.path, error=str(exc))
    if not task.extract or task.extractor is None:
        return _Outcome(task.path, loaded)
    doc = loaded.document
    cached = task.cache.get(doc) if task.cache is not None else None
    if cached is not None:
        return _Outcome(task.path, loaded, cached)
    try:
        with _time_limit(task.time_limit):
            flows = task.extractor(doc, loaded.profile)
    except _TooLong:
        message = (
            f"{task.path}: extraction stopped after {task.time_limit:g} s "
            "(--document-time-limit); the document is kept without flows"
        )
        return _Outcome(task.path, loaded, error=message)
    except CrimegraphError as exc:
        return _Outcome(task.path, error=f"{task.path}: cannot extract flows ({exc})")
    except Exception as exc:  # a bug on one document must not end a corpus build
        if os.environ.get("CRIMEGRAPH_DEBUG"):
            raise
        return _Outcome(task.path, error=f"{task.path}: extraction failed ({exc!r:.200})")
    if task.cache is not None:
        task.cache.put(doc, flows)
    return _Outcome(task.path, loaded, flows, extracted=True)


class _TooLong(Exception):
    """A document's extraction ran past its time limit."""


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_TooLong` in this (main) thread after ``seconds`` (SIGALRM, Unix)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _outcomes(tasks: list[_Task], jobs: int) -> Iterator[_Outcome]:
    """Each task's outcome in order: in this process, or spread over ``jobs`` processes."""
    if any(t.extract for t in tasks):
        _warm_up()  # forked workers inherit it; no document's time limit pays for it
    if jobs <= 1 or len(tasks) < 2:
        yield from map(_process, tasks)
        return
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(tasks) // (jobs * 8)))
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        yield from pool.map(_process, tasks, chunksize=chunk)


def _warm_up() -> None:
    """Load the extractor's data once (before forking, and outside any document's time)."""
    from graph.extract.lexicon import load_lexicon
    from graph.localities import load_localities
    from graph.places import load_gazetteer

    load_gazetteer()
    load_lexicon()
    load_localities()


def _default_extractor() -> Extractor:
    from graph.extract import extract_document

    return extract_document


def _pair_flow_files(
    given: list[DocumentFlows], paths: Sequence[str | os.PathLike[str]], names: Sequence[str]
) -> tuple[dict[str, DocumentFlows], list[DocumentFlows]]:
    """Which document (by path) each flow file states the flows of, and the flow files of
    documents that were not given."""
    if not given:
        return {}, []
    named = [DocumentFlows(name, None) for name in names]
    path_of = {id(n): str(p) for n, p in zip(named, paths, strict=True)}
    covered: dict[str, DocumentFlows] = {}
    unmatched: list[DocumentFlows] = []
    for stated, match in pair_documents(given, named):
        if match is None:
            unmatched.append(stated)
        else:
            covered[path_of[id(match)]] = stated
    return covered, unmatched


# --- the whole build ------------------------------------------------------------------------


def build(
    paths: Sequence[str | os.PathLike[str]],
    *,
    flow_files: Sequence[str | os.PathLike[str]] = (),
    extract: bool = True,
    on_error: Callable[[BuildError], None] | None = None,
    scores: Sequence[str | os.PathLike[str]] = (),
    store: str = "memory",
    jobs: int = 1,
    cache_dir: str | os.PathLike[str] | None = None,
    extractor: Extractor | None = None,
    on_document: Callable[[], None] | None = None,
    names: Sequence[str] | None = None,
    document_time_limit: float | None = None,
    corrections: str | os.PathLike[str] | None = None,
) -> BuildResult:
    """Documents → records → one RDF graph on ``store``.

    Each document is parsed (profile scores and facts) and its flows extracted, unless a flow
    file names it: then that file's flows are used instead. With ``cache_dir``, extracted flows
    are kept there and re-used for unchanged documents. ``scores`` are Index workbooks (.xlsx
    or .csv) whose scores join the same country IRIs. A document that cannot be read is
    reported in ``errors`` (and to ``on_error``) and the build goes on with the rest;
    ``on_document`` is called once per document done (for a progress bar). ``names`` are the
    documents' names in the graph, one per path (:func:`graph.docnames.named_inputs`); by
    default each path's :func:`~graph.documents.document_name`. A document whose extraction
    takes longer than ``document_time_limit`` seconds is reported and kept without flows.
    ``corrections`` is a folder of corrections files (``docs/corrections.md``), applied to the
    flows of the documents they belong to; what did not apply as written is in ``notices``.
    """
    check_store(store)
    if jobs < 1:
        raise CrimegraphError(f"--jobs must be at least 1, not {jobs}")
    sheets = [sheet for path in scores for sheet in read_scores(path)]
    reviewed = CorrectionIndex(corrections_in(corrections)) if corrections is not None else None
    given = [read_flow_file(f) for f in flow_files]
    if names is None:
        names = [document_name(p) for p in paths]
    elif len(names) != len(paths):
        raise CrimegraphError("build: one name per document path is needed")
    covered, unmatched = _pair_flow_files(given, paths, names)

    chosen = extractor or (_default_extractor() if extract else None)
    cache = None
    if cache_dir is not None and chosen is not None:
        cache = RecordCache(Path(cache_dir), extractor_fingerprint(chosen))
    tasks = [
        _Task(str(p), name, extract and str(p) not in covered, chosen, cache, document_time_limit)
        for p, name in zip(paths, names, strict=True)
    ]
    result = BuildResult(graph=Graph())
    by_doc: dict[str, DocumentFlows] = {}
    for outcome in _outcomes(tasks, jobs):
        if on_document is not None:
            on_document()
        if outcome.loaded is None:
            err = BuildError(outcome.path, outcome.error or f"{outcome.path}: cannot be read")
            result.errors.append(err)
            if on_error is not None:
                on_error(err)
            continue
        if outcome.error is not None:  # read, but its flows could not be extracted in time
            err = BuildError(outcome.path, outcome.error)
            result.errors.append(err)
            if on_error is not None:
                on_error(err)
        doc = outcome.loaded.document
        result.documents.append(doc)
        if outcome.loaded.profile is not None:
            result.profiles.append(outcome.loaded.profile)
        given_flows = covered.get(outcome.path)
        if given_flows is not None:
            subject = given_flows.subject or doc.subject
            by_doc[doc.name] = DocumentFlows(doc.name, subject, given_flows.flows)
        elif outcome.flows is not None:
            by_doc[doc.name] = outcome.flows
            result.extracted += outcome.extracted
            result.cached += not outcome.extracted
    failed = {err.document for err in result.errors}
    unmatched += [stated for path, stated in covered.items() if path in failed]
    for stated in unmatched:
        # A flow file for a document that was not given: keep its flows under its own name.
        stub = Document(name=stated.document, kind="report", text="", subject=stated.subject)
        result.documents.append(stub)
        by_doc[stated.document] = stated
    if reviewed is not None:
        by_doc, result.notices, result.corrected = correct_all(result.documents, by_doc, reviewed)
    result.flows = [by_doc[d.name] for d in result.documents if d.name in by_doc]
    result.graph = rdf.build_graph(result.documents, result.profiles, result.flows, store=store)
    if sheets:
        triples: set[rdf.Triple] = set()
        add_sheets(triples, sheets)
        add_triples(result.graph, triples)
        result.scores = sheets
    return result


def text_copies(documents: Sequence[Document]) -> dict[str, str]:
    """The text read from each document that was not plain text (PDF, HTML, Word), by the path
    a build keeps it at (:func:`graph.docnames.text_copy_name`), so a user sees what was read."""
    from graph.docnames import text_copy_name

    return {
        text_copy_name(d.name): d.text
        for d in documents
        if d.source_format not in (None, "text") and d.text
    }


def write_outputs(
    g: Graph,
    out_dir: str | os.PathLike[str],
    *,
    documents: Sequence[str] | None = None,
    wait: float | None = None,
    texts: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Write Turtle, JSON-LD, N-Triples, GraphML, GEXF and the persistent store (``store/``,
    ``build.json``) as one new ``out_dir``, and ``texts`` (relative path → text: the text read
    from each PDF, HTML or Word document, :func:`text_copies`) beside them.

    Everything is written into a staging folder beside ``out_dir`` and swapped in whole
    (:mod:`graph.builddir`): a reader sees the old build or the new one, never a mix, and a
    second build into the same folder at the same time is refused. With ``documents`` (the
    names of the documents read), the graph is first checked against the document and evidence
    shapes (:mod:`graph.selfcheck`) and nothing is written when it does not conform.
    """
    from graph.builddir import DEFAULT_WAIT, staged_build
    from graph.diskstore import write_store

    if documents is not None:
        from graph.selfcheck import check_documents

        check_documents(g, documents)
    target = Path(out_dir)
    try:
        with staged_build(target, DEFAULT_WAIT if wait is None else wait) as stage:
            names = write_files(g, stage)
            for relative, text in (texts or {}).items():
                with atomic_write(Path(stage) / relative) as fh:
                    fh.write(text)
            write_store(stage, rdf.counts(g))
    except OSError as exc:  # a full disk, a folder gone: the old build stays as it was
        raise CrimegraphError(f"{target}: cannot write the build ({exc.strerror or exc})") from exc
    kept = ["texts"] if texts else []
    return {name: target / name for name in (*names, *kept, "store")}


def write_files(g: Graph, out_dir: str | os.PathLike[str]) -> list[str]:
    """Write the graph's five export files into ``out_dir`` (each atomically); their names.

    Control characters that XML 1.0 cannot hold are escaped in GraphML and GEXF
    (:func:`graph.xmltext.xml_safe_graph`), so that every export parses in its reference reader.
    """
    from graph.xmltext import xml_safe_graph

    out = ensure_writable_dir(out_dir)
    for name, fmt in (("graph.ttl", "turtle"), ("graph.jsonld", "json-ld"), ("graph.nt", "nt")):
        with atomic_write(out / name) as fh:
            fh.write(serialize(g, fmt))
    flat = xml_safe_graph(flatten_for_export(to_networkx(g)))
    with atomic_write(out / "graph.graphml", "wb") as fb:
        nx.write_graphml(flat, fb)
    with atomic_write(out / "graph.gexf", "wb") as fb:
        nx.write_gexf(flat, fb)
    return list(OUTPUT_FILES)
