"""Registrations posted at the same moment written in one transaction (database.WriteTogether,
issue 13). What people would notice if it went wrong: one person's refusal or failure becoming
someone else's, an answer given to the wrong caller, a write lost or kept against its caller's
outcome."""
import threading
import time

import pytest
from sqlalchemy import event

from portal.database import WriteTogether, writing
from portal.extensions import db
from portal.outbox import queue_message
from tests.support.data import outbox


class Transactions:
    """Counts the commits of the app's database while the test runs."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
        self.count = 0
        self._lock = threading.Lock()

    def __enter__(self):
        event.listen(self.engine, "commit", self._count)
        return self

    def __exit__(self, *_):
        event.remove(self.engine, "commit", self._count)

    def _count(self, _connection):
        with self._lock:
            self.count += 1


def call_together(app, together, arguments) -> list:
    """Each argument in its own thread and app context, released at the same moment; what each
    call returned, or the exception it raised, in the order of `arguments`."""
    outcomes = [None] * len(arguments)
    barrier = threading.Barrier(len(arguments))

    def call(index):
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = together(arguments[index])
            except Exception as error:  # noqa: BLE001 (the outcome asserted)
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=call, args=(index,)) for index in range(len(arguments))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


class Refusal(Exception):
    pass


def queue_one(name: str) -> str:
    """A write whose rows the test can count: one mail to <name>@example.org. The first call to
    lead waits a moment in its transaction, so that the others arrive while it writes."""
    if name == "slow":
        time.sleep(0.3)
    if name.startswith("refused"):
        raise Refusal(name)  # before any change, as WriteTogether's refusals must be
    queue_message(to_address=f"{name}@example.org", subject="Bonjour", body_text="…")
    if name.startswith("broken"):
        raise RuntimeError(name)  # after a change: this call's transaction must not be kept
    return name.upper()


def start_slow_leader(app, together):
    """One call that leads alone and keeps the write transaction a moment (the others queue)."""
    def lead():
        with app.app_context():
            together("slow")
            db.session.remove()
    leader = threading.Thread(target=lead)
    leader.start()
    time.sleep(0.1)
    return leader


def sqlite(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "sqlite"


def test_calls_arriving_together_share_a_transaction_and_each_gets_its_own_outcome(app, events):
    together = WriteTogether("test.mail", queue_one, refusals=(Refusal,))
    names = [f"person{n}" for n in range(6)] + ["refused1"]
    with Transactions(app) as transactions:
        leader = start_slow_leader(app, together)
        outcomes = call_together(app, together, names)
        leader.join(timeout=60)

    assert outcomes[:6] == [f"PERSON{n}" for n in range(6)]
    assert isinstance(outcomes[6], Refusal) and str(outcomes[6]) == "refused1"
    # On SQLite: the slow leader's transaction, then one for the seven who came meanwhile (not
    # seven). On PostgreSQL each call has its own (no one write lock to share; see WriteTogether):
    # seven commits, the refused call's transaction being rolled back.
    assert transactions.count == (2 if sqlite(app) else 7)
    assert sorted(message.to_address for message in outbox(app)) == sorted(
        f"{name}@example.org" for name in ["slow"] + names[:6])


def test_a_failing_call_fails_alone_and_the_others_are_kept(app, events):
    together = WriteTogether("test.mail", queue_one, refusals=(Refusal,))
    names = ["person1", "broken1", "person2", "person3"]
    leader = start_slow_leader(app, together)
    outcomes = call_together(app, together, names)
    leader.join(timeout=60)

    assert outcomes[0] == "PERSON1" and outcomes[2:] == ["PERSON2", "PERSON3"]
    assert isinstance(outcomes[1], RuntimeError) and str(outcomes[1]) == "broken1"
    # The failed call's mail was rolled back with it; the others' were written (one by one).
    assert sorted(message.to_address for message in outbox(app)) == [
        "person1@example.org", "person2@example.org", "person3@example.org", "slow@example.org"]


def test_a_call_inside_an_open_write_transaction_joins_it(app, app_ctx, events):
    together = WriteTogether("test.mail", queue_one, refusals=(Refusal,))
    with pytest.raises(RuntimeError), writing():
        assert together("person1") == "PERSON1"
        raise RuntimeError("the outer block fails")
    db.session.remove()
    assert outbox(app) == []  # written in the outer transaction, and rolled back with it
