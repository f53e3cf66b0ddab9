"""Institutions end to end: the pre-filled directory, a campaign to an event's regions in one
click, the invitation with its personal answer link and its formal letter (PDF), the answers on
the campaign page and the event's protocol list."""
import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTTextContainer, LTTextLine
from sqlalchemy import func, select

from portal.campaigns.models import Invitation
from portal.directory.models import Institution, InstitutionEmail
from portal.events.models import Event
from portal.extensions import db
from tests.support.data import set_venue
from tests.support.web import csrf_token, nfkc, squeeze, submit_form
from tests.test_campaigns import deliver_all, new_campaign, send

DATA = Path(__file__).parents[1] / "portal" / "geo" / "data"
SLUG = "oriental"
ANSWER = re.compile(r"http://portal\.example\.org(/invitations/[A-Za-z0-9_-]{40,})")


@pytest.fixture
def admin(app, auth, events):
    set_venue(app, events[SLUG])  # the invitation names the place: the demo events have none
    return auth.sign_in("admin")


# --- the pre-filled directory -----------------------------------------------------------------
def test_the_directory_holds_the_99_territorial_institutions_of_the_reference_data(app):
    regions = {row["code"] for row in csv.DictReader((DATA / "regions.csv").read_text("utf-8").splitlines())}
    provinces = {row["code"]: row for row in csv.DictReader((DATA / "provinces.csv").read_text("utf-8").splitlines())}
    with app.app_context():
        rows = list(db.session.scalars(select(Institution)))
        assert all(row.emails == [] for row in rows)  # no address yet: "contact à compléter"
        from portal.geo.models import Province, Region
        assert {r.code for r in db.session.scalars(select(Region))} == regions  # the geo tables agree
        assert {p.code for p in db.session.scalars(select(Province))} == set(provinces)
    assert len(rows) == 99
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row.kind, set()).add(row.reference_code)
        assert row.name_fr and row.name_ar
    assert by_kind["wilaya"] == by_kind["region_council"] == regions
    assert by_kind["province"] | by_kind["prefecture"] == set(provinces)
    for row in rows:
        if row.kind in ("province", "prefecture"):
            assert row.kind == provinces[row.reference_code]["type"]
            assert (row.province_code, row.region_code) == (row.reference_code, provinces[row.reference_code]["region_code"])
        else:
            assert (row.region_code, row.province_code) == (row.reference_code, None)
    names = {(row.name_fr, row.name_ar) for row in rows}
    assert ("Wilaya de la région de l'Oriental", "ولاية جهة الشرق") in names
    assert ("Conseil de la région Fès-Meknès", "مجلس جهة فاس-مكناس") in names
    assert ("Préfecture de Rabat", "عمالة الرباط") in names and ("Province d'Azilal", "إقليم أزيلال") in names


def test_the_directory_marks_and_filters_the_contacts_to_complete(app, admin):
    with app.app_context():
        nador = db.session.scalar(select(Institution).where(Institution.name_fr == "Province de Nador"))
        nador.emails = [InstitutionEmail(email="nador@example.org")]
        db.session.commit()
    page = admin.get("/directory/?contact=missing").get_data(as_text=True)
    assert "98 institutions" in page and "Contact à compléter" in page
    assert "99 institutions" in admin.get("/directory/").get_data(as_text=True)
    # The pre-filled entry counts as the institution: entering it again by hand is refused.
    response = submit_form(admin, "/directory/new", {"kind": "province", "name_fr": "Province de Nador",
                                                     "region_code": "02", "province_code": "02.381",
                                                     "emails": "autre@example.org", "language": "fr"})
    assert response.status_code == 422 and "déjà dans l&#39;annuaire" in response.get_data(as_text=True)


# --- a campaign to the event's regions, and the answers -------------------------------------
def give_addresses(app, *names, language="fr", contact_title=""):
    with app.app_context():
        ids = []
        for index, name in enumerate(names):
            institution = db.session.scalar(select(Institution).where(Institution.name_fr == name))
            institution.emails = [InstitutionEmail(email=f"inst{institution.id}-{n}@example.org") for n in range(2)]
            institution.contact_name, institution.language = f"Contact {index}", language
            institution.contact_title = contact_title
            ids.append(institution.id)
        db.session.commit()
        return ids


