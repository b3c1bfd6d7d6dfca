"""`relook users add|list|unlock|passwd|reactivate`: accounts, from the server's command
line."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from relook.commands.command_line import command_line_actor
from relook.commands.progress import console
from relook.errors import RelookError
from relook.security import accounts
from relook.security.passwords import check_strength, generate_password
from relook.store.clock import now_epoch
from relook.workspace import Workspace


def _password(*, password_stdin: bool, generate: bool) -> tuple[str, bool]:
    """(password, whether it was generated here and must be shown)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        check_strength(password)
        return password, False
    if generate or not sys.stdin.isatty():
        if not generate:
            raise RelookError(
                "no terminal to prompt for a password: pass --generate or --password-stdin"
            )
        return generate_password(), True
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_strength(password)
    return password, False


def add(workspace: Path, name: str, role: str, *, password_stdin: bool, generate: bool) -> None:
    password, generated = _password(password_stdin=password_stdin, generate=generate)
    with Workspace(workspace).store() as store, store.write() as connection:
        user = accounts.create_user(connection, name, role, password, by=command_line_actor())
    console.print(f"Created [bold]{user.username}[/] ({user.role.value}).")
    if generated:
        console.print("Password (shown this once; it is stored only as a hash):")
        typer.echo(password)


def list_users(workspace: Path) -> None:
    with Workspace(workspace).store() as store, store.read() as connection:
        users = accounts.list_users(connection)
    table = Table(title="Users")
    for heading in ("username", "role", "status", "created by"):
        table.add_column(heading)
    now = now_epoch()
    for user in users:
        status = "deactivated" if not user.active else "locked" if user.is_locked(now) else "active"
        if user.active and user.must_change_password:
            status += " (must set own password)"
        table.add_row(user.username, user.role.value, status, user.created_by or "")
    console.print(table)


def unlock(workspace: Path, name: str) -> None:
    with Workspace(workspace).store() as store, store.write() as connection:
        user = accounts.unlock(connection, name, by=command_line_actor())
    console.print(f"Unlocked {user.username}.")


def passwd(workspace: Path, name: str, *, password_stdin: bool, generate: bool) -> None:
    """Set a password. A generated one is seen here, so its owner must replace it at their
    next sign-in; one typed or piped in is taken as the owner's own."""
    with Workspace(workspace).store() as store:
        with store.read() as connection:
            user = accounts.find_user(connection, name)
        if user is None:
            raise accounts.AccountError(f"no user named {name!r}")
        password, generated = _password(password_stdin=password_stdin, generate=generate)
        with store.write() as connection:
            accounts.change_password(
                connection, user, password, by=command_line_actor(), temporary=generated
            )
    console.print(f"Password of {user.username} changed.")
    if generated:
        console.print("Password (shown this once; it must be changed at the next sign-in):")
        typer.echo(password)


def reactivate(workspace: Path, name: str) -> None:
    with Workspace(workspace).store() as store, store.write() as connection:
        user = accounts.reactivate(connection, name, by=command_line_actor())
    console.print(f"Reactivated {user.username}.")
