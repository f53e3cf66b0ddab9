"""Configuration: defaults, then instance/config.py, then FLASK_* variables; README documents all."""
import os
import re
import sqlite3
import stat

import pytest

from portal import create_app
from portal.config import DEFAULTS

README = os.path.join(os.path.dirname(__file__), "..", "README.md")


def test_precedence_defaults_then_instance_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('MAIL_SERVER = "smtp.from-file.example"\nMAIL_PORT = 2525\n')
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FLASK_MAIL_PORT", "2626")
    monkeypatch.setenv("FLASK_OUTBOX_DELIVER_IN_APP", "false")
    app = create_app()
    assert app.config["OUTBOX_BATCH_SIZE"] == DEFAULTS["OUTBOX_BATCH_SIZE"]  # default
    assert app.config["MAIL_SERVER"] == "smtp.from-file.example"  # instance/config.py
    assert app.config["MAIL_PORT"] == 2626  # FLASK_* wins, parsed as JSON
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"


def test_a_sqlite_library_too_old_for_the_portal_stops_it_at_start_with_both_versions(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FLASK_OUTBOX_DELIVER_IN_APP", "false")
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    with pytest.raises(RuntimeError, match=r"needs SQLite 3\.35\.0 or later.*has SQLite 3\.31\.1"):
        create_app()
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://nobody@127.0.0.1/none")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")  # not its concern


def test_no_default_secret_a_random_one_is_kept_in_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FLASK_OUTBOX_DELIVER_IN_APP", "false")
    first = create_app().config["SECRET_KEY"]
    assert len(first) >= 40
    assert create_app().config["SECRET_KEY"] == first  # sessions survive a restart
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(other))
    assert create_app().config["SECRET_KEY"] != first


def test_readme_documents_every_setting_with_its_variable():
    with open(README, encoding="utf-8") as handle:
        readme = handle.read()
    missing = [key for key in DEFAULTS if not re.search(rf"`FLASK_{key}`", readme)]
    assert not missing, f"README.md's configuration table lacks: {missing}"