def test_one_click_sets_the_regions_of_the_chosen_event(app, admin, events):
    page = admin.get("/campaigns/new").get_data(as_text=True)
    response = admin.post("/campaigns/new", data={"csrf_token": csrf_token(page), "event": str(events["casablanca-rabat"]
                          if "casablanca-rabat" in events else events[SLUG]), "event_regions": "1"})
    html = response.get_data(as_text=True)
    with app.app_context():
        event = db.session.get(Event, events["casablanca-rabat"] if "casablanca-rabat" in events else events[SLUG])
        codes = {region.code for region in event.regions}
    checked = set(re.findall(r'name="region" value="(\d\d)"\s*checked', html))
    assert response.status_code == 200 and checked == codes
    refused = admin.post("/campaigns/new", data={"csrf_token": csrf_token(page), "event_regions": "1"})
    assert refused.status_code == 422 and "Choisissez d&#39;abord l&#39;événement" in refused.get_data(as_text=True)


def invite(app, admin, events, **criteria):
    campaign_id = new_campaign(app, admin, "Invitation institutionnelle", event=str(events[SLUG]),
                               **(criteria or {"kind": ["wilaya", "region_council"], "region": "02"}))
    assert send(admin, campaign_id).status_code == 303
    return campaign_id


def answer_links(smtp_server) -> dict[str, str]:
    """{address: answer link path} of the messages that arrived."""
    return {envelope.rcpt_tos[0]: ANSWER.search(message.get_body(("plain",)).get_content()).group(1)
            for envelope, message in smtp_server.messages}


