"""Security by class (issue 8): tokens at rest and in logs, mail headers built by the library,
uploads checked by content, exports safe in French spreadsheets, headers, the security log."""
import csv
import datetime as dt
import email
import email.policy
import io
import json
import logging
import os
import pathlib
import re
import zipfile

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from portal.clock import utcnow
from portal.database import writing
from portal.extensions import db
from portal.outbox import queue_message
from portal.outbox.delivery import build_message
from portal.outbox.models import OutboxMessage
from portal.outbox.queue import HeaderInjectionError
from portal.review.models import ExportLog
from portal.security_log import RedactTokens, log_path
from portal.tokens import redact_tokens
from portal.uploads import accept, clean_filename
from tests.support.data import issue_manage_path, mailed_manage_path, make_registrations, outbox, registrations
from tests.support.web import csrf_token, post_registration, valid_registration

SLUG = "oriental"


def _all_text(app) -> str:
    """Every text value of every table, as one string (to look for a secret)."""
    parts = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text))]
            if columns:
                parts += [str(v) for row in db.session.execute(select(*columns)) for v in row if v]
        db.session.remove()
    return "\n".join(parts)


# --- 5. tokens at rest, expiring, never in logs ------------------------------------------------------
def test_every_kind_of_token_is_stored_only_as_a_hash(app, client, auth, events, smtp_server):
    """Manage links, waiting-list offers and password resets: the link works, the database holds
    no copy of its token outside the mail not yet sent, and once the mail is sent, none at all."""
    post_registration(client, SLUG, valid_registration(app, SLUG))
    manage = mailed_manage_path(app).rsplit("/", 1)[1]
    auth.make("admin")
    page = client.get("/password/forgot").get_data(as_text=True)
    client.post("/password/forgot", data={"csrf_token": csrf_token(page), "email": "admin@example.org"})
    reset = re.search(r"/password/reset/([\w-]+)", outbox(app)[-1].body_text).group(1)
    [registration] = registrations(app)
    with app.app_context():
        from portal.registration.models import Registration
        from portal.registration.waitlist import WaitlistOffer
        offer, offer_token = WaitlistOffer.make(db.session.get(Registration, registration.id), utcnow(),
                                                dt.timedelta(hours=48))
        db.session.add(offer)
        db.session.commit()
    assert client.get(f"/manage/{manage}").status_code == 200
    assert client.get(f"/password/reset/{reset}").status_code == 200
    assert client.get(f"/offers/{offer_token}").status_code == 200
    with app.app_context():  # the mails are delivered: their stored copies lose the links
        from portal.outbox.worker import deliver_due
        assert deliver_due()["sent"] == len(smtp_server.messages) >= 2
        db.session.remove()
    stored = _all_text(app)
    for token in (manage, reset, offer_token):
        assert token not in stored


def test_a_manage_link_expires_with_the_retention_period_after_its_event(app, client, events, clock):
    post_registration(client, SLUG, valid_registration(app, SLUG))
    link = mailed_manage_path(app)
    assert client.get(link).status_code == 200
    with app.app_context():
        from portal.registration.models import Registration
        event_day = db.session.scalar(select(Registration)).event.starts_on
    clock.now = dt.datetime.combine(event_day, dt.time()) + dt.timedelta(days=364)
    assert client.get(link).status_code == 200
    clock.now += dt.timedelta(days=3)  # 12 months (RETENTION_MONTHS) after the event
    assert client.get(link).status_code == 404


def test_each_mail_carries_a_link_of_its_own_and_all_open_the_registration(app, client, events):
    post_registration(client, SLUG, valid_registration(app, SLUG))
    [registration] = registrations(app)
    first, second = mailed_manage_path(app), issue_manage_path(app, registration.id)
    assert first != second
    assert client.get(first).status_code == client.get(second).status_code == 200


@pytest.mark.parametrize("path", ["/manage/abcDEF_123-xyzXYZ0123456789abcdefghijklmnopq", "/offers/Tok-en_123",
                                  "/password/reset/R3s3t-t0k3n", "/invitations/Inv1t-4t10n",
                                  "/language/ar?next=%2Finvitations%2FInv1t-4t10n"])
def test_tokens_never_reach_the_access_log_nor_the_security_log(app, client, path, caplog):
    token = re.split(r"/|%2F", path)[-1]
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '127.0.0.1 - - "GET %s?x=1 HTTP/1.1" 404 -',
                               (path,), None)
    assert RedactTokens().filter(record) and token not in record.getMessage()
    assert token not in redact_tokens(f"https://portal.example.org{path}/cancel")
    assert isinstance(logging.getLogger("werkzeug").filters[0], RedactTokens)
    current_log = log_path(app)
    client.post(f"{path}/cancel")  # refused (no CSRF token): a security event with the path
    # (not for the language switch, a GET-only route: a 405 is no security event, and the month's
    # file may not exist yet when this case runs first)
    logged = pathlib.Path(current_log).read_text(encoding="utf-8") if os.path.exists(current_log) else ""
    assert token not in logged


