"""`flask backup PATH`: a consistent copy of the SQLite database, taken while the portal serves.

SQLite's online backup API copies the database page by page inside one read transaction: writers
go on (WAL), and the copy is the database as it was when the copy began, never a mix. A plain `cp`
of the file is not safe while the portal runs (it misses the WAL and can copy a page mid-write).
The copy holds personal data: it is written readable by its owner only, through a temporary file
renamed at the end, so that a half-written backup never carries the final name.

PostgreSQL is backed up with its own tool (`pg_dump`, README "Backups"); the command says so.
"""
import os
import sqlite3
import tempfile

import click
from flask import Flask
from flask.cli import with_appcontext

from .extensions import db


class BackupRefused(click.ClickException):
    pass


def backup_sqlite(source_path: str, target_path: str) -> dict:
    """Copy the database at source_path to target_path; return what was checked in the copy."""
    target_path = os.path.abspath(target_path)
    if os.path.exists(target_path):
        raise BackupRefused(f"{target_path} exists: choose a new name (a backup never overwrites one).")
    folder = os.path.dirname(target_path)
    if not os.path.isdir(folder):
        raise BackupRefused(f"The folder {folder} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=".backup-", suffix=".sqlite3", dir=folder)
    os.close(handle)
    os.chmod(temporary, 0o600)
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)  # in one step: one read transaction, one snapshot
            checked = _check(copy)
        finally:
            copy.close()
            source.close()
        os.replace(temporary, target_path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return checked


def _check(copy: sqlite3.Connection) -> dict:
    integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        raise BackupRefused(f"The copy failed its integrity check: {integrity}")
    # A backup is a single file: leave the WAL mode to the database it is restored into.
    copy.execute("PRAGMA journal_mode = DELETE")
    version = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    return {"schema": version[0] if version else None,
            "size": copy.execute("PRAGMA page_count").fetchone()[0]
            * copy.execute("PRAGMA page_size").fetchone()[0]}


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the database to PATH (SQLite; PostgreSQL: use pg_dump)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupRefused("This database is PostgreSQL: back it up with pg_dump "
                            "(README, section 'Backups'), which is consistent while the portal serves.")
    if not url.database or url.database == ":memory:":
        raise BackupRefused("This SQLite database lives in memory: there is no file to back up.")
    checked = backup_sqlite(url.database, path)
    click.echo(f"Backup written to {os.path.abspath(path)} ({checked['size']:,} bytes, "
               f"schema {checked['schema']}, integrity checked).")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
