"""`make bench`: a 10,000-message campaign through the outbox worker, beside raw smtplib.

The SMTP server is aiosmtpd in a process of its own (it only counts what it receives), so the
server's work does not share the sender's interpreter. Measured, in one run:
- the worker (deliver_due, as `flask outbox work` runs it): render each message, send it over one
  SMTP connection per batch of OUTBOX_BATCH_SIZE, commit each result;
- two `flask --app wsgi outbox work` processes at once on the same queue;
- raw smtplib sending the same 10,000 messages, rendered beforehand, over one connection:
  the floor of the SMTP dialogue itself.
The report (printed, and written to benchmarks/results/mail.txt) gives messages per second and the
worker's rate over raw smtplib's. Noisy on a shared 2-core machine: compare ratios of one run.
"""
import os
import signal
import smtplib
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import delete, select, update

from portal.extensions import db
from portal.outbox.delivery import build_message
from portal.outbox.models import OutboxMessage
from portal.outbox.worker import deliver_due
from tests.support.mail import use_smtp_server
from tests.support.outbox import queue_many, start_worker, statuses, stop_worker, wait_for

pytestmark = pytest.mark.bench
RESULTS = os.path.join(os.path.dirname(__file__), "results")
COUNT = int(os.environ.get("BENCH_MAIL_COUNT", "10000"))

SERVER = textwrap.dedent("""
    import signal, sys
    from aiosmtpd.controller import Controller

    class Counting:
        count = size = 0
        async def handle_DATA(self, server, session, envelope):
            Counting.count += 1
            Counting.size += len(envelope.original_content)
            return "250 Message accepted for delivery"

    class Ephemeral(Controller):
        def _trigger_server(self):
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    controller = Ephemeral(Counting(), hostname="127.0.0.1", port=0)
    controller.start()
    print(controller.port, flush=True)
    signal.signal(signal.SIGUSR1, lambda *_: print(Counting.count, Counting.size, flush=True))
    while True:
        signal.pause()
""")


class CountingServerProcess:
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def counts(self) -> tuple[int, int]:
        self.process.send_signal(signal.SIGUSR1)
        count, size = self.process.stdout.readline().split()
        return int(count), int(size)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def requeue(app) -> None:
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(status="queued", attempts=0, claimed_by=None,
                                                        claimed_until=None, sent_at=None))
        db.session.commit()
        db.session.remove()


def test_worker_throughput_beside_raw_smtplib(app, monkeypatch, tmp_path):
    server = CountingServerProcess()
    try:
        use_smtp_server(app, monkeypatch, server.port)

        with app.app_context():  # an empty outbox, whatever ran before
            db.session.execute(delete(OutboxMessage))
            db.session.commit()
            db.session.remove()
        started = time.perf_counter()
        queue_many(app, COUNT, batch_key="campaign:bench")
        queue_seconds = time.perf_counter() - started

        # 1. the worker, in this process: what one `flask outbox work` does
        with app.app_context():
            started = time.perf_counter()
            totals = deliver_due()
            worker_seconds = time.perf_counter() - started
            db.session.remove()
        assert totals["sent"] == COUNT and statuses(app) == {"sent": COUNT}
        received, size = server.counts()
        assert received == COUNT

        # 2. two worker processes at once (start-up excluded: timed from the first message)
        requeue(app)
        workers = [start_worker(app, tmp_path / f"w{n}", server.port, OUTBOX_POLL_SECONDS=0.1) for n in range(2)]
        try:
            wait_for(lambda: server.counts()[0] > received, timeout=120, what="the first message", interval=0.01)
            started = time.perf_counter()
            wait_for(lambda: statuses(app) == {"sent": COUNT}, timeout=600, what="10,000 sent", interval=0.05)
            two_seconds = time.perf_counter() - started
        finally:
            for worker in workers:
                stop_worker(worker)
        assert server.counts()[0] == 2 * COUNT

        # 3. raw smtplib: the same messages rendered beforehand, one connection
        with app.app_context():
            rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            sender = app.config["MAIL_DEFAULT_SENDER"]
            envelope_from = sender.split("<")[-1].rstrip(">") if "<" in sender else sender
            started = time.perf_counter()
            rendered = [(row.to_address, build_message(row).as_bytes()) for row in rows]
            render_seconds = time.perf_counter() - started
            db.session.remove()
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", server.port) as smtp:
            for address, data in rendered:
                smtp.sendmail(envelope_from, [address], data)
        raw_seconds = time.perf_counter() - started
        assert server.counts()[0] == 3 * COUNT
    finally:
        server.stop()

    worker_rate, two_rate, raw_rate = COUNT / worker_seconds, COUNT / two_seconds, COUNT / raw_seconds
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    lines = [
        (f"Mail: {COUNT:,} messages ({size / received / 1024:.1f} KB each) to a local aiosmtpd (its own process), "
         f"database {database}, batch {app.config['OUTBOX_BATCH_SIZE']}"),
        f"queueing ({COUNT:,} queue_message calls with dedup keys, one transaction): {queue_seconds:.1f} s",
        f"worker, 1 process (1 connection):    {worker_seconds:6.1f} s  {worker_rate:7.0f} msg/s",
        f"worker, 2 processes (2 connections): {two_seconds:6.1f} s  {two_rate:7.0f} msg/s",
        (f"raw smtplib, pre-rendered, 1 conn:   {raw_seconds:6.1f} s  {raw_rate:7.0f} msg/s "
         f"(rendering them took {render_seconds:.1f} s more: {COUNT / render_seconds:.0f} msg/s)"),
        f"ratio worker / raw smtplib: {worker_rate / raw_rate:.2f} (1 process), {two_rate / raw_rate:.2f} (2 processes)",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "mail.txt"), "w") as handle:
        handle.write(report + "\n")
