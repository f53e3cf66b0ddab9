"""A database of its own for a test run: a SQLite file, or a PostgreSQL schema when
TEST_DATABASE_URL is set, made here and dropped by drop_database()."""
import os
import uuid

import sqlalchemy as sa


def new_database(folder, prefix: str = "test") -> tuple[str, tuple[str, str] | None]:
    """(SQLAlchemy URI, what drop_database needs: None for SQLite)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{folder / f'{prefix}.sqlite3'}", None
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", (url, schema)


def drop_database(postgres: tuple[str, str] | None) -> None:
    if postgres is None:
        return  # the SQLite file goes with its temporary folder
    url, schema = postgres
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()
