"""The ``crimegraph`` command line: a thin layer over the Python API, one function per command.

Every user-facing failure is a :class:`~graph.errors.CrimegraphError`, printed as one line on
stderr with a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import __version__
from graph.errors import CrimegraphError
from graph.tables import render_json, render_table


@dataclass(frozen=True)
class Command:
    """A sub-command: its name, one-line help, how it declares its arguments, and its runner."""

    name: str
    help: str
    declare: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _print(text: str) -> None:
    sys.stdout.write(text + ("\n" if text and not text.endswith("\n") else ""))


# --- profile -------------------------------------------------------------------------------


def run_profile(args: argparse.Namespace) -> int:
    from graph.documents import document_name
    from graph.fileio import read_document
    from graph.profile import parse_profile

    text = read_document(args.document)
    profile = parse_profile(text, document_name(args.document), edition=args.edition)
    if args.format == "json":
        _print(render_json(profile.to_dict()))
    else:
        rows = [
            {"indicator": slug, "score": value, "change": profile.changes.get(slug)}
            for slug, value in profile.scores.items()
        ]
        _print(f"{profile.country} ({profile.iso3}), Organized Crime Index {profile.edition}")
        _print(render_table(rows))
    return 0


def _profile_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", help="a country-profile page saved as text")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument(
        "--edition", type=int, choices=(2021, 2023), help="override the detected edition"
    )


# --- extract -------------------------------------------------------------------------------


def run_extract(args: argparse.Namespace) -> int:
    from graph.documents import load_document
    from graph.extract import extract_document

    loaded = load_document(args.document, subject=args.subject)
    result = extract_document(loaded.document, loaded.profile)
    if args.format == "json":
        _print(render_json(result.to_dict()))
    elif args.format == "jsonl":
        for f in result.flows:
            row = {"document": result.document, "subject": result.subject, **f.to_dict()}
            _print(json.dumps(row, ensure_ascii=False))
    else:
        rows = [
            {
                "market": f.market,
                "commodity": f.commodity,
                "origin": f.origin,
                "transit": f.transit,
                "destination": f.destination,
                "hedge": f.hedge,
                "evidence": f.evidence,
            }
            for f in result.flows
        ]
        _print(f"{result.document}: subject {result.subject or '-'}, {len(rows)} flows")
        if rows:
            _print(render_table(rows, max_width=args.width))
    return 0


def _extract_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", help="a text document (OC Index profile or plain report)")
    p.add_argument("--subject", help="ISO3 code or name of the country the document is about")
    p.add_argument("--format", choices=("json", "jsonl", "table"), default="json")
    p.add_argument("--width", type=int, default=60, help="cell width of --format table")


# --- build ---------------------------------------------------------------------------------


def run_build(args: argparse.Namespace) -> int:
    from graph.build import build, bundled_documents, write_outputs
    from graph.documents import expand_paths

    paths: list[Path] = expand_paths(args.documents)
    if args.bundled:
        paths += bundled_documents()
    if not paths and not args.flows:
        raise CrimegraphError("nothing to build: give documents, --flows files or --bundled")
    _check_output_dir(args.output)

    def report(err: Any) -> None:
        print(f"crimegraph: skipped {err.message}", file=sys.stderr)

    result = build(paths, flow_files=args.flows, extract=not args.no_extract, on_error=report)
    if not result.documents:
        raise CrimegraphError("no document could be read; nothing written")
    written = write_outputs(result.graph, args.output)
    counts = result.counts()
    _print(
        "built {documents} documents: {countries} countries, {flows} flows, {legs} legs, "
        "{observations} observations, {triples} triples".format(**counts)
    )
    for name, path in written.items():
        _print(f"  {name:<14} {path}")
    if result.errors:
        _print(f"{len(result.errors)} document(s) could not be read (listed above)")
        return 1
    return 0


def _check_output_dir(path: str) -> None:
    from graph.fileio import ensure_writable_dir

    ensure_writable_dir(path)


def _build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("documents", nargs="*", help="documents, folders of .txt files, or globs")
    p.add_argument(
        "--flows",
        action="append",
        default=[],
        metavar="FILE.json",
        help="a flow file (spec/flows.md format) to use instead of extraction for its document",
    )
    p.add_argument("--bundled", action="store_true", help="add every document bundled in data/")
    p.add_argument("--no-extract", action="store_true", help="take flows only from --flows files")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")


# --- validate ------------------------------------------------------------------------------


def run_validate(args: argparse.Namespace) -> int:
    from graph.load import load_graph
    from graph.validate import validate

    g = load_graph(args.graph)
    result = validate(g)
    if result.conforms:
        _print(f"{args.graph}: conforms ({len(g)} triples)")
        return 0
    _print(result.text if args.verbose else _violations_summary(result))
    return 1


def _violations_summary(result: Any) -> str:
    lines = [f"does not conform: {len(result.violations)} violation(s)"]
    for v in result.violations:
        lines.append(f"  {v.focus} {v.path or ''}: {v.message}")
    return "\n".join(lines)


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument("-v", "--verbose", action="store_true", help="print pySHACL's full report")


# --- eval ----------------------------------------------------------------------------------


def run_eval(args: argparse.Namespace) -> int:
    from graph.evaluate import evaluate_files

    gold = [g for g in args.gold if not g.endswith(".profile.json")]
    if not gold:
        raise CrimegraphError("no gold flow file given (profile score files are not flow files)")
    report = evaluate_files(gold, predictions=args.predictions)
    if args.format == "json":
        _print(render_json(report.as_dict()))
        return 0
    rows = []
    for d in report.documents:
        s = d.scores
        rows.append(
            {
                "document": d.document,
                "country P": round(s.country_legs.precision, 3),
                "country R": round(s.country_legs.recall, 3),
                "country F1": round(s.country_legs.f1, 3),
                "region F1": round(s.region_legs.f1, 3),
                "roles F1": round(s.roles.f1, 3),
            }
        )
    t = report.total
    rows.append(
        {
            "document": "micro-average",
            "country P": round(t.country_legs.precision, 3),
            "country R": round(t.country_legs.recall, 3),
            "country F1": round(t.country_legs.f1, 3),
            "region F1": round(t.region_legs.f1, 3),
            "roles F1": round(t.roles.f1, 3),
        }
    )
    _print(render_table(rows))
    for d in report.documents:
        if d.missed_legs or d.extra_legs:
            _print(f"\n{d.document}")
            for leg in d.missed_legs:
                _print(f"  missed  {leg.market}: {leg.source} → {leg.target}")
            for leg in d.extra_legs:
                _print(f"  extra   {leg.market}: {leg.source} → {leg.target}")
    return 0


def _eval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold", nargs="+", help="gold flow files (JSON, spec/flows.md format)")
    p.add_argument(
        "--predictions",
        metavar="DIR",
        help="a folder of flow files to score; default: extract each gold file's document",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")


# --- main ----------------------------------------------------------------------------------


COMMANDS: tuple[Command, ...] = (
    Command(
        "profile",
        "parse an Organized Crime Index country profile (2021 or 2023 layout)",
        _profile_args,
        run_profile,
    ),
    Command(
        "extract",
        "extract trafficking flows from a profile or a plain report",
        _extract_args,
        run_extract,
    ),
    Command(
        "build",
        "build the RDF graph (and its NetworkX projection) from documents",
        _build_args,
        run_build,
    ),
    Command(
        "validate",
        "check a built graph against the SHACL shapes of ontology/shapes.ttl",
        _validate_args,
        run_validate,
    ),
    Command(
        "eval",
        "score extracted flows against hand-annotated gold files",
        _eval_args,
        run_eval,
    ),
)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``crimegraph`` and all its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="crimegraph",
        description="Turn organized-crime assessments into a knowledge graph of trafficking flows.",
    )
    parser.add_argument("--version", action="version", version=f"crimegraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in COMMANDS:
        description = cmd.help[0].upper() + cmd.help[1:] + "."
        p = sub.add_parser(cmd.name, help=cmd.help, description=description)
        cmd.declare(p)
        p.set_defaults(run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except CrimegraphError as exc:
        print(f"crimegraph: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("crimegraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``crimegraph extract ... | head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug of ours: still one line, the traceback only on request
        if os.environ.get("CRIMEGRAPH_DEBUG"):
            raise
        print(
            f"crimegraph: internal error: {type(exc).__name__}: {exc} "
            "(set CRIMEGRAPH_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
