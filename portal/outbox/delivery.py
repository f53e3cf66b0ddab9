"""Turning outbox rows into mail: over SMTP with Flask-Mail, or as .eml files when no server is set."""
import base64
import email.policy
import logging
import os
import smtplib
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from flask import current_app
from flask_mail import Connection, Message

from ..extensions import mail
from .models import OutboxMessage

log = logging.getLogger(__name__)


def encode_words(text: str, chunk_bytes: int = 42) -> str:
    """RFC 2047 encoded words, split between characters and never at a space: the standard
    library's folding (like Flask-Mail's) puts the space between two encoded words, where
    readers must ignore it, so a long Arabic subject lost a space. Plain ASCII stays plain."""
    if text.isascii() and len(text) < 70:
        return text
    words, current = [], b""
    for char in text:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > chunk_bytes:
            words.append(current)
            current = b""
        current += encoded
    words.append(current)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def encode_address(name: str, address: str) -> str:
    """One address, whatever the name holds, written by the standard library: an ASCII name is
    quoted (commas, quotes, brackets escaped), another becomes one encoded word, which holds no
    specials (several words would make some readers insert a space inside an Arabic word)."""
    Address(addr_spec=address)  # raises on anything that is not one plain address
    return formataddr((name, address), charset="utf-8") if name else address


class _HeaderClasses(HeaderRegistry):
    """The standard registry makes a new class at every header it parses (a third of the time
    spent writing a message); these classes hold no state, so one per header name is enough."""

    def __init__(self):
        super().__init__()
        self._made = {}

    def __getitem__(self, name):
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


SMTP_POLICY = email.policy.SMTP.clone(header_factory=_HeaderClasses())


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class PortalMessage(Message):
    """Flask-Mail's message, written out with the standard library's email API, but with the
    Subject and the recipient's name encoded by encode_words() above."""

    def __init__(self, *args, to_name: str = "", to_address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.to_name, self.to_address = to_name, to_address

    def as_bytes(self) -> bytes:
        for value in (self.subject, self.to_name, self.to_address):
            if "\r" in value or "\n" in value:
                raise ValueError("a header value holds a line break")
        out = EmailMessage(policy=SMTP_POLICY)
        out["From"] = formataddr(self.sender) if isinstance(self.sender, (tuple, list)) else self.sender
        out["Date"] = formatdate(self.date, localtime=True)
        out["Message-ID"] = self.msgId
        for name, value in (self.extra_headers or {}).items():
            out[name] = value
        out.set_content(self.body or "")
        if self.html:
            out.add_alternative(self.html, subtype="html")
        for attachment in self.attachments:
            # The text (and HTML) body stays first; the message becomes multipart/mixed.
            maintype, _, subtype = (attachment.content_type or "").partition("/")
            if not maintype or not subtype:
                maintype, subtype = "application", "octet-stream"
            data = attachment.data.encode("utf-8") if isinstance(attachment.data, str) else bytes(attachment.data)
            params = {"charset": "utf-8"} if maintype == "text" and _is_utf8(data) else None
            out.add_attachment(data, maintype=maintype, subtype=subtype, filename=attachment.filename, params=params)
        own = f"Subject: {encode_words(self.subject)}\r\nTo: {encode_address(self.to_name, self.to_address)}\r\n"
        return own.encode("ascii") + out.as_bytes()

    def as_string(self) -> str:
        return self.as_bytes().decode("ascii", errors="replace")


def build_message(row: OutboxMessage, attachments=()) -> Message:
    """The message of an outbox row, with `attachments` (OutboxAttachment rows or snapshots)."""
    message = PortalMessage(subject=row.subject, recipients=[row.to_address], body=row.body_text,
                            html=row.body_html, sender=current_app.config["MAIL_DEFAULT_SENDER"],
                            to_name=row.to_name, to_address=row.to_address)
    # A stable Message-ID lets receivers recognise a resend after a crash as the same message.
    message.msgId = row.message_id
    message.extra_headers = {"Content-Language": row.language}
    for attachment in attachments:
        if "\r" in attachment.filename or "\n" in attachment.filename:
            raise ValueError("an attachment's file name holds a line break")
        message.attach(attachment.filename, attachment.content_type, attachment.data)
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

    def send(self, row: OutboxMessage, attachments=()) -> None:
        self._connection.send(build_message(row, attachments))

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

    def send(self, row: OutboxMessage, attachments=()) -> None:
        path = os.path.join(self._folder, f"{row.id:06d}.eml")
        with open(path, "wb") as handle:
            handle.write(build_message(row, attachments).as_bytes())
        log.warning("Mail to %s written to %s (no MAIL_SERVER configured)", row.to_address, path)

    def __exit__(self, *exc_info):
        return None


def uses_smtp() -> bool:
    """False in development, where mail becomes files and no connection limit applies."""
    return bool(current_app.config.get("MAIL_SERVER"))


def open_transport():
    return SmtpTransport() if uses_smtp() else FileTransport()
