"""Security events (failed sign-ins, refusals, exports, erasures) in a log of their own.

One JSON object per line, in one file a month (instance/security-2026-12.log), so that a reviewer
or a log collector reads them apart from the application's noise, and `flask purge` deletes the
months past LOG_RETENTION_MONTHS. Never personal data beyond what identifies the event: no
passwords, no tokens (redacted from paths), no health data.
"""
import datetime as dt
import glob
import json
import logging
import os
import re

from flask import Flask, current_app, has_app_context, has_request_context, request

from .clock import utcnow
from .tokens import redact_tokens

log = logging.getLogger("portal.security")
_MONTH = re.compile(r"-(\d{4})-(\d{2})\.log$")
_STEM = "portal_log_stem"  # a record's attribute: the files of the app that logged it


class RedactTokens(logging.Filter):
    """Access logs (Werkzeug's, gunicorn's) print request lines: the tokens of secret links in
    them are replaced by "…" before the line is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def log_stem(app: Flask) -> str:
    """The files' common start: SECURITY_LOG without ".log" (instance/security by default)."""
    path = app.config.get("SECURITY_LOG") or os.path.join(app.instance_path, "security.log")
    return path.removesuffix(".log")


def log_path(app: Flask, when: dt.datetime | None = None) -> str:
    """The file of the month of `when` (now by default)."""
    return f"{log_stem(app)}-{(when or utcnow()):%Y-%m}.log"


class MonthlyFile(logging.Handler):
    """Appends each record to the file of the current month (opened per record: several
    processes write safely, and a new month starts a new file without any rotation step).
    The logger is the process's, the files are each app's: a handler writes only the events of
    its own app (several apps of one process, the tests', each keep their own)."""

    def __init__(self, stem: str):
        super().__init__()
        self.stem = stem

    def filter(self, record: logging.LogRecord) -> bool:
        stem = getattr(record, _STEM, None)
        return (stem is None or stem == self.stem) and super().filter(record)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with open(f"{self.stem}-{utcnow():%Y-%m}.log", "a", encoding="utf-8") as handle:
                handle.write(self.format(record) + "\n")
        except OSError:
            self.handleError(record)


def init_app(app: Flask) -> None:
    for name in ("werkzeug", "gunicorn.access"):
        access_log = logging.getLogger(name)
        if not any(isinstance(existing, RedactTokens) for existing in access_log.filters):
            access_log.addFilter(RedactTokens())
    stem = log_stem(app)
    if not any(getattr(handler, "stem", None) == stem for handler in log.handlers):
        handler = MonthlyFile(stem)  # several apps of one process (the tests) share the logger
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def security_event(kind: str, **details) -> None:
    """Record one event: its kind ("sign_in_failed", "forbidden", "export", "erasure"...) and details."""
    record = {"at": utcnow().isoformat(timespec="seconds") + "Z", "event": kind}
    if has_request_context():
        record.update(client=request.remote_addr, path=redact_tokens(request.path), method=request.method)
    record.update(details)
    log.info(json.dumps(record, ensure_ascii=False, default=str),
             extra={_STEM: log_stem(current_app) if has_app_context() else None})


def purge_old_logs(now: dt.datetime) -> int:
    """Delete the monthly files older than LOG_RETENTION_MONTHS."""
    months = int(current_app.config["LOG_RETENTION_MONTHS"])
    oldest_kept = (now.year * 12 + now.month - 1) - months
    removed = 0
    for path in glob.glob(f"{glob.escape(log_stem(current_app))}-*.log"):
        found = _MONTH.search(path)
        if found and int(found.group(1)) * 12 + int(found.group(2)) - 1 < oldest_kept:
            os.remove(path)
            removed += 1
    return removed
