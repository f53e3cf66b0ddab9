"""`make bench`: the volume versions of suite tests that prove a guarantee at a smaller size.

`make test` proves each guarantee at the size where it already shows (50 people at once, a few
batches, two workers sharing a queue); here the same checks run at the volumes of a real campaign
or a registration rush, and print how long they took. Noisy on a shared 2-core machine.
"""
import time

import pytest

from tests.conftest import _clean_database, live_server, smtp_server  # noqa: F401
from tests.test_campaigns import admin, confirmation_reaches_each_approved_participant_once  # noqa: F401
from tests.test_concurrency import register_all_at_once
from tests.test_outbox_faults import batch_reaches_every_recipient_exactly_once, two_workers_deliver_without_duplicate

pytestmark = [pytest.mark.bench, pytest.mark.usefixtures("_clean_database")]


def timed(what: str, started: float) -> None:
    print(f"\n{what}: {time.monotonic() - started:.1f} s")


def test_three_hundred_simultaneous_people_are_all_registered(app, live_server, events):  # noqa: F811
    started = time.monotonic()
    register_all_at_once(app, live_server, 300)
    timed("300 people registering at the same moment", started)


def test_a_thousand_message_batch_reaches_a_thousand_recipients_exactly_once(app, smtp_server):  # noqa: F811
    started = time.monotonic()
    batch_reaches_every_recipient_exactly_once(app, smtp_server, 1000)
    timed("1,000 messages of one campaign, one worker", started)


def test_two_workers_at_once_deliver_two_thousand_messages_without_duplicate(app, smtp_server, tmp_path):  # noqa: F811
    started = time.monotonic()
    two_workers_deliver_without_duplicate(app, smtp_server, tmp_path, 2000, batch=20)
    timed("2,000 messages, two worker processes", started)


def test_confirmation_to_1000_approved_participants_each_once(app, admin, events, smtp_server):  # noqa: F811
    started = time.monotonic()
    confirmation_reaches_each_approved_participant_once(app, admin, events, smtp_server, 1000)
    timed("a confirmation campaign to 1,000 participants", started)
