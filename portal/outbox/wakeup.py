"""Waking the embedded worker when mail was committed, without any caller asking for it.

queue_message() marks the session; after the transaction commits, this hook wakes the worker
thread (if the web process runs one). A rollback forgets the mark: nothing was queued.
"""
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

_QUEUED = "portal_outbox_queued"  # key in Session.info
_wake = threading.Event()


def mark_queued(session: Session) -> None:
    session.info[_QUEUED] = True


def wake_worker() -> None:
    """Tell the embedded worker (if any) that mail is waiting; cheap when there is none."""
    _wake.set()


def wait_for_mail(timeout: float) -> None:
    """The embedded worker's sleep: until mail is committed, or `timeout` seconds."""
    _wake.wait(timeout=timeout)
    _wake.clear()


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session):
    if session.info.pop(_QUEUED, False):
        wake_worker()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    session.info.pop(_QUEUED, None)
