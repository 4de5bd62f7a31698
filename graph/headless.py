"""Open a page in headless Chromium (the system's, driven by Playwright) and watch it load.

Used by the browser tests, the layout benchmark and the README screenshot. Playwright is a
test dependency, imported only here; the browser is Debian's ``chromium``, never a download.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import CrimegraphError

#: Where Debian installs Chromium; ``CRIMEGRAPH_CHROMIUM`` names another binary.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: Flags that keep Chromium from reaching out on its own (updates, sync, field trials).
QUIET_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> Path | None:
    """The Chromium binary to drive, if one is installed."""
    named = os.environ.get("CRIMEGRAPH_CHROMIUM", DEFAULT_CHROMIUM)
    if Path(named).is_file() and os.access(named, os.X_OK):
        return Path(named)
    found = shutil.which("chromium")
    return Path(found) if found else None


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``), closed on exit."""
    binary = chromium_path()
    if binary is None:
        raise CrimegraphError(
            "no Chromium found (apt-get install chromium, or set CRIMEGRAPH_CHROMIUM)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise CrimegraphError(
            "Playwright is not installed (pip install 'crimegraph[export]')"
        ) from exc
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(binary), args=list(QUIET_FLAGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLoad:
    """What happened while a page loaded: errors, requests, and when its layout was done."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    #: Milliseconds from navigation start until the page said its layout was done.
    layout_ms: float = 0.0
    #: Seconds from asking for the page until its layout was done, as measured outside.
    wall_s: float = 0.0


def open_page(
    browser: Any,
    path: str | os.PathLike[str],
    *,
    width: int = 1400,
    height: int = 900,
    timeout_ms: int = 60_000,
) -> tuple[Any, PageLoad]:
    """Open a crimegraph page from a file and wait until its layout is done.

    Returns the Playwright ``Page`` (still open) and what was seen while it loaded.
    """
    url = Path(path).resolve().as_uri()
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = PageLoad(url)

    def on_console(message: Any) -> None:
        if message.type == "error":
            seen.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: seen.console_errors.append(str(e)))
    page.on("request", lambda r: seen.requests.append(r.url))
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-layout=done]", state="attached", timeout=timeout_ms)
    seen.wall_s = time.perf_counter() - start
    seen.layout_ms = float(page.evaluate("window.crimegraph.state.layoutMs"))
    return page, seen
