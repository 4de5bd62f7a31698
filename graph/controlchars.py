"""Text from elsewhere (a server's error message, a client's Host header) made safe to print on a
terminal: ANSI escape sequences and control characters removed, on one line.

A hostile or broken server could otherwise move the cursor, rewrite the screen or set the
window title of whoever reads crimegraph's error line.
"""

from __future__ import annotations

import re

#: ANSI escape sequences (CSI, OSC) and every other C0/C1 control character and DEL.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|[\x00-\x1f\x7f-\x9f]"
)


def printable(text: str) -> str:
    """``text`` on one line without terminal control sequences or control characters.

    >>> printable("bad \\x1b[31mred\\x1b[0m\\nline\\x07")
    'bad red line'
    >>> printable("title \\x1b]0;pwned\\x07 set")
    'title set'
    """
    return " ".join(_CONTROL.sub(" ", text).split())
