"""Many people pressing "send" at the same moment, through the real threaded server.

Each simulated person opens the form first (own session cookie and CSRF token), then all wait on
a barrier and post together. Nobody may get an error page: one registration per email and
event, every distinct person registered, whatever the database (SQLite or PostgreSQL).
"""
import collections
import threading

import requests
from sqlalchemy import func, select

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.registration.models import ManageLink, Registration
from tests.support.data import count, outbox, registrations
from tests.support.web import post_forms_at_once, valid_registration

SLUG = "oriental"


def assert_no_writer_left_queued():
    """Every request ended its transaction: the SQLite writers' queue is free (a request that kept
    it would make the next writers wait for the whole busy timeout)."""
    from portal.database import _write_locks
    assert not any(queue.busy() for queue in _write_locks.values())


def statuses(answers) -> collections.Counter:
    return collections.Counter(
        answer.status_code if isinstance(answer, requests.Response) else type(answer).__name__ for answer in answers)


def test_fifty_simultaneous_submissions_of_one_email_make_one_registration(app, live_server, events):
    data = valid_registration(app, SLUG, email="same.person@example.org")
    answers = post_forms_at_once(live_server, SLUG, [data] * 50)

    seen = statuses(answers)
    # Every answer is the same "check your mail" (none tells that the address is registered)...
    assert seen == {303: 50}, seen
    assert {answer.headers["Location"] for answer in answers} == {f"/events/{SLUG}/register/done"}
    # ...and one registration was made.
    [registration] = registrations(app)
    assert registration.email == "same.person@example.org"
    # One acknowledgement; the manage-link reminders are not multiplied by the race (one an hour).
    messages = outbox(app)
    acknowledgements = [m for m in messages if m.dedup_key is None]
    reminders = [m for m in messages if m.dedup_key is not None]
    assert len(acknowledgements) == 1
    assert 1 <= len(reminders) <= 2  # 2 only when the race straddles the top of the hour
    assert all(m.to_address == "same.person@example.org" for m in messages)
    assert_no_writer_left_queued()


def register_all_at_once(app, live_server, people: int) -> None:
    """`people` distinct people post the form at the same moment: every one of them is registered,
    with a reference, a manage link and an acknowledgement of their own, and no error page."""
    payloads = [valid_registration(app, SLUG, email=f"person{n:03d}@example.org", first_name=f"Personne {n}")
                for n in range(people)]
    answers = post_forms_at_once(live_server, SLUG, payloads)

    seen = statuses(answers)
    assert seen == {303: people}, seen
    rows = registrations(app)
    assert len(rows) == people
    assert sorted(r.email for r in rows) == sorted(p["email"] for p in payloads)
    assert len({r.reference for r in rows}) == people
    with app.app_context():  # each acknowledgement carries a link of its own (stored hashed)
        assert db.session.scalar(select(func.count(func.distinct(ManageLink.token_hash)))) == people
    assert count(app, OutboxMessage) == people  # every acknowledgement queued with its registration
    assert count(app, Registration) == people
    assert_no_writer_left_queued()


def test_fifty_simultaneous_people_are_all_registered(app, live_server, events):
    """50 at once already queue writers behind each other; 300 at once: `make bench`
    (benchmarks/test_volume_bench.py)."""
    register_all_at_once(app, live_server, 50)


def test_every_outcome_of_the_form_frees_the_writers_queue(app, client, events):
    from tests.support.web import post_registration
    data = valid_registration(app, SLUG)
    assert post_registration(client, SLUG, {**data, "consent": ""}).status_code == 422
    assert post_registration(client, SLUG, {**data, "website": "http://spam.example"}).status_code == 303
    assert post_registration(client, SLUG, data).status_code == 303
    assert post_registration(client, SLUG, data).status_code == 303  # the duplicate: same answer
    assert client.post(f"/events/{SLUG}/register", data=data).status_code == 400  # no CSRF token
    assert_no_writer_left_queued()


# --- the queue of SQLite writers (portal/database.py) ---------------------------------------------
def test_writers_of_one_process_are_served_in_arrival_order():
    """SQLite's busy handler lets newcomers overtake a writer that has waited long; the queue in
    front of BEGIN IMMEDIATE serves them first come, first served."""
    import time

    from portal.database import _FairLock

    lock = _FairLock()
    assert lock.acquire(timeout=1)
    served = []

    def writer(n):
        assert lock.acquire(timeout=10)
        served.append(n)
        lock.release()

    threads = []
    for n in range(20):
        threads.append(threading.Thread(target=writer, args=(n,)))
        threads[-1].start()
        deadline = time.monotonic() + 5
        while len(lock._waiters) < n + 1 and time.monotonic() < deadline:
            time.sleep(0.001)  # wait until this writer queues, so arrival order is known
    lock.release()
    for thread in threads:
        thread.join(10)
    assert served == list(range(20))


def test_a_writer_that_gives_up_leaves_the_queue_usable():
    from portal.database import _FairLock

    lock = _FairLock()
    assert lock.acquire(timeout=1)
    assert not lock.acquire(timeout=0.05)  # gave up: it must not be handed the lock later
    lock.release()
    assert lock.acquire(timeout=0.05)
    lock.release()


def test_writers_of_two_processes_take_turns_on_the_database_file(tmp_path):
    """The gate between processes (a lock on "<database>-writers"): two gates on one file exclude
    each other as two processes' do (a lock per open file); the one waiting gets in as soon as
    the other lets go."""
    import time

    from portal.database import _FileGate

    path = str(tmp_path / "portal.sqlite3-writers")
    first, second = _FileGate(path), _FileGate(path)
    assert first.acquire()
    got_in = threading.Event()
    waiting = threading.Thread(target=lambda: second.acquire() and got_in.set())
    waiting.start()
    time.sleep(0.2)
    assert not got_in.is_set()  # held by the other "process"
    first.release()
    assert got_in.wait(2)
    waiting.join(2)
    second.release()
    assert first.acquire()
    first.release()
