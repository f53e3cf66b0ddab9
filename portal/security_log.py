"""Security events (failed sign-ins, refusals, exports, erasures) in a log of their own.

One JSON object per line, in SECURITY_LOG (default instance/security.log), so that a reviewer or
a log collector reads them apart from the application's noise. Never personal data beyond the
account concerned: no passwords, no tokens, no health data.
"""
import json
import logging
import os

from flask import Flask, has_request_context, request

from .clock import utcnow
from .tokens import redact_tokens

log = logging.getLogger("portal.security")


class RedactTokens(logging.Filter):
    """Access logs (Werkzeug's, gunicorn's) print request lines: the tokens of secret links in
    them are replaced by "…" before the line is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def init_app(app: Flask) -> None:
    for name in ("werkzeug", "gunicorn.access"):
        access_log = logging.getLogger(name)
        if not any(isinstance(existing, RedactTokens) for existing in access_log.filters):
            access_log.addFilter(RedactTokens())
    path = app.config.get("SECURITY_LOG") or os.path.join(app.instance_path, "security.log")
    if any(getattr(handler, "baseFilename", None) == os.path.abspath(path) for handler in log.handlers):
        return  # several apps of one process (the tests) share the logger
    handler = logging.FileHandler(path, encoding="utf-8")
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
    log.info(json.dumps(record, ensure_ascii=False, default=str))
