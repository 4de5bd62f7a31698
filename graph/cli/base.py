"""What every sub-command module shares: the Command record and the output function."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A sub-command: its name, one-line help, how it declares its arguments, and its runner."""

    name: str
    help: str
    declare: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def emit(text: str) -> None:
    """Print a result on stdout, ending it with a newline."""
    sys.stdout.write(text + ("\n" if text and not text.endswith("\n") else ""))
