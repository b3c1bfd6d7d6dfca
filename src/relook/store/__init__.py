"""The operational store: SQLAlchemy tables, migrations, run import."""
