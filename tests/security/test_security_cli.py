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


def tamper(workspace: Path, *statements: str) -> None:
    """What someone with write access to the store's file could do behind relook's back."""
    database = sqlite3.connect(workspace / "relook.db")
    for statement in statements:
        database.execute(statement)
    database.commit()
    database.close()


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
    assert verified.exit_code == 0, verified.output
    assert "chain and seal intact, 2 entries" in verified.output
    head = verified.output.split("Head: ")[1].strip()
    assert (tmp_path / "audit.key").stat().st_mode & 0o777 == 0o600

    # A head noted earlier is checked on request; a malformed one is refused.
    noted = runner.invoke(app, ["audit", "verify", "--expect-head", head, *ws])
    assert noted.exit_code == 0 and "entry 2 as noted" in noted.output
    wrong = runner.invoke(app, ["audit", "verify", "--expect-head", "2:" + "0" * 64, *ws])
    assert isinstance(wrong.exception, RelookError) and wrong.exception.exit_code == 1
    assert "not the entry noted earlier" in str(wrong.exception)
    malformed = runner.invoke(app, ["audit", "verify", "--expect-head", "two", *ws])
    assert isinstance(malformed.exception, RelookError) and malformed.exception.exit_code == 2

    tamper(tmp_path, "DROP TRIGGER audit_log_no_update",
           "UPDATE audit_log SET object_id = 'someone' WHERE seq = 1")  # fmt: skip
    broken = runner.invoke(app, ["audit", "verify", *ws])
    assert isinstance(broken.exception, RelookError) and broken.exception.exit_code == 1
    assert "broken at entry 1" in str(broken.exception)


def test_entries_cut_from_the_end_are_reported(tmp_path: Path) -> None:
    """What a hash chain alone cannot show: the newest entries deleted by someone with
    write access to the database but not the audit key."""
    ws = ["--workspace", str(tmp_path)]
    for name in ("rev1", "rev2", "rev3"):
        added = runner.invoke(
            app, ["users", "add", name, "--role", "reviewer", "--password-stdin", *ws],
            input="a very long passphrase\n",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    tamper(tmp_path, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq >= 2")
    broken = runner.invoke(app, ["audit", "verify", *ws])
    assert isinstance(broken.exception, RelookError) and broken.exception.exit_code == 1
    assert "entries 2 to 3 are missing from the end" in str(broken.exception)


def test_users_passwd_reactivate_and_unknown_users(tmp_path: Path) -> None:
    from relook.security import accounts
    from relook.security.audit import SYSTEM
    from relook.workspace import Workspace

    ws = ["--workspace", str(tmp_path)]
    added = runner.invoke(
        app, ["users", "add", "sup1", "--role", "supervisor", "--password-stdin", *ws],
        input="a very long passphrase\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    typed = runner.invoke(
        app, ["users", "passwd", "sup1", "--password-stdin", *ws], input="another long one!\n"
    )
    assert typed.exit_code == 0, typed.output
    generated = runner.invoke(app, ["users", "passwd", "sup1", "--generate", *ws])
    assert generated.exit_code == 0 and "must be changed" in generated.output
    with Workspace(tmp_path).store() as store, store.write() as connection:
        user = accounts.find_user(connection, "sup1")
        assert user is not None and user.must_change_password
        accounts.deactivate(connection, "sup1", by=SYSTEM)
    listed = runner.invoke(app, ["users", "list", *ws])
    assert "deactivated" in listed.output
    again = runner.invoke(app, ["users", "reactivate", "sup1", *ws])
    assert again.exit_code == 0 and "Reactivated sup1" in again.output
    for command in (["unlock"], ["reactivate"], ["passwd", "--generate"]):
        unknown = runner.invoke(app, ["users", command[0], "ghost", *command[1:], *ws])
        assert isinstance(unknown.exception, RelookError), command
        assert "no user named 'ghost'" in str(unknown.exception)
