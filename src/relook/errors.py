"""Errors that reach a user as one clear line (no traceback unless --debug)."""

from __future__ import annotations

from pathlib import Path


class RelookError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits with `exit_code`."""

    exit_code = 2


class InputFileError(RelookError):
    """A whole input file cannot be read: wrong format, undecodable text, missing column."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class MappingError(RelookError):
    """A mapping file is malformed or refers to something that does not exist."""


class StrictModeError(RelookError):
    """--strict was given and at least one row was quarantined."""

    exit_code = 1
