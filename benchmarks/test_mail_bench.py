"""`make bench`: an invitation campaign of 3,000 messages through the outbox worker, beside raw smtplib.

The issue's measure (issue 13, item 4): the campaign's messages per second over raw smtplib's over
one connection. The messages are shaped like an institutional invitation campaign's (the default
template rendered per recipient, French and one in four Arabic, text and HTML, each with its own
PDF letter: queue_invitations below). The SMTP server is aiosmtpd in a process of
its own (it only counts what it receives), so its work does not share the sender's interpreter.
Measured, in one run, on the same queue (requeued between runs):
- the production set-up: two `flask --app wsgi outbox work` processes, with their default
  OUTBOX_WORKER_CONNECTIONS and MAIL_MAX_CONNECTIONS (timed from the first message to the last mark);
- one worker process in this interpreter: deliver_due() over one connection, then
  deliver_due_side_by_side() over OUTBOX_WORKER_CONNECTIONS;
- raw smtplib sending the same messages, written out beforehand, over one connection: the floor of
  the SMTP dialogue itself.
The main figure (the production set-up over raw smtplib) goes to the run's table
(benchmarks/table.py); the details to benchmarks/results/mail.txt. BENCH_MAIL_COUNT changes the
size. Noisy on a shared 2-core machine: compare ratios of one run.
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

from benchmarks import table
from portal.extensions import db
from portal.outbox import queue_message
from portal.outbox.connections import Pacer
from portal.outbox.delivery import build_message
from portal.outbox.models import OutboxAttachment, OutboxMessage
from portal.outbox.worker import deliver_due, deliver_due_side_by_side
from tests.support.mail import use_smtp_server
from tests.support.outbox import start_worker, statuses, stop_worker, wait_for

pytestmark = pytest.mark.bench
RESULTS = os.path.join(os.path.dirname(__file__), "results")
COUNT = int(os.environ.get("BENCH_MAIL_COUNT", "3000"))

def invitation_letter() -> bytes:
    """A one-page PDF laid out by WeasyPrint, like the letter each invited institution receives."""
    from weasyprint import HTML
    body = "".join(f"<p>Paragraphe {n} de la lettre d'invitation officielle, à l'attention de l'institution, "
                   "au titre du Partenariat pour un Gouvernement Ouvert.</p>" for n in range(8))
    return HTML(string=f"<html lang='fr'><body><h1>Invitation</h1>{body}</body></html>").write_pdf()


def queue_invitations(app, count: int, batch_key: str = "campaign:invitations") -> int:
    """`count` messages shaped like an institutional invitation campaign's: the default template
    ("Invitation institutionnelle") rendered for each recipient in French or, one in four, Arabic
    (text and HTML), each with its own PDF letter. One transaction; returns the letter's size."""
    from portal.campaigns.defaults import DEFAULT_TEMPLATES
    from portal.campaigns.placeholders import render_html, render_text
    [template] = [t for t in DEFAULT_TEMPLATES if t["name"] == "Invitation institutionnelle"]
    letter = invitation_letter()
    with app.app_context():
        for index in range(count):
            language = "ar" if index % 4 == 3 else "fr"
            values = {
                "salutation": "Monsieur le Wali" if language == "fr" else "السيد الوالي",
                "action_plan": "plan d'action national 2026-2028", "closing": "Veuillez agréer nos salutations.",
                "signature": "Le comité d'organisation", "institution.name": f"Institution {index}",
                "event.title": "2e événement de co-création : région de l'Oriental",
                "event.date": "mardi 19 octobre 2027", "event.city": "Oujda", "event.venue": "Palais des congrès",
                "event.link": "http://portal.example.org/evenements/oriental",
                "answer_link": f"http://portal.example.org/invitations/{index:043d}"}
            body = template[f"body_{language}"]
            queue_message(
                to_address=f"institution{index}@example.org", to_name=f"Institution {index}",
                subject=" ".join(render_text(template[f"subject_{language}"], values, language).split()),
                body_text=render_text(body, values, language), body_html=render_html(body, values, language),
                language=language, dedup_key=f"{batch_key}:{index}", batch_key=batch_key,
                about=f"institution:{index}",
                own_attachments=[(f"invitation-1-{index}.pdf", "application/pdf", letter)])
        db.session.commit()
        db.session.remove()
    return len(letter)


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


def deliver_in_process(app, connections: int) -> float:
    """Seconds for this interpreter's worker to send the whole queue."""
    requeue(app)
    with app.app_context():
        started = time.perf_counter()
        if connections == 1:
            totals = deliver_due(pacer=Pacer(0))
        else:
            totals = deliver_due_side_by_side([Pacer(0) for _ in range(connections)])
        seconds = time.perf_counter() - started
        db.session.remove()
    assert totals["sent"] == COUNT and statuses(app) == {"sent": COUNT}
    return seconds


