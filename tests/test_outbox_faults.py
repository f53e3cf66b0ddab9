"""Delivery promises under faults, against a real SMTP server (aiosmtpd on 127.0.0.1) and real
worker processes: large batches, the server dying mid-batch, 4xx then 2xx, 5xx, a worker
killed with SIGKILL mid-batch, two workers at once. Backoff waits are skipped by moving
next_attempt_at in the database, never by sleeping."""
import collections
import datetime as dt
import signal

import pytest
from sqlalchemy import select

from portal.clock import utcnow
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.worker import BACKOFF_MINUTES
from tests.support.data import outbox
from tests.support.outbox import (
    AlwaysLater,
    BlockOnce,
    Greylisting,
    IdRecordingHandler,
    Refusing,
    StopAfter,
    deliver,
    deliver_until_done,
    duplicates,
    make_due_now,
    queue_many,
    start_worker,
    statuses,
    stop_worker,
    wait_for,
    worker_log,
)


def received_ids(smtp_server) -> list[str]:
    return [message["Message-ID"] for _, message in smtp_server.messages]


def batch_reaches_every_recipient_exactly_once(app, smtp_server, count: int) -> None:
    """`count` messages of one campaign, delivered by the worker's batches: each reaches its own
    recipient once; queued again, the dedup keys refuse them; delivered again, nothing goes."""
    handler = IdRecordingHandler()  # keeps recipient and Message-ID only: cheap for thousands
    smtp_server.start(handler)
    expected = queue_many(app, count, batch_key="campaign:1")
    assert queue_many(app, count, batch_key="campaign:1") == []  # queued again: the dedup keys refuse it
    assert statuses(app) == {"queued": count}
    totals = deliver(app)
    assert totals["sent"] == count and totals["retry"] == totals["failed"] == 0
    ids = handler.message_ids
    recipients = [recipient for recipient, _ in handler.received]
    assert len(ids) == count and set(ids) == set(expected)
    assert len(set(recipients)) == count
    assert statuses(app) == {"sent": count}
    with app.app_context():
        assert set(db.session.scalars(select(OutboxMessage.batch_key))) == {"campaign:1"}
        db.session.remove()
    assert deliver(app)["claimed"] == 0  # nothing is sent twice


def test_a_batch_of_250_messages_reaches_250_recipients_exactly_once(app, smtp_server):
    """Five batches of OUTBOX_BATCH_SIZE (50); 1,000 messages: `make bench` (benchmarks/test_volume_bench.py)."""
    batch_reaches_every_recipient_exactly_once(app, smtp_server, 250)


def test_server_stopped_mid_batch_then_started_again_loses_and_repeats_nothing(app, smtp_server):
    handler = StopAfter(75)  # the 76th message (in the second batch of 50) never gets its answer
    smtp_server.start(handler)
    handler.server = smtp_server
    expected = queue_many(app, 200)
    totals = deliver(app)
    assert totals["sent"] == 75 and totals["retry"] == 25 and totals["interrupted"] == 1
    # really down (the server stops from another thread, which may finish after the worker saw the cut)
    wait_for(lambda: smtp_server.controller is None, timeout=30, what="the SMTP server to stop")
    counts = statuses(app)
    assert counts == {"sent": 75, "queued": 125}
    rows = outbox(app)
    assert sum(bool(row.attempts == 1 and row.last_error) for row in rows) == 25  # the rest of the cut batch

    smtp_server.start()
    rounds = deliver_until_done(app)
    assert rounds <= 2
    ids = received_ids(smtp_server)
    assert not duplicates(ids) and sorted(ids) == sorted(expected)
    assert statuses(app) == {"sent": 200}


def test_451_is_retried_later_and_then_delivered_once(app, smtp_server):
    handler = Greylisting()
    smtp_server.start(handler)
    expected = queue_many(app, 100)
    totals = deliver(app)
    assert totals["retry"] == 100 and totals["sent"] == 0  # every first attempt refused, none lost
    assert handler.refusals == 100 and smtp_server.messages == []
    rows = outbox(app)
    assert all(row.status == "queued" and row.attempts == 1 and row.last_error.startswith("451 4.3.0")
               and row.next_attempt_at > utcnow() for row in rows)
    assert deliver(app)["claimed"] == 0  # backing off

    make_due_now(app)
    assert deliver(app)["sent"] == 100
    ids = received_ids(smtp_server)
    assert sorted(ids) == sorted(expected) and not duplicates(ids)
    assert all(row.status == "sent" and row.attempts == 1 and row.last_error is None for row in outbox(app))


def test_550_is_marked_failed_with_the_answer_and_the_others_still_go(app, smtp_server):
    smtp_server.start(Refusing("person1"))  # person1, person10..person19
    queue_many(app, 30)
    totals = deliver(app)
    assert totals["failed"] == 11 and totals["sent"] == 19
    failed = [row for row in outbox(app) if row.status == "failed"]
    assert {row.to_address for row in failed} == {"person1@example.org"} | {f"person{n}@example.org" for n in range(10, 20)}
    assert all(row.last_error == "550 5.1.1 No such user here" and row.attempts == 1 for row in failed)
    make_due_now(app)
    assert deliver(app)["claimed"] == 0  # never retried
    assert len(smtp_server.messages) == 19


