"""Alembic migrations of the operational store (run by relook.store.migrate)."""
