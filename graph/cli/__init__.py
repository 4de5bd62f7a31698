"""The ``crimegraph`` command line: a thin layer over the Python API, one module per command.

Each module of this package declares one sub-command as ``COMMAND``; :data:`MODULES` is the
registry. Every user-facing failure is a :class:`~graph.errors.CrimegraphError`, printed as one
line on stderr with a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from graph import __version__
from graph.cli.base import Command
from graph.errors import CrimegraphError

#: The sub-command modules, in the order ``crimegraph --help`` lists them.
MODULES: tuple[str, ...] = (
    "profile",
    "extract",
    "build",
    "import_scores",
    "validate",
    "evaluation",
    "review",
    "draw",
    "query",
    "routes",
    "hubs",
    "neighbours",
    "serve",
    "push",
)


#: Each sub-command's name and module, so that a command imports only its own module.
NAMES: dict[str, str] = {
    "profile": "profile",
    "extract": "extract",
    "build": "build",
    "import-scores": "import_scores",
    "validate": "validate",
    "eval": "evaluation",
    "review": "review",
    "draw": "draw",
    "query": "query",
    "routes": "routes",
    "neighbours": "neighbours",
    "serve": "serve",
    "push": "push",
}


def commands() -> list[Command]:
    """The registered sub-commands."""
    return [importlib.import_module(f"graph.cli.{m}").COMMAND for m in MODULES]


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``crimegraph`` and all its sub-commands.

    With ``only`` (a command name), only that sub-command is declared: a command then loads
    nothing of the others, which keeps ``crimegraph query`` quick to start.
    """
    parser = argparse.ArgumentParser(
        prog="crimegraph",
        description="Turn organized-crime assessments into a knowledge graph of trafficking flows.",
    )
    parser.add_argument("--version", action="version", version=f"crimegraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = (
        [importlib.import_module(f"graph.cli.{NAMES[only]}").COMMAND]
        if only in NAMES
        else commands()
    )
    for cmd in chosen:
        description = cmd.help[0].upper() + cmd.help[1:] + "."
        p = sub.add_parser(cmd.name, help=cmd.help, description=description)
        cmd.declare(p)
        p.set_defaults(run=cmd.run)
    return parser


def _command_word(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names (its first word), if it names one."""
    words = [a for a in argv if not a.startswith("-")]
    return words[0] if words and argv and argv[0] == words[0] else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    given = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser(_command_word(given))
    args = parser.parse_args(given)
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
