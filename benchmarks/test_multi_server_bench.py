"""`make bench`: tests/test_multi_server.py at the volume of a registration rush: two app servers
and two mail workers in processes, 300 people registering at once over both servers, one address
posted 50 times, every registration approved through both servers against 70 seats. The row says
how many registrations were lost or duplicated, seats overbooked and mails sent twice (0 or the
scenario fails before recording), and how long it took."""
import time

import pytest

from benchmarks.table import record
from tests.conftest import smtp_server  # noqa: F401
from tests.test_multi_server import deploy, submissions, two_servers_keep_every_promise

pytestmark = pytest.mark.bench

PEOPLE, REPEATS, SEATS = 300, 50, 70


def test_two_servers_and_two_workers_under_a_rush_of_300(tmp_path, smtp_server):  # noqa: F811
    with deploy(tmp_path, smtp_server.port, submissions=submissions(PEOPLE, REPEATS), seats=SEATS) as deployment:
        started = time.monotonic()
        two_servers_keep_every_promise(deployment, smtp_server, PEOPLE, REPEATS, SEATS)
        seconds = time.monotonic() - started
    record("two app servers + two workers, 300 people at once: lost, duplicated or overbooked", 0, "<= 0",
           unit="", detail=f"{PEOPLE} people + {REPEATS} posts of one address, {SEATS} seats, every "
                           f"registration approved through both servers, all mail sent: {seconds:.0f} s")
