"""Local encrypted storage: the vault, SQLAlchemy models, Alembic migrations, the record store."""