# --- 6. mail headers and attachments ----------------------------------------------------------------
@pytest.mark.parametrize("name", ["Alaoui, Ahmed", 'Ahmed "Le Sage" Alaoui', "Ahmed <admin@evil.example>",
                                  "أحمد العلوي، رئيس الجمعية", "Zoé (ACODEC); Ali", "a" * 150])
def test_any_recipient_name_becomes_one_correctly_quoted_address(app, name):
    row = OutboxMessage(to_address="ahmed@example.org", to_name=name, subject="Objet", body_text="Bonjour",
                        body_html=None, language="fr", message_id="<1@example.org>")
    with app.app_context():
        raw = build_message(row).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    [address] = parsed["To"].addresses
    assert address.addr_spec == "ahmed@example.org" and address.display_name == name


def test_a_name_typed_over_two_lines_is_queued_on_one_where_a_broken_subject_is_refused(app):
    with app.app_context(), writing():
        queued = queue_message(to_address="ahmed@example.org", to_name="Ahmed\r\nAlaoui  ", subject="Objet",
                               body_text="Bonjour")
        with pytest.raises(HeaderInjectionError):
            queue_message(to_address="ahmed@example.org", to_name="Ahmed", subject="Objet\nBcc: x@evil.example",
                          body_text="Bonjour")
    assert queued is not None and [message.to_name for message in outbox(app)] == ["Ahmed Alaoui"]


@pytest.mark.parametrize("filename, data, expected", [
    ("programme.pdf", b"%PDF-1.7\n...", ("programme.pdf", "application/pdf")),
    ("../../etc/passwd.pdf", b"%PDF-1.4", ("passwd.pdf", "application/pdf")),
    ("C:\\Users\\x\\affiche.jpg", b"\xff\xd8\xff\xe0JFIF", ("affiche.jpg", "image/jpeg")),
    ("photo.png.exe", b"\x89PNG\r\n\x1a\n....", ("photo.png.png", "image/png")),
    ("ordre\u202edu jour.txt", b"%PDF-1.5", ("ordredu jour.pdf", "application/pdf")),
    ("virus.exe", b"MZ\x90\x00", None),
    ("page.html", b"<html><script>alert(1)</script>", None),
    ("faux.pdf", b"#!/bin/sh\nrm -rf /", None),
    ("", b"GIF89a....", ("document.gif", "image/gif")),
])
def test_uploads_are_typed_by_content_and_named_safely(filename, data, expected):
    assert accept(filename, data) == expected


def test_office_documents_are_recognised_inside_their_zip():
    def archive(*names, mimetype=None):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            if mimetype:
                zf.writestr("mimetype", mimetype)
            for name in names:
                zf.writestr(name, "x")
        return buffer.getvalue()
    assert accept("a.docx", archive("[Content_Types].xml", "word/document.xml"))[1].endswith("document")
    assert accept("a.xlsx", archive("[Content_Types].xml", "xl/workbook.xml"))[1].endswith("sheet")
    assert accept("a.odt", archive(mimetype="application/vnd.oasis.opendocument.text")) == (
        "a.odt", "application/vnd.oasis.opendocument.text")
    assert accept("a.zip", archive("notes.txt")) is None  # a plain archive is not a document
    assert clean_filename("x" * 500, "pdf").endswith(".pdf") and len(clean_filename("x" * 500, "pdf")) <= 120


def test_a_campaign_refuses_a_file_that_is_not_a_document_with_a_clear_message(app, auth, events):
    admin = auth.sign_in("admin")
    from portal.campaigns.models import MessageTemplate
    with app.app_context():
        template = db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == "Regrets"))
    page = admin.get("/campaigns/new").get_data(as_text=True)
    response = admin.post("/campaigns/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page), "template": str(template), "event": str(events[SLUG]),
        "attachments": [(io.BytesIO(b"MZ\x90\x00 an executable"), "programme.pdf"),
                        (io.BytesIO(b"%PDF-1.4 real"), "../secret/ordre du jour.pdf")]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "« programme.pdf » n&#39;est pas un document accepté" in html and "PDF" in html
    page = admin.get("/campaigns/new").get_data(as_text=True)
    created = admin.post("/campaigns/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page), "template": str(template), "event": str(events[SLUG]),
        "attachments": [(io.BytesIO(b"%PDF-1.4 real"), "../secret/ordre\u202e du jour.PDF")]})
    assert created.status_code == 303
    from portal.campaigns.models import CampaignAttachment
    with app.app_context():
        [stored] = db.session.scalars(select(CampaignAttachment)).all()
        assert (stored.filename, stored.content_type) == ("ordre du jour.pdf", "application/pdf")


# --- 8. exports safe in French spreadsheets ------------------------------------------------------------
PAYLOADS = {"first_name": "Amina;=1+1", "last_name": " =HYPERLINK(\"http://x\")", "organization": "ACODEC,=2+2",
            "city": "\uff1dSUM(A1)"}