def test_invitation_campaign_beside_raw_smtplib(app, monkeypatch, tmp_path):
    server = CountingServerProcess()
    try:
        use_smtp_server(app, monkeypatch, server.port)
        with app.app_context():  # an empty outbox, whatever ran before
            db.session.execute(delete(OutboxMessage))
            db.session.execute(delete(OutboxAttachment))
            db.session.commit()
            db.session.remove()
        started = time.perf_counter()
        letter = queue_invitations(app, COUNT)
        queue_seconds = time.perf_counter() - started

        # 1. raw smtplib: the same messages written out beforehand, one connection
        with app.app_context():
            rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            files = {file.key: file for file in db.session.scalars(select(OutboxAttachment))}
            sender = app.config["MAIL_DEFAULT_SENDER"]
            envelope_from = sender.split("<")[-1].rstrip(">") if "<" in sender else sender
            started = time.perf_counter()
            written = [(row.to_address, build_message(row, [files[row.own_attachments_key]]).as_bytes())
                       for row in rows]
            write_seconds = time.perf_counter() - started
            db.session.remove()
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", server.port) as smtp:
            for address, data in written:
                smtp.sendmail(envelope_from, [address], data)
        raw_seconds = time.perf_counter() - started
        received, size = server.counts()
        assert received == COUNT

        # 2. the production set-up: two worker processes (start-up excluded: timed from the first message)
        workers = [start_worker(app, tmp_path / f"w{n}", server.port, OUTBOX_POLL_SECONDS=0.1) for n in range(2)]
        try:
            wait_for(lambda: server.counts()[0] > received, timeout=120, what="the first message", interval=0.01)
            started = time.perf_counter()
            wait_for(lambda: statuses(app) == {"sent": COUNT}, timeout=600, what="all sent", interval=0.05)
            two_seconds = time.perf_counter() - started
        finally:
            for worker in workers:
                stop_worker(worker)
        assert server.counts()[0] == 2 * COUNT

        # 3. one process: one connection, then its OUTBOX_WORKER_CONNECTIONS side by side
        one_seconds = deliver_in_process(app, 1)
        connections = app.config["OUTBOX_WORKER_CONNECTIONS"]
        side_seconds = deliver_in_process(app, connections)
        assert server.counts()[0] == 4 * COUNT
    finally:
        server.stop()

    raw_rate, two_rate = COUNT / raw_seconds, COUNT / two_seconds
    one_rate, side_rate = COUNT / one_seconds, COUNT / side_seconds
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    table.record(
        "invitation campaign of 3,000 vs raw smtplib, one connection (messages/s)", two_rate / raw_rate, ">= 0.5",
        detail=(f"{COUNT:,} messages of {size / received / 1024:.1f} KB (text, HTML, a PDF letter each) to aiosmtpd "
                f"in its own process; production set-up: two `flask outbox work` processes, "
                f"{connections} connections each within MAIL_MAX_CONNECTIONS={app.config['MAIL_MAX_CONNECTIONS']}: "
                f"{two_rate:.0f}/s; raw smtplib, messages written beforehand: {raw_rate:.0f}/s. One process: "
                f"{one_rate / raw_rate:.2f} × over one connection ({one_rate:.0f}/s), "
                f"{side_rate / raw_rate:.2f} × over {connections} ({side_rate:.0f}/s)"))
    lines = [
        (f"Mail: an invitation campaign of {COUNT:,} messages ({size / received / 1024:.1f} KB each, a {letter / 1024:.1f} KB "
         f"PDF letter each) to a local aiosmtpd (its own process), database {database}, "
         f"batch {app.config['OUTBOX_BATCH_SIZE']}, marks every {app.config['OUTBOX_RECORD_EVERY']}"),
        f"queueing ({COUNT:,} queue_message calls with dedup keys and a letter, one transaction): {queue_seconds:.1f} s",
        (f"raw smtplib, written beforehand, 1 connection: {raw_seconds:6.1f} s  {raw_rate:6.0f} msg/s "
         f"(writing them took {write_seconds:.1f} s more: {COUNT / write_seconds:.0f} msg/s)"),
        f"2 worker processes ({connections} connections each): {two_seconds:6.1f} s  {two_rate:6.0f} msg/s  {two_rate / raw_rate:.2f} ×",
        f"1 worker process, 1 connection:             {one_seconds:6.1f} s  {one_rate:6.0f} msg/s  {one_rate / raw_rate:.2f} ×",
        f"1 worker process, {connections} connections:            {side_seconds:6.1f} s  {side_rate:6.0f} msg/s  {side_rate / raw_rate:.2f} ×",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "mail.txt"), "w") as handle:
        handle.write(report + "\n")
