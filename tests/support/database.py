"""A database of its own for a test run: a SQLite file, or a PostgreSQL schema when
TEST_DATABASE_URL is set, made here and dropped by drop_database()."""
import contextlib
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


@contextlib.contextmanager
def app_on_new_database(folder, prefix: str):
    """An app on a database of its own, still empty: the test migrates it to the revision it
    starts from (tests of the migrations themselves). The database is dropped afterwards."""
    from portal import create_app
    from portal.extensions import db
    uri, postgres = new_database(folder, prefix)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": uri,
                      "INSTANCE_PATH": str(folder), "PORTAL_BASE_URL": "http://portal.example.org"})
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        drop_database(postgres)
