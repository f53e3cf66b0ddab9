"""The outbox worker's duties beyond one message: attachments, the SMTP connection limit shared
by all workers (SmtpSlot leases), the send rate, and leases that outlast a long batch."""
import datetime as dt
import email
import email.policy
import itertools
import os
import threading

import pytest
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.outbox import queue_message
from portal.outbox.connections import Pacer, release_slot, try_acquire_slot
from portal.outbox.models import OutboxAttachment, OutboxMessage, SmtpSlot
from portal.outbox.worker import claim_batch
from tests.support.data import outbox
from tests.support.mail import use_smtp_server
from tests.support.outbox import CountingServer, IdRecordingHandler, deliver, duplicates, queue_many, statuses, wait_for

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\r\n.\r\n..\n\x00\xff%%EOF"  # every byte value, SMTP dots
ICS = "BEGIN:VCALENDAR\r\nSUMMARY:Rencontre de co-création — لقاء\r\nEND:VCALENDAR\r\n".encode()


def add_files(app, key, files):
    with app.app_context():
        for filename, content_type, data in files:
            db.session.add(OutboxAttachment(key=key, filename=filename, content_type=content_type, data=data))
        db.session.commit()
        db.session.remove()


# --- attachments --------------------------------------------------------------------------------
def test_attachments_arrive_intact_beside_the_text_and_html_body(app, smtp_server):
    add_files(app, "campaign:7", [("programme.pdf", "application/pdf", PDF),
                                  ("rencontre-oriental.ics", "text/calendar", ICS),
                                  ("ملف.bin", "", b"\x01\x02")])
    queue_many(app, 3, batch_key="campaign:7", attachments_key="campaign:7")
    assert deliver(app)["sent"] == 3
    assert len(smtp_server.messages) == 3
    for _, message in smtp_server.messages:
        assert message.get_content_type() == "multipart/mixed"
        # the body is still text + HTML alternatives, first
        assert message.get_body(("plain",)).get_content().startswith("Bonjour ")
        assert "<p>Bonjour " in message.get_body(("html",)).get_content()
        attachments = [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
                       for part in message.iter_attachments()]
        assert attachments == [("programme.pdf", "application/pdf", PDF),
                               ("rencontre-oriental.ics", "text/calendar", ICS),
                               ("ملف.bin", "application/octet-stream", b"\x01\x02")]
        calendar = list(message.iter_attachments())[1]
        assert calendar.get_content_charset() == "utf-8" and "لقاء" in calendar.get_content()
    assert statuses(app) == {"sent": 3}


def test_a_message_without_attachments_key_stays_a_plain_alternative(app, smtp_server):
    add_files(app, "campaign:7", [("programme.pdf", "application/pdf", PDF)])
    queue_many(app, 1, batch_key="campaign:8")
    deliver(app)
    [(_, message)] = smtp_server.messages
    assert message.get_content_type() == "multipart/alternative"
    assert list(message.iter_attachments()) == []