def test_each_institution_gets_one_invitation_a_letter_and_its_answer_link(app, admin, events, smtp_server):
    wilaya, council = give_addresses(app, "Wilaya de la région de l'Oriental", "Conseil de la région de l'Oriental")
    campaign_id = invite(app, admin, events)
    assert send(admin, campaign_id).status_code == 303  # again: nobody gets a second message
    deliver_all(app)
    assert len(smtp_server.messages) == 4  # two addresses each
    links = answer_links(smtp_server)
    assert links[f"inst{wilaya}-0@example.org"] == links[f"inst{wilaya}-1@example.org"]  # one invitation
    assert links[f"inst{wilaya}-0@example.org"] != links[f"inst{council}-0@example.org"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2
    for envelope, message in smtp_server.messages:
        [letter] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
        text = extract_text(io.BytesIO(letter.get_content()))
        name = "Wilaya de la région de l'Oriental" if f"inst{wilaya}-" in envelope.rcpt_tos[0] \
            else "Conseil de la région de l'Oriental"
        assert name in squeeze(text)


def test_the_answer_is_recorded_once_without_an_account(app, admin, events, smtp_server, client):
    give_addresses(app, "Wilaya de la région de l'Oriental")
    campaign_id = invite(app, admin, events, kind="wilaya", region="02")
    deliver_all(app)
    [link] = set(answer_links(smtp_server).values())
    visitor = app.test_client()
    page = visitor.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Wilaya de la région de l&#39;Oriental" in html
    assert page.headers["Cache-Control"] == "no-store"
    refused = visitor.post(link, data={"csrf_token": csrf_token(html), "answer": "delegates", "delegate_name": ""})
    assert refused.status_code == 422 and "Indiquez-le quand vous vous faites représenter" in refused.get_data(as_text=True)
    done = visitor.post(link, data={"csrf_token": csrf_token(html), "answer": "delegates",
                                    "delegate_name": "Karim Alaoui", "delegate_title": "Secrétaire général"})
    assert done.status_code == 200 and "votre réponse est enregistrée" in done.get_data(as_text=True)
    again = visitor.post(link, data={"csrf_token": csrf_token(html), "answer": "declines"})
    text = again.get_data(as_text=True)
    assert again.status_code == 409 and "déjà été enregistrée" in text and "Karim Alaoui" in text
    with app.app_context():
        [invitation] = db.session.scalars(select(Invitation))
        assert (invitation.answer, invitation.delegate_name) == ("delegates", "Karim Alaoui")
    campaign_page = admin.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "Se fera représenter" in campaign_page and "Karim Alaoui" in campaign_page


def test_the_link_expires_with_the_event_and_a_wrong_token_is_404(app, admin, events, smtp_server, clock):
    give_addresses(app, "Wilaya de la région de l'Oriental")
    invite(app, admin, events, kind="wilaya", region="02")
    deliver_all(app)
    [link] = set(answer_links(smtp_server).values())
    with app.app_context():
        starts_on = db.session.get(Event, events[SLUG]).starts_on
    # 23:30 in Casablanca on the event's day: still open; the next morning: expired.
    clock.now = dt.datetime.combine(starts_on, dt.time(22, 30))
    visitor = app.test_client()
    assert "Envoyer la réponse" in visitor.get(link).get_data(as_text=True)
    clock.now = dt.datetime.combine(starts_on + dt.timedelta(days=1), dt.time(8, 0))
    page = visitor.get(link).get_data(as_text=True)
    assert "Ce lien a expiré" in page and "Envoyer la réponse" not in page
    late = visitor.post(link, data={"csrf_token": csrf_token(visitor.get("/login").get_data(as_text=True)),
                                    "answer": "attends"})
    assert late.status_code == 410
    with app.app_context():
        assert db.session.scalar(select(Invitation.answer)) is None
    assert visitor.get("/invitations/" + "x" * 43).status_code == 404
    assert visitor.get(link[:-2] + "zz").status_code == 404


def test_the_protocol_list_shows_the_answers(app, admin, events, smtp_server, auth):
    give_addresses(app, "Wilaya de la région de l'Oriental", "Conseil de la région de l'Oriental")
    invite(app, admin, events)
    deliver_all(app)
    links = sorted(set(answer_links(smtp_server).values()))
    visitor = app.test_client()
    page = visitor.get(links[0]).get_data(as_text=True)
    visitor.post(links[0], data={"csrf_token": csrf_token(page), "answer": "delegates",
                                 "delegate_name": "Karim Alaoui", "delegate_title": "Secrétaire général"})
    observer = app.test_client()
    auth.sign_in("observer", events[SLUG], client=observer)
    html = observer.get(f"/organizing/events/{events[SLUG]}/protocol").get_data(as_text=True)
    assert "2 institutions invitées" in html and "Karim Alaoui" in html and "Secrétaire général" in html
    assert "Pas encore de réponse" in html


# --- the letter -------------------------------------------------------------------------------
def letters(app, smtp_server) -> dict[str, bytes]:
    return {envelope.rcpt_tos[0]: next(part.get_content() for part in message.iter_attachments()
                                       if part.get_content_type() == "application/pdf")
            for envelope, message in smtp_server.messages}


def test_the_french_letter_holds_the_addressee_and_the_event_date(app, admin, events, smtp_server):
    [wilaya] = give_addresses(app, "Wilaya de la région de l'Oriental", contact_title="Monsieur le Wali de la région de l'Oriental")
    campaign_id = invite(app, admin, events, kind="wilaya", region="02")
    deliver_all(app)
    pdf = letters(app, smtp_server)[f"inst{wilaya}-0@example.org"]
    assert pdf.startswith(b"%PDF-")
    text = squeeze(extract_text(io.BytesIO(pdf)))
    with app.app_context():
        from babel.dates import format_date
        event = db.session.get(Event, events[SLUG])
        date = format_date(event.starts_on, "full", locale="fr")
    assert "Monsieur le Wali de la région de l'Oriental" in text and date in text
    assert f"Réf. : {campaign_id}/{wilaya}" in text and "Ministère de la Transition Numérique" in text


def test_the_arabic_letter_is_right_to_left(app, admin, events, smtp_server):
    [wilaya] = give_addresses(app, "Wilaya de la région de l'Oriental", language="ar")
    invite(app, admin, events, kind="wilaya", region="02")
    deliver_all(app)
    pdf = letters(app, smtp_server)[f"inst{wilaya}-0@example.org"]
    # pdfminer reads a line's glyphs from left to right: an Arabic line comes back in visual order,
    # so each is read backwards to get the text as written; a lam-alef ligature is one glyph whose
    # two letters come out in written order, so reading backwards swaps them: compared alike.
    def canon(value):
        return re.sub("ل([اأإآ])", r"\1ل", nfkc(value))
    text = canon("\n".join(line[::-1] for line in extract_text(io.BytesIO(pdf)).splitlines()))
    assert canon("ولاية جهة الشرق") in text and canon("وزارة الانتقال الرقمي وإصلاح الإدارة") in text
    lines = [line for page in extract_pages(io.BytesIO(pdf)) for box in page if isinstance(box, LTTextContainer)
             for line in box if isinstance(line, LTTextLine) and re.search("[\u0600-\u06ff]", line.get_text())]
    body = [line for line in lines if len(line.get_text().strip()) > 3]
    right_edges = [round(line.x1) for line in body]
    left_edges = {round(line.x0) for line in body}
    # Right-aligned: most lines end at the right margin, while their starts vary.
    margin = max(right_edges)
    assert sum(1 for edge in right_edges if abs(edge - margin) <= 2) >= len(body) * 0.6
    assert len(left_edges) > 3 and min(left_edges) > 40
