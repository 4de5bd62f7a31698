"""One build, one consistent output directory: staged beside the target, swapped in whole.

``crimegraph build -o out`` writes everything into a fresh staging folder beside ``out``
(``.out.build-<pid>-<random>``) and, only once every file is complete and checked, puts it in
place of ``out`` in one step. A reader therefore sees either the old build or the new one,
never a mix; a build that is killed leaves only its staging folder, which the next build
removes.

Two lock files beside the target coordinate processes (``flock``, released by the kernel when a
process dies, so a killed build never leaves a stale lock):

- ``.out.build.lock`` — held exclusively for a whole build: a second build into the same
  directory is refused at once with one line.
- ``.out.read.lock`` — readers (``query``, ``routes``, ``serve`` …) hold it shared while they
  have the store open; the swap takes it exclusively, waiting up to ``wait`` seconds for
  readers to finish, and fails with one line (leaving the old build untouched) otherwise.

>>> import tempfile
>>> parent = Path(tempfile.mkdtemp())
>>> with staged_build(parent / "out") as stage:
...     _ = (stage / "graph.nt").write_text("")
>>> sorted(p.name for p in (parent / "out").iterdir())
['graph.nt']
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from graph.errors import CrimegraphError

#: How long a build waits for readers of the old output to finish before it gives up.
DEFAULT_WAIT = 10.0

#: What a build writes itself; everything else in an output directory is the user's, and is
#: carried over into the new build.
BUILD_ENTRIES = frozenset(
    {"graph.ttl", "graph.jsonld", "graph.nt", "graph.graphml", "graph.gexf", "store", "build.json"}
)


def _sibling(target: Path, suffix: str) -> Path:
    return target.parent / f".{target.name}.{suffix}"


def build_lock_path(target: Path) -> Path:
    """The lock file a build of ``target`` holds for its whole run."""
    return _sibling(target, "build.lock")


def read_lock_path(target: Path) -> Path:
    """The lock file readers of ``target`` hold shared, and the swap exclusively."""
    return _sibling(target, "read.lock")


def _open_lock(path: Path) -> IO[bytes]:
    try:
        return open(path, "a+b")  # the caller closes it (and so lets the lock go)
    except OSError as exc:
        raise CrimegraphError(f"{path}: cannot create the lock file ({exc.strerror})") from exc


def _try_lock(handle: IO[bytes], kind: int) -> bool:
    try:
        fcntl.flock(handle.fileno(), kind | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold the build lock of ``target``; CrimegraphError at once if another build has it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = _open_lock(build_lock_path(target))
    try:
        if not _try_lock(handle, fcntl.LOCK_EX):
            raise CrimegraphError(
                f"{target}: another crimegraph build is writing this directory; "
                "wait for it to finish or build into another directory"
            )
        yield
    finally:
        handle.close()


class ReadLock:
    """A shared hold on a build directory: the build swaps it only when no reader holds one.

    Held from :meth:`acquire` until :meth:`release` (or the process ends). A directory whose
    parent cannot take a lock file (read-only media) is read without one.
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        self._handle: IO[bytes] | None = None

    def acquire(self, timeout: float = 60.0) -> ReadLock:
        """Take the shared lock, waiting while a build swaps the directory in."""
        try:
            handle = open(read_lock_path(self.target), "a+b")  # noqa: SIM115 - kept open
        except OSError:
            return self  # read-only parent: nothing can swap the directory under us either
        deadline = time.monotonic() + timeout
        while not _try_lock(handle, fcntl.LOCK_SH):
            if time.monotonic() > deadline:
                handle.close()
                raise CrimegraphError(f"{self.target}: a build is replacing it; try again")
            time.sleep(0.05)
        self._handle = handle
        return self

    def release(self) -> None:
        """Let a build replace the directory."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def clean_leftovers(target: Path) -> list[Path]:
    """Remove the staging and retired folders of earlier builds of ``target`` that were killed
    (call it holding the build lock); returns what was removed."""
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for pattern in (f".{target.name}.build-*", f".{target.name}.old-*"):
        for path in target.parent.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with ``renameat2(RENAME_EXCHANGE)``; False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _carry_over(old: Path, stage: Path) -> list[str]:
    """Move the user's own files (anything a build does not write) from the old output into the
    new one, so that a rebuild never deletes them; returns the names moved."""
    moved = []
    for entry in old.iterdir():
        if entry.name not in BUILD_ENTRIES and not (stage / entry.name).exists():
            os.rename(entry, stage / entry.name)
            moved.append(entry.name)
    return moved


def _replace(stage: Path, target: Path) -> None:
    """``stage`` in place of the existing directory ``target``, the old one removed."""
    moved = _carry_over(target, stage)
    try:
        if _exchange(stage, target):
            shutil.rmtree(stage, ignore_errors=True)  # ``stage`` now names the old build
            return
        retired = _sibling(target, f"old-{os.getpid()}-{secrets.token_hex(4)}")
        os.rename(target, retired)
    except BaseException:
        for name in moved:  # give the user's files back to the old build
            with contextlib.suppress(OSError):
                os.rename(stage / name, target / name)
        raise
    os.rename(stage, target)
    shutil.rmtree(retired, ignore_errors=True)


def swap_in(stage: Path, target: Path, wait: float = DEFAULT_WAIT) -> None:
    """Put the finished ``stage`` folder in place of ``target`` in one step.

    Waits up to ``wait`` seconds for readers of ``target`` to let go; raises CrimegraphError
    (``target`` unchanged) when they do not.
    """
    handle = _open_lock(read_lock_path(target))
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle, fcntl.LOCK_EX):
            if time.monotonic() > deadline:
                raise CrimegraphError(
                    f"{target}: still open in another crimegraph process (serve, query…) after "
                    f"{wait:g} s; stop it and build again (the old build is unchanged)"
                )
            time.sleep(0.1)
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise CrimegraphError(f"{target}: exists and is not a directory")
        if target.exists():
            _replace(stage, target)
        else:
            os.rename(stage, target)
    except OSError as exc:
        raise CrimegraphError(
            f"{target}: cannot put the new build in place ({exc.strerror or exc})"
        ) from exc
    finally:
        handle.close()


@contextlib.contextmanager
def staged_build(target: str | os.PathLike[str], wait: float = DEFAULT_WAIT) -> Iterator[Path]:
    """A fresh staging folder for a build of ``target``; swapped in when the block succeeds,
    removed when it fails. Holds the build lock throughout and cleans killed builds' leftovers.
    """
    out = Path(target)
    if out.exists() and not out.is_dir():
        raise CrimegraphError(f"{out}: exists and is not a directory")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CrimegraphError(f"{out}: cannot create its folder ({exc.strerror})") from exc
    with build_lock(out):
        clean_leftovers(out)
        stage = _sibling(out, f"build-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            stage.mkdir()
        except OSError as exc:
            raise CrimegraphError(
                f"{out}: output directory is not writable ({exc.strerror})"
            ) from exc
        try:
            yield stage
            swap_in(stage, out, wait)
        finally:
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)
