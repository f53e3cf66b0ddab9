"""Fixtures: one app, database, live server and browser per test session; real SMTP per test.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set (a
schema of its own, dropped at the end). The schema is built by the Alembic migrations, so they
are tested too. Each test starts with the reference data only.
"""
import datetime as dt
import threading

import pytest
import werkzeug.serving

from portal import create_app
from portal.extensions import db
from tests.support.auth import Auth
from tests.support.data import empty_database, remember_installed_rows
from tests.support.database import drop_database, new_database
from tests.support.mail import SmtpServer, use_smtp_server

# The longest tests are handed out first: with `-n 2` (--dist load), a walk of a minute drawn last
# would leave the other worker idle while it runs.
LONGEST_FIRST = ("tests/test_hostile_params.py::test_no_hostile_parameter_breaks_any_route[admin]",
                 "tests/test_health_privacy.py::test_no_health_parameter_changes_what_an_observer_gets",
                 "tests/test_hostile_params.py::test_no_hostile_parameter_breaks_any_route[coordinator]",
                 "tests/test_health_privacy.py::test_an_observer_sees_the_same_once_health_data_is_erased",
                 "tests/test_multi_server.py::test_two_app_servers_and_two_workers_keep_every_promise")


def pytest_collection_modifyitems(items):
    def rank(item):
        return next((n for n, nodeid in enumerate(LONGEST_FIRST) if item.nodeid == nodeid), len(LONGEST_FIRST))
    items.sort(key=rank)  # stable: the others keep their order


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    uri, postgres = new_database(tmp_path_factory.mktemp("db"))
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 20} if postgres else {},
        "RATELIMIT_ENABLED": False,
        "OUTBOX_DELIVER_IN_APP": False,
        "PORTAL_BASE_URL": "http://portal.example.org",
    })
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
    remember_installed_rows(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(postgres)


# --- password hashing ---------------------------------------------------------------------------
# argon2id at the production cost takes a third of a second of CPU per hash or check, and most tests
# sign someone in: the tests hash at the lowest cost argon2 allows. The production parameters are
# checked by tests/test_accounts.py with the `production_password_hashing` fixture.
_PRODUCTION_HASHING = {}


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    from argon2 import PasswordHasher

    from portal.accounts import passwords
    _PRODUCTION_HASHING.update(_hasher=passwords._hasher, _DUMMY=passwords._DUMMY)
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    passwords._DUMMY = passwords._hasher.hash("not the password of any account")
    yield
    for name, value in _PRODUCTION_HASHING.items():
        setattr(passwords, name, value)


@pytest.fixture
def production_password_hashing(monkeypatch):
    """The portal's own argon2id parameters, for a test that checks them."""
    from portal.accounts import passwords
    for name, value in _PRODUCTION_HASHING.items():
        monkeypatch.setattr(passwords, name, value)


@pytest.fixture(autouse=True)
def _clean_database(app):
    yield
    empty_database(app)


class FakeClock:
    """The portal's clock under the test's control: starts at `now`, moves only when told."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock():
    """Freezes portal.clock.utcnow() (every module reads the time there) at a fixed instant."""
    from portal.clock import set_clock, utcnow
    fake = FakeClock(utcnow().replace(microsecond=0))
    set_clock(fake)
    yield fake
    set_clock(None)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(app, client):
    """Accounts of a role for an event, signed in through the login form: see tests/support/auth.py."""
    return Auth(app, client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def events(app):
    """The four demo events of the minutes, registration open. {slug: Event id}."""
    from portal.clock import utcnow
    from tests.support.data import seed_demo
    return seed_demo(app, utcnow())  # seeded once, then put back from a copy (tests/support/data.py)


@pytest.fixture
def fes_event(app, events):
    """The Fès-Meknès demo event (regions: Fès-Meknès), held in the Fès prefecture, no support rules."""
    from tests.support.data import hold_in_fes
    return hold_in_fes(app, events["fes-meknes"])


@pytest.fixture
def fes_event_with_rules(app, events):
    """The same event with the default support rules (travel: zones 1-3; one night: zones 2-3), saved
    on 2 November 2026."""
    import datetime as dt

    from tests.support.data import hold_in_fes
    return hold_in_fes(app, events["fes-meknes"], default_rules_at=dt.datetime(2026, 11, 2, 9, 0))


# --- a real SMTP server ---------------------------------------------------------------------
@pytest.fixture
def smtp_server(app, monkeypatch):
    server = SmtpServer()
    use_smtp_server(app, monkeypatch, server.port)
    yield server
    server.stop()


# --- the live server and the browser ----------------------------------------------------------
@pytest.fixture(scope="session")
def live_server(app):
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
