"""`flask backup PATH`: a consistent copy of the SQLite database, taken while the portal keeps
writing, from which a portal can be restored (README, "Backups"). PostgreSQL: pg_dump."""
import os
import shutil
import sqlite3
import stat
import threading

import pytest

from portal import create_app
from portal.extensions import db
from portal.registration.models import Registration
from tests.support.data import make_registrations


def _on_sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def test_a_backup_taken_while_registrations_pour_in_is_consistent_and_restores(app, runner, fes_event, tmp_path):
    if not _on_sqlite(app):
        pytest.skip("PostgreSQL is backed up with pg_dump (its test: the command's refusal below)")
    make_registrations(app, fes_event, 30)
    writing, stop = [], threading.Event()

    def keep_registering():
        while not stop.is_set():
            writing.extend(make_registrations(app, fes_event, 5))

    writer = threading.Thread(target=keep_registering)
    writer.start()
    try:
        while len(writing) < 20:  # the writer is busy before the backup begins
            stop.wait(0.01)
        result = runner.invoke(args=["backup", str(tmp_path / "portal-backup.sqlite3")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "integrity checked" in result.output
    backup = tmp_path / "portal-backup.sqlite3"
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600  # personal data: its owner only
    assert not list(tmp_path.glob(".backup-*"))

    # One snapshot: every registration of the copy came with its whole batch and its history.
    copy = sqlite3.connect(backup)
    saved = copy.execute("SELECT count(*) FROM registration").fetchone()[0]
    with_history = copy.execute("SELECT count(DISTINCT registration_id) FROM status_change").fetchone()[0]
    copy.close()
    assert 30 + 20 <= saved <= 30 + len(writing)
    assert saved % 5 == 0 and with_history == saved

    # Restore as the README says: the copy becomes the database file of a stopped portal.
    restored_file = tmp_path / "restored" / "portal.sqlite3"
    restored_file.parent.mkdir()
    shutil.copy(backup, restored_file)
    restored = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "restored"), "SECRET_KEY": "x",
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{restored_file}", "OUTBOX_DELIVER_IN_APP": False})
    with restored.app_context():
        from flask_migrate import upgrade
        upgrade()  # nothing to do: the copy carries its schema version
        assert db.session.query(Registration).count() == saved
        slug = db.session.get(Registration, writing[0]).event.slug
        db.session.remove()
        db.engine.dispose()
    page = restored.test_client().get(f"/events/{slug}")
    assert page.status_code == 200


def test_a_backup_never_overwrites_a_file(app, runner, tmp_path):
    if not _on_sqlite(app):
        pytest.skip("PostgreSQL is backed up with pg_dump")
    existing = tmp_path / "yesterday.sqlite3"
    existing.write_bytes(b"yesterday's backup")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "exists" in result.output
    assert existing.read_bytes() == b"yesterday's backup"


def test_on_postgresql_the_command_points_to_pg_dump(app, runner, tmp_path):
    if _on_sqlite(app):
        pytest.skip("SQLite is backed up by the command itself")
    result = runner.invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code != 0 and "pg_dump" in result.output
    assert not (tmp_path / "x").exists()
