"""``crimegraph profile``: parse an Organized Crime Index country profile."""

from __future__ import annotations

import argparse

from graph.cli.base import Command, emit
from graph.tables import render_json, render_table


def run(args: argparse.Namespace) -> int:
    from graph.documents import document_name
    from graph.ingest import STDIN, STDIN_NAME, read_source
    from graph.profile import parse_profile

    text = read_source(args.document).text
    name = STDIN_NAME if args.document == STDIN else document_name(args.document)
    profile = parse_profile(text, name, edition=args.edition)
    if args.format == "json":
        emit(render_json(profile.to_dict()))
    else:
        rows = [
            {"indicator": slug, "score": value, "change": profile.changes.get(slug)}
            for slug, value in profile.scores.items()
        ]
        emit(f"{profile.country} ({profile.iso3}), Organized Crime Index {profile.edition}")
        emit(render_table(rows))
    return 0


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "document",
        help="a country-profile page saved as text, HTML, PDF or Word; - for standard input",
    )
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument(
        "--edition", type=int, choices=(2021, 2023), help="override the detected edition"
    )


COMMAND = Command(
    "profile", "parse an Organized Crime Index country profile (2021 or 2023 layout)", declare, run
)
