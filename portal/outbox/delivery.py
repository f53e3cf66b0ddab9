"""Turning outbox rows into mail: over SMTP with Flask-Mail, or as .eml files when no server is set."""
import logging
import os
import smtplib
from email.utils import formataddr

from flask import current_app
from flask_mail import Connection, Message

from ..extensions import mail
from .models import OutboxMessage

log = logging.getLogger(__name__)


def build_message(row: OutboxMessage) -> Message:
    recipient = formataddr((row.to_name, row.to_address)) if row.to_name else row.to_address
    message = Message(subject=row.subject, recipients=[recipient], body=row.body_text, html=row.body_html,
                      sender=current_app.config["MAIL_DEFAULT_SENDER"])
    # A stable Message-ID lets receivers recognise a resend after a crash as the same message.
    message.msgId = row.message_id
    message.extra_headers = {"Content-Language": row.language}
    return message


class _TimedConnection(Connection):
    """Flask-Mail's connection with a socket timeout, so a stalled server cannot hang a worker."""

    def configure_host(self):
        config = current_app.config
        timeout = config.get("MAIL_TIMEOUT", 10)
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class SmtpTransport:
    """One SMTP connection for a batch of messages."""

    def __init__(self):
        app = current_app._get_current_object()
        self._state = mail.init_mail(app.config, app.debug, app.testing)
        self._connection = None

    def __enter__(self):
        self._connection = _TimedConnection(self._state)
        self._connection.__enter__()
        return self

    def send(self, row: OutboxMessage) -> None:
        self._connection.send(build_message(row))

    def __exit__(self, *exc_info):
        try:
            self._connection.__exit__(*exc_info)
        except (smtplib.SMTPException, OSError):
            pass  # the batch is recorded already; a failed QUIT changes nothing


class FileTransport:
    """Development default: each message becomes instance/mail/<id>.eml, and the log says where."""

    def __enter__(self):
        self._folder = os.path.join(current_app.instance_path, "mail")
        os.makedirs(self._folder, exist_ok=True)
        return self

    def send(self, row: OutboxMessage) -> None:
        path = os.path.join(self._folder, f"{row.id:06d}.eml")
        with open(path, "wb") as handle:
            handle.write(build_message(row).as_bytes())
        log.warning("Mail to %s written to %s (no MAIL_SERVER configured)", row.to_address, path)

    def __exit__(self, *exc_info):
        return None


def open_transport():
    return SmtpTransport() if current_app.config.get("MAIL_SERVER") else FileTransport()
