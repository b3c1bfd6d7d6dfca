"""`relook users` and `relook audit verify` from the command line (SQLite workspace)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relook.cli import app
from relook.errors import RelookError
from relook.store.engine import DATABASE_URL_ENV

runner = CliRunner()


@pytest.fixture(autouse=True)
def _sqlite_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


def test_users_add_list_and_audit_verify(tmp_path: Path) -> None:
    ws = ["--workspace", str(tmp_path)]
    added = runner.invoke(
        app, ["users", "add", "Admin1", "--role", "admin", "--password-stdin", *ws],
        input="a very long passphrase\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    generated = runner.invoke(
        app, ["users", "add", "rev1", "--role", "reviewer", "--generate", *ws]
    )
    assert generated.exit_code == 0, generated.output
    password = generated.output.strip().splitlines()[-1]
    assert len(password) >= 12 and " " not in password

    duplicate = runner.invoke(
        app, ["users", "add", "admin1", "--role", "admin", "--password-stdin", *ws], input="x" * 20
    )
    assert isinstance(duplicate.exception, RelookError)  # main() prints it as one line, exit 2
    assert "already exists" in str(duplicate.exception)
    weak = runner.invoke(
        app,
        ["users", "add", "rev2", "--role", "reviewer", "--password-stdin", *ws],
        input="short\n",
    )
    assert isinstance(weak.exception, RelookError) and weak.exception.exit_code == 2

    listed = runner.invoke(app, ["users", "list", *ws])
    assert "admin1" in listed.output and "rev1" in listed.output

    verified = runner.invoke(app, ["audit", "verify", *ws])
    assert verified.exit_code == 0 and "intact: 2 entries" in verified.output

    database = sqlite3.connect(tmp_path / "relook.db")
    database.execute("DROP TRIGGER audit_log_no_update")
    database.execute("UPDATE audit_log SET object_id = 'someone' WHERE seq = 1")
    database.commit()
    database.close()
    broken = runner.invoke(app, ["audit", "verify", *ws])
    assert isinstance(broken.exception, RelookError) and broken.exception.exit_code == 1
    assert "broken at entry 1" in str(broken.exception)
