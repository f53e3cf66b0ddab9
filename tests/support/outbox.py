"""Helpers for the outbox tests and benchmark: bulk queueing, delivering until done, SMTP
handlers that misbehave on purpose, a server that counts its connections, worker processes."""
import asyncio
import collections
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time

import aiosmtpd.smtp
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.outbox import queue_message
from portal.outbox.models import OutboxMessage
from portal.outbox.worker import deliver_due
from tests.support.mail import EphemeralController, RecordingHandler, SmtpServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the project
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def queue_many(app, count: int, batch_key: str = "campaign:1", attachments_key: str | None = None,
               start: int = 0) -> list[str]:
    """`count` messages to distinct recipients, one transaction; returns the Message-IDs of
    those queued (a dedup key already used queues nothing)."""
    with app.app_context():
        ids = []
        for index in range(start, start + count):
            message = queue_message(
                to_address=f"person{index}@example.org", to_name=f"Personne {index}",
                subject=f"Invitation {index}", body_text=f"Bonjour {index},\n\nVous êtes invité(e).",
                body_html=f"<p>Bonjour {index},</p><p>Vous êtes invité(e).</p>",
                dedup_key=f"{batch_key}:{index}", batch_key=batch_key, attachments_key=attachments_key)
            if message is not None:
                ids.append(message.message_id)
        db.session.commit()
        db.session.remove()
    return ids


def make_due_now(app) -> None:
    """Skip the backoff wait (the clock is not ours to move)."""
    with app.app_context():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.status == "queued")
                           .values(next_attempt_at=dt.datetime(2000, 1, 1)))
        db.session.commit()
        db.session.remove()


def deliver(app, **kwargs) -> dict:
    with app.app_context():
        try:
            return deliver_due(**kwargs)
        finally:
            db.session.remove()


def deliver_until_done(app, rounds: int = 20) -> int:
    """Deliver, skipping each backoff wait, until nothing is queued; returns the rounds used."""
    for round_number in range(1, rounds + 1):
        deliver(app)
        now = statuses(app)
        if now.get("queued", 0) + now.get("sending", 0) == 0:
            return round_number
        make_due_now(app)
    raise AssertionError(f"still undelivered after {rounds} rounds: {statuses(app)}")


def statuses(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        result = {status: count for status, count in rows}
        db.session.remove()
        return result


def wait_for(condition, timeout: float, what: str, interval: float = 0.05):
    """Poll `condition` until true (a deadline for a hang, never a speed requirement)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


# --- SMTP handlers ----------------------------------------------------------------------------
class IdRecordingHandler:
    """Keeps each accepted message's recipients and Message-ID, without parsing the whole
    message (cheap enough for thousands); an optional delay slows every message."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.received: list[tuple[str, str]] = []  # (recipient, Message-ID)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        header = envelope.original_content.split(b"\r\n\r\n", 1)[0]
        match = MESSAGE_ID.search(header)
        message_id = match.group(1).decode() if match else ""
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, message_id))
        return "250 Message accepted for delivery"

    @property
    def message_ids(self) -> list[str]:
        return [message_id for _, message_id in self.received]


def duplicates(message_ids: list[str]) -> dict[str, int]:
    return {mid: n for mid, n in collections.Counter(message_ids).items() if n > 1}


class StopAfter(RecordingHandler):
    """Accepts `count` messages, then stops the whole server from another thread while the next
    one waits for its answer (which never comes): the server going down mid-batch."""

    def __init__(self, count: int):
        super().__init__()
        self.count, self.server, self.tripped = count, None, False

    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) >= self.count and not self.tripped:
            self.tripped = True
            threading.Thread(target=self.server.stop).start()
            await asyncio.Event().wait()  # cancelled by the stop: this message was never accepted
        return await super().handle_DATA(server, session, envelope)


class Greylisting(RecordingHandler):
    """Answers 451 to the first attempt for each recipient, then accepts (like greylisting)."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()
        self.refusals = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address not in self.seen:
            self.seen.add(address)
            self.refusals += 1
            return "451 4.3.0 try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class AlwaysLater(RecordingHandler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "451 4.3.0 try later"


class Refusing(RecordingHandler):
    """Answers `answer` (a 5xx) for recipients whose address starts with `prefix`, by default all
    of them; the others are accepted."""

    def __init__(self, prefix: str = "", answer: str = "550 5.1.1 No such user here"):
        super().__init__()
        self.prefix, self.answer = prefix, answer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith(self.prefix):
            return self.answer
        envelope.rcpt_tos.append(address)
        return "250 OK"


class BlockOnce(IdRecordingHandler):
    """Receives message number `at`, then holds back its answer until `release` is set: the
    server has the message, the worker has not heard "250" yet (the window a kill can hit)."""

    def __init__(self, at: int):
        super().__init__()
        self.at = at
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.received) == self.at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        return answer


# --- a server that counts its open connections -------------------------------------------------
class ConnectionCounter:
    def __init__(self):
        self.lock = threading.Lock()
        self.open = 0
        self.peak = 0
        self.total = 0

    def change(self, delta: int) -> None:
        with self.lock:
            self.open += delta
            if delta > 0:
                self.total += 1
                self.peak = max(self.peak, self.open)

    def reset(self) -> None:
        with self.lock:
            self.peak, self.total = self.open, 0


class _CountingSMTP(aiosmtpd.smtp.SMTP):
    counter: ConnectionCounter

    def connection_made(self, transport):
        self.counter.change(+1)
        super().connection_made(transport)

    def connection_lost(self, error):
        self.counter.change(-1)
        super().connection_lost(error)


class CountingServer(SmtpServer):
    """SmtpServer whose `counter` knows how many SMTP connections are open, and the most at once."""

    def __init__(self, handler=None):
        self.counter = ConnectionCounter()
        counter = self.counter

        class Controller(EphemeralController):
            def factory(self):
                smtp = _CountingSMTP(self.handler, **self.SMTP_kwargs)
                smtp.counter = counter
                return smtp

        self.handler = handler or IdRecordingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=0)
        self.controller.start()
        self.port = self.controller.port
        self.counter.reset()  # the controller's own start-up probe does not count


# --- worker processes -------------------------------------------------------------------------
def start_worker(app, instance, port: int, **settings) -> subprocess.Popen:
    """`flask --app wsgi outbox work` in its own process, on the tests' database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "PORTAL_"))}
    env.update({
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": "test-secret-key",
        "PORTAL_INSTANCE_PATH": str(instance),
        "FLASK_OUTBOX_DELIVER_IN_APP": "false",
        "FLASK_RATELIMIT_ENABLED": "false",
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(port),
        "FLASK_OUTBOX_POLL_SECONDS": "0.2",
    })
    env.update({f"FLASK_{key}": str(value) for key, value in settings.items()})
    os.makedirs(instance, exist_ok=True)
    log_path = os.path.join(instance, f"worker-{time.monotonic_ns()}.log")
    with open(log_path, "wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work"],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log_path
    return process


def stop_worker(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_log(process: subprocess.Popen) -> str:
    with open(process.log_path, "rb") as handle:
        return handle.read().decode(errors="replace")[-3000:]