def test_temporary_failures_are_retried_for_more_than_five_hours_then_failed(app, smtp_server):
    assert sum(BACKOFF_MINUTES) >= 5 * 60
    assert list(BACKOFF_MINUTES) == sorted(BACKOFF_MINUTES)  # growing
    smtp_server.start(AlwaysLater())
    queue_many(app, 1)
    waited = []
    for _ in range(len(BACKOFF_MINUTES)):
        assert deliver(app)["retry"] == 1
        [row] = outbox(app)
        assert row.status == "queued"
        waited.append(row.next_attempt_at - utcnow())
        make_due_now(app)
    assert deliver(app)["failed"] == 1
    [row] = outbox(app)
    assert row.status == "failed" and row.attempts == len(BACKOFF_MINUTES) + 1
    assert row.last_error == "451 4.3.0 try later"
    assert sum(waited, dt.timedelta()) > dt.timedelta(hours=5)
    assert smtp_server.messages == []


def test_connection_refused_counts_as_temporary(app, smtp_server):
    smtp_server.stop()
    queue_many(app, 3)
    totals = deliver(app)
    assert totals["retry"] == 3 and totals["interrupted"] == 1
    assert all(row.status == "queued" and "ConnectionRefusedError" in row.last_error for row in outbox(app))


# --- worker processes -------------------------------------------------------------------------
@pytest.mark.parametrize("connections", [1, 3])
def test_worker_killed_mid_batch_resends_at_most_what_it_had_in_flight(app, smtp_server, tmp_path, connections):
    """In flight, per connection: the accepted messages not yet marked sent (at most
    OUTBOX_RECORD_EVERY) and the one being sent; never more than the batch."""
    batch, group = 20, 10
    handler = BlockOnce(at=90)  # the 90th message reaches the server; its "250" is held back
    smtp_server.start(handler)
    expected = queue_many(app, 300)
    settings = {"OUTBOX_BATCH_SIZE": batch, "OUTBOX_LEASE_SECONDS": 2, "OUTBOX_RECORD_EVERY": group,
                "OUTBOX_WORKER_CONNECTIONS": connections}
    first = start_worker(app, tmp_path / "first", smtp_server.port, **settings)
    try:
        assert handler.holding.wait(timeout=60), worker_log(first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
    finally:
        stop_worker(first, signal.SIGKILL)
        handler.release.set()
    assert first.returncode == -signal.SIGKILL
    with app.app_context():
        in_flight = set(db.session.scalars(select(OutboxMessage.message_id).where(OutboxMessage.status == "sending")))
        sent_before = len(list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == "sent"))))
        db.session.remove()
    assert 1 <= len(in_flight) <= connections * batch  # the kill landed mid-batch
    if connections == 1:
        assert 89 - group < sent_before <= 89  # marked in groups

    second = start_worker(app, tmp_path / "second", smtp_server.port, **settings)
    try:
        wait_for(lambda: statuses(app) == {"sent": 300}, timeout=90, what="all 300 sent")
    finally:
        stop_worker(second)
    ids = handler.message_ids
    assert set(ids) == set(expected)  # none lost
    repeated = duplicates(ids)
    assert sum(repeated.values()) - len(repeated) <= connections * group  # each sent twice at most
    assert set(repeated) <= in_flight  # only messages in flight at the kill were sent twice
    print(f"\nSIGKILL mid-batch, {connections} connection(s): {len(in_flight)} in flight, "
          f"{len(repeated)} sent twice")


def two_workers_deliver_without_duplicate(app, smtp_server, tmp_path, count: int, batch: int) -> None:
    """Two worker processes on one queue of `count` messages, `batch` per claim: each message sent
    once, and both workers took a share (they really ran together)."""
    handler = IdRecordingHandler()
    smtp_server.start(handler)
    expected = queue_many(app, count, batch_key="campaign:2")
    # One connection each: with several, the first process to start could take every SMTP slot
    # and send it all before the second is up (the threads of one process: the kill test).
    settings = {"OUTBOX_BATCH_SIZE": batch, "OUTBOX_WORKER_CONNECTIONS": 1}
    workers = [start_worker(app, tmp_path / f"w{n}", smtp_server.port, **settings) for n in range(2)]
    try:
        wait_for(lambda: statuses(app) == {"sent": count}, timeout=180, what=f"all {count} sent",
                 interval=0.2)
    finally:
        for worker in workers:
            stop_worker(worker)
    ids = handler.message_ids
    assert len(ids) == count and set(ids) == set(expected) and not duplicates(ids)
    with app.app_context():
        by_process = collections.Counter(name.split(":")[1] for name in db.session.scalars(select(OutboxMessage.claimed_by)))
        db.session.remove()
    assert len(by_process) == 2, f"one worker did everything: {by_process}"  # they really ran together


def test_two_workers_at_once_deliver_400_messages_without_duplicate(app, smtp_server, tmp_path):
    """Claims of 10 messages, 40 of them to share; 2,000 messages: `make bench`
    (benchmarks/test_volume_bench.py)."""
    two_workers_deliver_without_duplicate(app, smtp_server, tmp_path, 400, batch=10)