LONG_NAME = "برنامج اللقاء الجهوي للحكومة المنفتحة بجهة الشرق، النسخة النهائية.pdf"  # RFC 2231, in pieces
TEXTS = {
    "long lines": "Bonjour,\n\n" + "Une ligne bien plus longue que soixante-dix-huit caractères. " * 8 + "\n.\nFrom here\n",
    "arabic": "مرحبًا،\n\nيسعدنا دعوتكم إلى لقاء الحكومة المنفتحة.\n",
    "short ascii": "Hello,\n\n--=_looks like a boundary\n.\n",
    "separators": "Ligne\u2028même ligne\x0cpage\n",
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_the_text_and_each_files_name_arrive_as_written(app, smtp_server, text):
    files = [(LONG_NAME, "application/pdf", PDF), ('a "quoted" \\ name.txt', "text/plain", "é\n".encode()),
             ("lettre.pdf", "not a/type; x", b"%PDF")]
    with app.app_context():
        queue_message(to_address="a@example.org", subject="Objet", body_text=text, body_html=None,
                      own_attachments=files)
        db.session.commit()
        db.session.remove()
    assert deliver(app)["sent"] == 1
    [(_, message)] = smtp_server.messages
    assert message.get_body(("plain",)).get_content() == text
    assert [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            for part in message.iter_attachments()] == [
        (LONG_NAME, "application/pdf", PDF), ('a "quoted" \\ name.txt', "text/plain", "é\n".encode()),
        ("lettre.pdf", "application/octet-stream", b"%PDF")]


def test_a_message_whose_attachments_are_missing_is_failed_not_sent_bare(app, smtp_server):
    queue_many(app, 2, batch_key="campaign:9", attachments_key="campaign:9")
    totals = deliver(app)
    assert totals["failed"] == 2 and totals["sent"] == 0
    assert smtp_server.messages == []
    assert all(row.status == "failed" and "campaign:9" in row.last_error for row in outbox(app))


def test_queue_message_stores_batch_and_attachments_keys_and_deduplicates(app):
    with app.app_context():
        first = queue_message(to_address="a@example.org", subject="S", body_text="B", dedup_key="campaign:3:1",
                              batch_key="campaign:3", attachments_key="campaign:3")
        again = queue_message(to_address="a@example.org", subject="S", body_text="B", dedup_key="campaign:3:1",
                              batch_key="campaign:3", attachments_key="campaign:3")
        db.session.commit()
        assert first is not None and again is None
        db.session.remove()
    [row] = outbox(app)
    assert (row.batch_key, row.attachments_key) == ("campaign:3", "campaign:3")


def test_eml_files_carry_the_attachments_too(app):
    add_files(app, "k", [("programme.pdf", "application/pdf", PDF)])
    queue_many(app, 1, attachments_key="k")
    deliver(app)
    [row] = outbox(app)
    with open(os.path.join(app.instance_path, "mail", f"{row.id:06d}.eml"), "rb") as handle:
        message = email.message_from_bytes(handle.read(), policy=email.policy.default)
    [attachment] = message.iter_attachments()
    assert attachment.get_payload(decode=True) == PDF


# --- the connection limit ---------------------------------------------------------------------
def test_slot_leases_limit_connections_and_free_themselves(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_CONNECTIONS", 2)
    with app.app_context():
        first, second = try_acquire_slot("worker-a"), try_acquire_slot("worker-b")
        assert {first, second} == {1, 2}
        assert try_acquire_slot("worker-c") is None  # both taken
        release_slot(first, "worker-a")
        assert try_acquire_slot("worker-c") == first
        release_slot(second, "worker-a")  # not its holder: no effect
        assert try_acquire_slot("worker-d") is None
        # worker-b dies: its lease runs out and the slot is anybody's again
        db.session.execute(update(SmtpSlot).where(SmtpSlot.id == second).values(lease_until=dt.datetime(2000, 1, 1)))
        db.session.commit()
        assert try_acquire_slot("worker-d") == second
        # lowering the limit takes effect at once: slot 2 is no longer used
        release_slot(first, "worker-c")
        release_slot(second, "worker-d")
        monkeypatch.setitem(app.config, "MAIL_MAX_CONNECTIONS", 1)
        assert try_acquire_slot("worker-e") == 1
        assert try_acquire_slot("worker-f") is None
        assert db.session.scalar(select(func.count()).select_from(SmtpSlot)) == 2  # made lazily, once
        db.session.remove()


def test_no_free_slot_means_no_connection_and_the_mail_waits(app, monkeypatch):
    server = CountingServer()
    try:
        use_smtp_server(app, monkeypatch, server.port)
        monkeypatch.setitem(app.config, "MAIL_MAX_CONNECTIONS", 1)
        queue_many(app, 5)
        with app.app_context():
            assert try_acquire_slot("another-worker") == 1
            db.session.remove()
        totals = deliver(app, slot_wait=0)
        assert totals["no_slot"] == 1 and totals["claimed"] == 0
        assert server.counter.total == 0  # not even connected
        assert statuses(app) == {"queued": 5}
        with app.app_context():  # the other worker is killed: its lease runs out
            db.session.execute(update(SmtpSlot).values(lease_until=dt.datetime(2000, 1, 1)))
            db.session.commit()
            db.session.remove()
        assert deliver(app, slot_wait=0)["sent"] == 5
        assert server.counter.total == 1
        with app.app_context():  # and the slot was given back after the batch
            assert db.session.scalar(select(SmtpSlot.holder).where(SmtpSlot.id == 1)) is None
            db.session.remove()
    finally:
        server.stop()


def test_several_workers_never_hold_more_connections_than_the_limit(app, monkeypatch):
    server = CountingServer(IdRecordingHandler(delay=0.01))
    try:
        use_smtp_server(app, monkeypatch, server.port)
        monkeypatch.setitem(app.config, "MAIL_MAX_CONNECTIONS", 2)
        monkeypatch.setitem(app.config, "OUTBOX_BATCH_SIZE", 10)
        expected = queue_many(app, 120)
        errors = []

        def work():
            try:
                deliver(app, slot_wait=30)
            except Exception as error:  # noqa: BLE001 - surfaced by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors
        assert sorted(server.handler.message_ids) == sorted(expected)
        assert server.counter.peak <= 2, f"{server.counter.peak} SMTP connections at once"
        assert server.counter.peak == 2  # the workers did overlap: the limit, not luck, held them
        assert server.counter.total >= 12 // 2  # one connection per batch
    finally:
        server.stop()


# --- the send rate ------------------------------------------------------------------------------
class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(Pacer, "clock", staticmethod(fake.clock))
    monkeypatch.setattr(Pacer, "sleep", staticmethod(fake.sleep))
    return fake


def test_each_connection_sends_at_the_rate_divided_by_the_connections(app, smtp_server, fake_clock, monkeypatch):
    class Stamping(IdRecordingHandler):
        def __init__(self):
            super().__init__()
            self.times = []

        async def handle_DATA(self, server, session, envelope):
            self.times.append(fake_clock.now)  # the worker's (fake) time when the message left
            return await super().handle_DATA(server, session, envelope)

    handler = Stamping()
    smtp_server.start(handler)
    monkeypatch.setitem(app.config, "OUTBOX_RATE_PER_SECOND", 6)
    monkeypatch.setitem(app.config, "MAIL_MAX_CONNECTIONS", 3)
    monkeypatch.setitem(app.config, "OUTBOX_BATCH_SIZE", 4)  # the pace holds across batches
    queue_many(app, 10)
    assert deliver(app)["sent"] == 10
    gaps = [later - earlier for earlier, later in zip(handler.times, handler.times[1:])]
    assert gaps == pytest.approx([0.5] * 9)  # 6 per second over 3 connections: 2 per second each
    assert sum(fake_clock.sleeps) == pytest.approx(4.5)


def test_no_rate_means_no_waiting(app, smtp_server, fake_clock):
    assert app.config["OUTBOX_RATE_PER_SECOND"] == 0
    queue_many(app, 5)
    assert deliver(app)["sent"] == 5
    assert fake_clock.sleeps == []


def test_pacer_does_not_catch_up_after_a_pause(fake_clock):
    pacer = Pacer(per_second=4)
    pacer.wait()
    fake_clock.now += 10  # a long pause (nothing to send)
    starts = []
    for _ in range(3):
        pacer.wait()
        starts.append(fake_clock.now)
    assert [b - a for a, b in itertools.pairwise(starts)] == pytest.approx([0.25, 0.25])  # no burst


# --- leases that outlast a long batch ---------------------------------------------------------
def test_a_batch_longer_than_the_lease_keeps_its_messages(app, smtp_server, monkeypatch):
    handler = IdRecordingHandler(delay=0.05)
    smtp_server.start(handler)
    monkeypatch.setitem(app.config, "OUTBOX_LEASE_SECONDS", 2)  # renewed every 2/3 s
    monkeypatch.setitem(app.config, "OUTBOX_BATCH_SIZE", 60)
    expected = queue_many(app, 60)  # 60 x 50 ms: the batch lasts over 3 s
    started = threading.Event()
    worker = threading.Thread(target=lambda: (started.set(), deliver(app)))
    worker.start()
    started.wait()
    wait_for(lambda: len(handler.received) >= 50, timeout=60, what="50 messages")  # past the first lease
    with app.app_context():
        stolen = claim_batch("thief", 100)  # a second worker finds nothing to take over
        db.session.remove()
    worker.join(timeout=60)
    assert stolen == []
    assert sorted(handler.message_ids) == sorted(expected) and not duplicates(handler.message_ids)
    assert statuses(app) == {"sent": 60}
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(OutboxMessage.claimed_by == "thief")) == 0
        db.session.remove()
