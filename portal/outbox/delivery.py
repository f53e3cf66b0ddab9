"""Turning outbox rows into mail: over SMTP with Flask-Mail, or as .eml files when no server is set."""
import base64
import binascii
import logging
import os
import re
import secrets
import smtplib
import urllib.parse
from email.headerregistry import Address
from email.utils import formataddr, formatdate, parseaddr
from functools import lru_cache

from flask import current_app
from flask_mail import Connection, sanitize_address

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
    if not _PLAIN_ADDRESS.fullmatch(address):  # the usual address passes without the parser's cost
        Address(addr_spec=address)  # raises on anything that is not one plain address
    return formataddr((name, address), charset="utf-8") if name else address


_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_TOKEN = re.compile(r"[A-Za-z0-9!#$&^_.+-]+")
_ONE_LINE = re.compile(r"[\r\n]")


def _single_line(*values: str) -> None:
    for value in values:
        if _ONE_LINE.search(value):
            raise ValueError("a header value holds a line break")


@lru_cache(maxsize=16)
def _sender_header(sender: str) -> str:
    """The From header of MAIL_DEFAULT_SENDER ("Name <address>"), encoded once per process."""
    name, address = parseaddr(sender)
    return encode_address(name, address)


def _text_part(text: str, subtype: str) -> bytes:
    """A text part's headers and body, in UTF-8: as is when it is short-lined ASCII, otherwise
    quoted-printable or base64, whichever is shorter (the standard library's choice, made by
    binascii: this runs once per message)."""
    lines = text.encode("utf-8").splitlines()  # at \r, \n and \r\n only, as the standard library cuts them
    data = b"\r\n".join(lines) + b"\r\n"
    if data.isascii() and max(map(len, lines), default=0) <= 78:
        encoding, payload = "7bit", data
    else:
        quoted = binascii.b2a_qp(data, istext=True)
        # base64 of the lines as the standard library encodes them (ended by \n): a reader decodes the same text
        based = base64.encodebytes(data.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
        encoding, payload = ("quoted-printable", quoted) if len(quoted) <= len(based) else ("base64", based)
    return (f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n").encode("ascii") + payload


def _filename_parameter(filename: str) -> str:
    """filename="…" for a short printable ASCII name, else RFC 2231 (UTF-8, percent-encoded), cut in
    numbered pieces so that no header line grows long."""
    if filename.isascii() and filename.isprintable() and len(filename) <= 60:
        return 'filename="{}"'.format(filename.replace("\\", "\\\\").replace('"', '\\"'))
    encoded = urllib.parse.quote(filename, safe="", encoding="utf-8")
    pieces, at = [], 0
    while at < len(encoded):
        cut = min(at + 60, len(encoded))
        if cut < len(encoded):  # never inside a %XX
            cut -= 2 if encoded[cut - 2] == "%" else 1 if encoded[cut - 1] == "%" else 0
        pieces.append(encoded[at:cut])
        at = cut
    if len(pieces) == 1:
        return f"filename*=utf-8''{pieces[0]}"
    pieces[0] = "utf-8''" + pieces[0]
    return ";\r\n ".join(f"filename*{n}*={piece}" for n, piece in enumerate(pieces))


def attachment_part(filename: str, content_type: str, data: bytes | str) -> bytes:
    """A file's MIME part (headers and base64 body). A file shared by the messages of a batch is
    written once per connection (the transports keep its part): base64 of a large file would
    otherwise be most of a message's cost."""
    _single_line(filename)
    maintype, _, subtype = (content_type or "").partition("/")
    if not _TOKEN.fullmatch(maintype) or not _TOKEN.fullmatch(subtype):
        maintype, subtype = "application", "octet-stream"
    data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    charset = '; charset="utf-8"' if maintype == "text" and _is_utf8(data) else ""
    return (f"Content-Type: {maintype}/{subtype}{charset}\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; {_filename_parameter(filename)}\r\n\r\n").encode("ascii") \
        + base64.encodebytes(data).replace(b"\n", b"\r\n")


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    """The Content-Type header of a multipart entity, a blank line and its parts between boundaries."""
    while True:
        boundary = f"=_{secrets.token_hex(12)}".encode("ascii")  # "=_" occurs in no base64 or QP text
        if not any(boundary in part for part in parts):
            break
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
    return (f'Content-Type: multipart/{subtype};\r\n boundary="'.encode("ascii") + boundary + b'"\r\n\r\n'
            + body + b"--" + boundary + b"--\r\n")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class Part(bytes):
    """An attachment already written as a MIME part (attachment_part), attached as is."""


class PortalMessage:
    """A message as the portal writes it, for Flask-Mail's SMTP client to send (SmtpTransport).
    The standard library's email API (which Flask-Mail's Message uses) parsed and refolded every
    header it wrote, twice the time smtplib took to send the message: the headers are written here,
    each value encoded by encode_words() or encode_address(); the parts are UTF-8 text and base64
    files (a Part: written once per connection)."""

    def __init__(self, subject: str, body: str, html: str | None, sender: str, to_name: str, to_address: str,
                 message_id: str, extra_headers: dict[str, str]):
        self.subject, self.body, self.html, self.sender = subject, body, html, sender
        self.to_name, self.to_address, self.msgId, self.extra_headers = to_name, to_address, message_id, extra_headers
        self.date: float | None = None  # now, when written
        self.attachments: list[Part] = []

    def attach_part(self, part: Part) -> None:
        self.attachments.append(part)

    def as_bytes(self) -> bytes:
        _single_line(self.subject, self.sender, self.to_name, self.to_address, self.msgId,
                     *self.extra_headers.values())
        headers = [f"Subject: {encode_words(self.subject)}",
                   f"To: {encode_address(self.to_name, self.to_address)}",
                   f"From: {_sender_header(self.sender)}",
                   f"Date: {formatdate(self.date, localtime=True)}",
                   f"Message-ID: {self.msgId}",
                   *(f"{name}: {value}" for name, value in self.extra_headers.items()),
                   "MIME-Version: 1.0", ""]
        body = _text_part(self.body or "", "plain")
        if self.html:
            body = _multipart("alternative", [body, _text_part(self.html, "html")])
        if self.attachments:
            body = _multipart("mixed", [body, *self.attachments])
        return "\r\n".join(headers).encode("ascii") + body

    def as_string(self) -> str:
        return self.as_bytes().decode("ascii", errors="replace")


def build_message(row: OutboxMessage, attachments=(), parts: dict | None = None) -> PortalMessage:
    """The message of an outbox row, with `attachments` (OutboxAttachment rows or snapshots).
    `parts` ({attachment id: Part}) keeps the parts written for earlier messages of the batch."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    sender = formataddr(tuple(sender)) if isinstance(sender, (tuple, list)) else sender
    # A stable Message-ID lets receivers recognise a resend after a crash as the same message.
    message = PortalMessage(row.subject, row.body_text, row.body_html, sender,
                            row.to_name, row.to_address, row.message_id, {"Content-Language": row.language})
    for attachment in attachments:
        part = parts.get(attachment.id) if parts is not None and attachment.id is not None else None
        if part is None:
            part = Part(attachment_part(attachment.filename, attachment.content_type, attachment.data))
            if parts is not None and attachment.id is not None:
                parts[attachment.id] = part
        message.attach_part(part)
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
        self._parts = {}  # the attachments written for this connection's messages, by id
        self._envelope_from = parseaddr(self._state.default_sender if isinstance(self._state.default_sender, str)
                                        else formataddr(tuple(self._state.default_sender)))[1]
        self._connection = _TimedConnection(self._state)
        self._connection.__enter__()
        return self

    def send(self, row: OutboxMessage, attachments=()) -> None:
        """Through Flask-Mail's connection (its SMTP client, None when MAIL_SUPPRESS_SEND), without
        its Connection.send(): that one parsed and re-encoded the sender's and the recipient's
        address at every message (as long as writing the message), where the envelope needs the
        sender's address, read once, and the recipient's, checked when the message was written."""
        data = build_message(row, attachments, self._parts).as_bytes()
        recipient = row.to_address if row.to_address.isascii() else sanitize_address(row.to_address)
        if self._connection.host is not None:
            self._connection.host.sendmail(self._envelope_from, [recipient], data)

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
        self._parts = {}
        return self

    def send(self, row: OutboxMessage, attachments=()) -> None:
        path = os.path.join(self._folder, f"{row.id:06d}.eml")
        with open(path, "wb") as handle:
            handle.write(build_message(row, attachments, self._parts).as_bytes())
        log.warning("Mail to %s written to %s (no MAIL_SERVER configured)", row.to_address, path)

    def __exit__(self, *exc_info):
        return None


def uses_smtp() -> bool:
    """False in development, where mail becomes files and no connection limit applies."""
    return bool(current_app.config.get("MAIL_SERVER"))


def open_transport():
    return SmtpTransport() if uses_smtp() else FileTransport()
