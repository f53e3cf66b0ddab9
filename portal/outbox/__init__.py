"""The durable mail queue: messages are stored with the change that caused them, then delivered.

It knows no domain: callers hand it a rendered message (queue_message) and, for a batch they
follow, read its progress and retry its failures here (batches). The worker (worker.py) is the
outbox's own business: other packages never import it.
"""
from .batches import Progress, failures, progress, retry_failed
from .queue import queue_message, queued_dedup_keys, store_attachments
from .retention import blank_old_messages, delete_old_attachments, forget

__all__ = [
    "Progress",
    "blank_old_messages",
    "delete_old_attachments",
    "failures",
    "forget",
    "init_app",
    "progress",
    "queue_message",
    "queued_dedup_keys",
    "retry_failed",
    "store_attachments",
]


def init_app(app) -> None:
    """The outbox's tables, its commands (`flask outbox work|status`), and the embedded worker."""
    from ..retention import register_purge
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .commands import outbox_cli
    from .retention import purge_old_attachments, purge_old_messages
    app.cli.add_command(outbox_cli)
    register_purge(app, "copies de messages anciens effacées (MAIL_RETENTION_DAYS)", purge_old_messages)
    register_purge(app, "pièces jointes d'envois terminés supprimées", purge_old_attachments)
    if app.config["OUTBOX_DELIVER_IN_APP"] and not app.testing:
        from .worker import start_embedded_worker_on_first_request
        start_embedded_worker_on_first_request(app)

