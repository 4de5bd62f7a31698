"""A one-line progress bar on stderr, drawn only when stderr is a terminal (logs stay clean)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts done out of a total and redraws ``label [#####.....] 50% 1,000/2,000 (3.1 s)``.

    Messages written through :meth:`write` go on their own line above the bar, terminal or not.

    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progress(4, "triples", stream=out, force=True)
    >>> bar.advance(2)
    >>> bar.close()
    >>> out.getvalue().split("\\r")[-1].split(" (")[0]
    'triples [##########..........]  50% 2/4'
    """

    WIDTH = 20

    def __init__(
        self, total: int, label: str, *, stream: TextIO | None = None, force: bool = False
    ):
        self.total = max(total, 0)
        self.label = label
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = force or self.stream.isatty()
        self.started = time.monotonic()
        self._drawn = False

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more as done and redraw."""
        self.done += n
        self._draw()

    def write(self, message: str) -> None:
        """Print a message line without breaking the bar."""
        if self._drawn:
            self.stream.write("\r\033[K")
        self.stream.write(message + "\n")
        self._drawn = False
        self._draw()

    def line(self) -> str:
        """The bar as it stands."""
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        seconds = time.monotonic() - self.started
        return f"{self.label} [{bar}] {share:4.0%} {self.done:,}/{self.total:,} ({seconds:.1f} s)"

    def _draw(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line())
            self.stream.flush()
            self._drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
