"""Acknowledgement mail through the outbox to a real SMTP server (aiosmtpd on 127.0.0.1)."""
import datetime as dt
import email
import email.policy
import os
import re
import socket

from sqlalchemy import update

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from tests.support.data import outbox, registrations
from tests.support.outbox import Refusing, deliver
from tests.support.web import post_registration, valid_registration

SLUG = "oriental"


def make_due_now(app):
    """Skip the backoff wait (the clock is not ours to move), for every message: sent ones too,
    which must not go again (tests.support.outbox.make_due_now moves the queued ones only)."""
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(next_attempt_at=dt.datetime(2000, 1, 1)))
        db.session.commit()


def test_french_acknowledgement_arrives_with_the_manage_link(app, client, events, smtp_server):
    post_registration(client, SLUG, valid_registration(app, SLUG, first_name="Aïcha", last_name="Benâli"))
    assert deliver(app)["sent"] == 1
    [(envelope, message)] = smtp_server.messages
    [registration] = registrations(app)
    assert envelope.rcpt_tos == ["amina@example.org"]
    assert message["Subject"].startswith("Accusé de réception de votre inscription : 2e événement de co-création")
    assert "Aïcha Benâli" in message["To"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Bonjour Aïcha," in text and registration.reference in text
    link = re.search(r"http://portal\.example\.org(/manage/[A-Za-z0-9_-]{40,})", text).group(1)
    assert link in html and 'lang="fr"' in html
    assert "Aïcha" in client.get(link).get_data(as_text=True)  # the mailed link opens the registration
    [stored] = outbox(app)
    assert stored.status == "sent"
    # The copy kept once sent no longer holds the secret link (nor does any table: only its hash).
    token = link.rsplit("/", 1)[1]
    assert token not in stored.body_text and token not in stored.body_html and "/manage/…" in stored.body_text


def test_arabic_acknowledgement_bytes_decode_to_arabic_text(app, client, events, smtp_server):
    data = valid_registration(app, SLUG, first_name="فاطمة", last_name="الزهراء", language="ar")
    post_registration(client, SLUG, data)
    deliver(app)
    [(envelope, message)] = smtp_server.messages
    raw = envelope.original_content
    assert "فاطمة".encode() not in raw.split(b"\r\n\r\n", 1)[0]  # headers are RFC 2047-encoded, not raw
    assert message["Subject"].startswith("إشعار بالتوصل بطلب تسجيلكم")
    assert "لقاء الإعداد المشترك الثاني: جهة الشرق" in message["Subject"]
    assert "فاطمة الزهراء" in message["To"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "فاطمة" in text and "الحق في الحصول على المعلومات" in text
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_server_down_registration_succeeds_and_mail_is_delivered_once_when_back(app, client, events, smtp_server):
    smtp_server.stop()
    response = post_registration(client, SLUG, valid_registration(app, SLUG))
    assert response.status_code == 303  # the registrant is not kept waiting or refused
    totals = deliver(app)
    assert totals["sent"] == 0 and totals["retry"] == 1
    [row] = outbox(app)
    assert row.status == "queued" and row.attempts == 1 and row.last_error
    assert deliver(app)["claimed"] == 0  # backing off: not due yet

    smtp_server.start()
    make_due_now(app)
    assert deliver(app)["sent"] == 1
    assert deliver(app)["claimed"] == 0
    make_due_now(app)
    assert deliver(app)["claimed"] == 0
    assert len(smtp_server.messages) == 1
    assert outbox(app)[0].status == "sent"


def test_permanent_refusal_is_recorded_with_the_servers_answer(app, client, events, smtp_server):
    smtp_server.start(Refusing())
    post_registration(client, SLUG, valid_registration(app, SLUG))
    assert deliver(app)["failed"] == 1
    [row] = outbox(app)
    assert row.status == "failed" and "550" in row.last_error and "No such user" in row.last_error


def test_a_dead_workers_claim_is_taken_over_after_its_lease(app, client, events, smtp_server):
    post_registration(client, SLUG, valid_registration(app, SLUG))
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(
            status="sending", claimed_by="dead-worker", claimed_until=dt.datetime(2000, 1, 1)))
        db.session.commit()
    assert deliver(app)["sent"] == 1
    assert len(smtp_server.messages) == 1


def test_without_mail_server_messages_are_written_as_eml_files(app, client, events, caplog):
    assert not app.config["MAIL_SERVER"]
    post_registration(client, SLUG, valid_registration(app, SLUG))
    with caplog.at_level("WARNING"):
        assert deliver(app)["sent"] == 1
    [row] = outbox(app)
    path = os.path.join(app.instance_path, "mail", f"{row.id:06d}.eml")
    assert os.path.exists(path)
    assert path in caplog.text
    with open(path, "rb") as handle:
        raw = handle.read()
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # non-ASCII header text is RFC 2047-encoded
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"].startswith("Accusé de réception de votre inscription : ")


def test_outbox_work_command_delivers(app, client, events, smtp_server, runner):
    post_registration(client, SLUG, valid_registration(app, SLUG))
    result = runner.invoke(args=["outbox", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(smtp_server.messages) == 1


def test_free_port_is_really_closed_when_server_stops(smtp_server):
    """Guards the fault test above: a stopped aiosmtpd must refuse connections."""
    smtp_server.stop()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", smtp_server.port)) != 0
