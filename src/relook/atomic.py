"""File-system changes that are seen whole or not at all.

A reader (the web app, a person opening the output folder, the next run) must never see
a half-written file or folder, even when the writer is killed mid-way. Everything is
written under a hidden name beside its target and put in place by one rename. A folder
that already exists is exchanged with its replacement in one step where the system
allows it (Linux `renameat2(RENAME_EXCHANGE)`); elsewhere the old folder is moved aside
first, which leaves a moment with no folder at the target.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP}


def hidden_sibling(target: Path, purpose: str) -> Path:
    """A unique hidden path beside `target` (same file system, so a rename can move it)."""
    return target.with_name(f".{target.name}.{purpose}-{uuid.uuid4().hex[:12]}")


def remove_leftovers(target: Path) -> list[Path]:
    """Hidden folders and files beside `target` left by a writer that was killed."""
    left = [
        path
        for purpose in ("partial", "old")
        for path in target.parent.glob(f".{target.name}.{purpose}-*")
    ]
    for path in left:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return left


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


def replace_dir(staged: Path, target: Path) -> None:
    """Put the complete folder `staged` at `target`; the folder it replaces is removed."""
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged)  # it now holds the old folder
        return
    old = hidden_sibling(target, "old")
    os.rename(target, old)
    os.rename(staged, target)
    shutil.rmtree(old)


@contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """A fresh hidden folder beside `target` to write into; when the block ends without an
    error it replaces `target` whole, otherwise it is removed and `target` is untouched."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = hidden_sibling(target, "partial")
    staged.mkdir()
    try:
        yield staged
        replace_dir(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Replace a small file's text in one rename, flushed to disk first."""
    with staged_file(path) as handle:
        handle.write(text)


def write_bytes(path: Path, content: bytes) -> None:
    """Replace a file's content in one rename, flushed to disk first."""
    with _staged_path(path) as staged, staged.open("wb") as handle:
        handle.write(content)
        _flush(handle)


@contextmanager
def staged_file(target: Path) -> Iterator[IO[str]]:
    """A text file to stream into, beside `target`; when the block ends without an error it
    is flushed to disk and put at `target` by one rename, otherwise it is removed and
    `target` is untouched. A reader never sees a half-written file."""
    with (
        _staged_path(target) as staged,
        staged.open("w", encoding="utf-8", newline="\n") as handle,
    ):
        yield handle
        _flush(handle)


@contextmanager
def _staged_path(target: Path) -> Iterator[Path]:
    """A hidden path beside `target` that becomes `target` by one rename when the block ends
    without an error (after the caller has closed its file), and is removed otherwise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = hidden_sibling(target, "partial")
    try:
        yield staged
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _flush(handle: IO[str] | IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())
