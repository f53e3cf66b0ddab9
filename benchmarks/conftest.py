"""Benchmarks reuse the test suite's app and database fixtures (SQLite, or TEST_DATABASE_URL), and
print one table of ratios at the end of the run (`benchmarks/table.py`)."""
import datetime
import os

from benchmarks import table
from tests.conftest import _clean_database, app, auth, client, events  # noqa: F401  (the database emptied after each)


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller, or a run without xdist
        table.start_run()


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):
        return
    rows = table.rows()
    if not rows:
        return
    database = "PostgreSQL" if os.environ.get("TEST_DATABASE_URL") else "SQLite"
    text = (f"`make bench` on {datetime.date.today().isoformat()}, {table.machine()}, {database}\n\n"
            + table.as_markdown(rows) + "\n")
    with open(os.path.join(table.RESULTS, "table.md"), "w", encoding="utf-8") as handle:
        handle.write(text)
    print("\n\n" + text)
