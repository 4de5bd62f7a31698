"""``crimegraph validate``: SHACL validation of a built graph."""

from __future__ import annotations

import argparse
from typing import Any

from graph.cli.base import Command, emit


def run(args: argparse.Namespace) -> int:
    from graph.load import load_graph
    from graph.validate import validate

    g = load_graph(args.graph)
    result = validate(g)
    if result.conforms:
        emit(f"{args.graph}: conforms ({len(g)} triples)")
        return 0
    emit(result.text if args.verbose else _violations_summary(result))
    return 1


def _violations_summary(result: Any) -> str:
    lines = [f"does not conform: {len(result.violations)} violation(s)"]
    for v in result.violations:
        lines.append(f"  {v.focus} {v.path or ''}: {v.message}")
    return "\n".join(lines)


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", help="a graph file (.ttl, .nt, .jsonld) or a build directory")
    p.add_argument("-v", "--verbose", action="store_true", help="print pySHACL's full report")


COMMAND = Command(
    "validate", "check a built graph against the SHACL shapes of ontology/shapes.ttl", declare, run
)
