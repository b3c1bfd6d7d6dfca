"""Alembic environment: migrations run programmatically on a connection relook passes in.

`relook.store.migrate.upgrade` hands over its connection in `config.attributes`; running
the `alembic` command line against a URL (`-x url=...`) also works, for maintainers who
generate a new revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from relook.store.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("pass the store URL with -x url=...")
    engine = create_engine(url)
    with engine.begin() as new_connection:
        _run(new_connection)


run_migrations_online()
