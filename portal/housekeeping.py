"""Periodic jobs: packages register them in their init_app(); the mail worker's loop runs them.

The worker (embedded in `make run`, or `flask outbox work`) is the one process that wakes up on
its own, so it carries the jobs of every package (expiring waiting-list offers, for instance)
without knowing what they do.
"""
import logging
from collections.abc import Callable

from flask import Flask

from .extensions import db

log = logging.getLogger(__name__)
_EXTENSION = "portal.housekeeping"


def register_job(app: Flask, job: Callable[[], object]) -> None:
    """Run `job()` (inside an app context) at every round of the mail worker."""
    app.extensions.setdefault(_EXTENSION, []).append(job)


def registered_jobs(app: Flask) -> list[Callable[[], object]]:
    return list(app.extensions.get(_EXTENSION, []))


def run_jobs(app: Flask) -> None:
    """One round of every registered job; a failing job is logged and tried again next round."""
    for job in registered_jobs(app):
        try:
            job()
        except Exception:
            db.session.rollback()
            log.exception("Housekeeping job %s failed; will try again", getattr(job, "__name__", job))