def test_csv_cells_stay_inert_whatever_delimiter_the_spreadsheet_guesses(app, auth, events):
    coordinator = auth.sign_in("coordinator", SLUG)
    make_registrations(app, events[SLUG], 1, **PAYLOADS)
    text = coordinator.get(f"/review/events/{events[SLUG]}/export.csv").get_data(as_text=True)[1:]
    for delimiter in (",", ";", "\t"):
        # A spreadsheet that splits on this delimiter, honouring quotes as they all do.
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert not cell.lstrip(" ").startswith(("=", "+", "@", "\uff1d")), (delimiter, cell)
    assert all(line.startswith('"') for line in text.strip().splitlines())  # every field quoted
    rows = list(csv.reader(io.StringIO(text)))
    record = dict(zip(rows[0], rows[1]))
    assert record["Prénom"] == "Amina;'=1+1"  # kept whole in its quoted cell, the part after ";" inert too
    assert record["Nom"] == "' =HYPERLINK(\"http://x\")" and record["Ville"] == "'\uff1dSUM(A1)"


def test_every_export_log_records_its_row_count(app, auth, events):
    coordinator = auth.sign_in("coordinator", SLUG)
    make_registrations(app, events[SLUG], 7)
    coordinator.get(f"/review/events/{events[SLUG]}/export.csv").get_data()  # read to the end
    coordinator.get(f"/review/events/{events[SLUG]}/export.xlsx")
    with app.app_context():
        logs = db.session.scalars(select(ExportLog).order_by(ExportLog.id)).all()
        assert [(log.file_format, log.row_count) for log in logs] == [("csv", 7), ("xlsx", 7)]


# --- 12. headers, password hashing, the security log -------------------------------------------------
def test_every_page_sends_the_isolation_headers_and_a_csp_naming_the_htmx_file(app, client, events):
    for url in ("/", f"/events/{SLUG}", f"/events/{SLUG}/register", "/login", "/privacy", "/nowhere"):
        response = client.get(url)
        assert "camera=()" in response.headers["Permissions-Policy"], url
        assert "geolocation=()" in response.headers["Permissions-Policy"], url
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", url
        csp = response.headers["Content-Security-Policy"]
        assert f"script-src 'self' {app.config['HTMX_URL']};" in csp + ";", url
        assert "script-src 'self' https://cdn.jsdelivr.net;" not in csp + ";"  # not the whole CDN


def test_security_events_are_written_to_their_own_log(app, client, auth, events):
    current_log = log_path(app)
    with open(current_log, "a", encoding="utf-8") as log:
        start = log.tell()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": "nobody@example.org", "password": "x" * 12})
    observer = auth.sign_in("observer", SLUG, client=app.test_client())
    observer.get(f"/review/events/{events[SLUG]}/reservations")  # 403
    observer.get(f"/review/events/{events[SLUG]}/export.csv").get_data()
    with open(current_log, encoding="utf-8") as log:
        log.seek(start)
        events_logged = [json.loads(line) for line in log if line.strip()]
    kinds = [entry["event"] for entry in events_logged]
    assert "sign_in_failed" in kinds and "forbidden" in kinds and "export" in kinds
    failed = next(entry for entry in events_logged if entry["event"] == "sign_in_failed")
    assert failed["account"] == "nobody@example.org" and "password" not in json.dumps(failed)


def test_months_of_the_security_log_past_their_period_are_purged(app, runner, clock):
    from portal.security_log import security_event
    clock.now = dt.datetime(2027, 1, 15, 12, 0)
    with app.test_request_context("/"):
        security_event("forbidden", user=None)
    january = log_path(app)
    assert january.endswith("-2027-01.log") and os.path.exists(january)
    clock.now = dt.datetime(2028, 1, 20, 12, 0)  # 12 months later: January 2027 is still kept
    assert runner.invoke(args=["purge"]).exit_code == 0 and os.path.exists(january)
    clock.now = dt.datetime(2028, 2, 1, 0, 0)
    assert "1  mois du journal de sécurité effacés" in runner.invoke(args=["purge"]).output
    assert not os.path.exists(january)


def test_each_app_of_a_process_writes_its_security_events_to_its_own_log(app, tmp_path):
    """The logger is the process's; an event goes to the files of the app that recorded it only."""
    from portal import create_app
    from portal.security_log import security_event

    other = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "INSTANCE_PATH": str(tmp_path)})
    with other.app_context():
        security_event("export", marker="recorded-by-the-other-app")
    with app.app_context():
        security_event("export", marker="recorded-by-the-first-app")
    theirs = pathlib.Path(log_path(other)).read_text(encoding="utf-8")
    mine = pathlib.Path(log_path(app)).read_text(encoding="utf-8")
    assert "recorded-by-the-other-app" in theirs and "recorded-by-the-first-app" not in theirs
    assert "recorded-by-the-first-app" in mine and "recorded-by-the-other-app" not in mine
