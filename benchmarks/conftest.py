"""Benchmarks reuse the test suite's app and database fixtures (SQLite, or TEST_DATABASE_URL)."""
from tests.conftest import app, auth, client, events  # noqa: F401
