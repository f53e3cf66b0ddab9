"""Proposals and the reasoned response (issue 11, items 5 and 6), through the real stack: the
rapporteur's link read from the mail the SMTP server received, the registrants' manage links, the
coordinators' moderation, the admins' response, the public pages and the open data."""
import csv
import datetime as dt
import html
import io
import json
import logging
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from tests.support.data import issue_manage_path, make_registrations
from tests.support.outbox import deliver
from tests.support.web import csrf_token, submit_form

SLUG = "oriental"
RAPPORTEUR_LINK = re.compile(r"https?://[^/\s]+(/rapporteur/[A-Za-z0-9_\-]+)")


@pytest.fixture
def setting(app, events):
    """Oriental's two first workshops, each with a rapporteur (an e-mail address each); an
    institution of the directory; two approved registrants."""
    from portal.directory.models import Institution
    from portal.events.models import Event
    from portal.events.people import add_person
    with app.app_context():
        event = db.session.get(Event, events[SLUG])
        first, second = event.workshops[0], event.workshops[1]
        links = []
        for workshop, name, email in ((first, "Salma Rapporteure", "salma@example.org"),
                                      (second, "Karim Rapporteur", "karim@example.org")):
            link, _reused = add_person(event, {"name_fr": name, "email": email},
                                       {"role": "rapporteur", "status": "confirmed", "workshop_id": workshop.id})
            links.append(link)
        institution = db.session.scalar(select(Institution).order_by(Institution.id))
        db.session.commit()
        values = {"event": event.id, "first": first.id, "second": second.id, "role": links[0].id,
                  "other_role": links[1].id, "institution": institution.id, "institution_name": institution.name_fr,
                  "starts_on": event.starts_on}
        db.session.remove()
    named, unnamed = make_registrations(app, events[SLUG], 2, status="approved",
                                        first_name=lambda i: ("Nadia", "Omar")[i],
                                        last_name=lambda i: ("Bennani", "Tazi")[i])
    return {**values, "named": named, "unnamed": unnamed}


def agree_to_be_named(app, client, registration_id) -> str:
    manage = issue_manage_path(app, registration_id)
    page = text(client.get(manage))
    assert "Mes propositions et mon accord pour être cité(e)" in page  # the manage page's explicit choice
    assert "Vous n'avez pas accepté d'être cité(e)." in html.unescape(page)
    response = submit_form(client, f"{manage}/proposals", {"agreed": "y"}, action=f"{manage}/proposals/naming")
    assert response.status_code == 303
    assert "Vous avez accepté d'être cité(e)." in text(client.get(manage))
    return manage


def mailed_rapporteur_path(smtp_server, address) -> str:
    for envelope, message in reversed(smtp_server.messages):
        if envelope.rcpt_tos == [address]:
            return RAPPORTEUR_LINK.search(message.get_body(("plain",)).get_content()).group(1)
    raise AssertionError(f"no rapporteur link mailed to {address}")


def send_link(client, event_id, role_id):
    page = text(client.get(f"/proposals/events/{event_id}"))
    return client.post(f"/proposals/events/{event_id}/rapporteurs/{role_id}/send", data={"csrf_token": csrf_token(page)})


def proposal_ids(app, **where) -> list[int]:
    from portal.proposals.models import Proposal
    with app.app_context():
        return list(db.session.scalars(select(Proposal.id).filter_by(**where).order_by(Proposal.id)))


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def in_arabic(client):
    client.get("/language/ar?next=/")
    return client


def test_a_rapporteurs_proposal_becomes_a_public_reasoned_response_in_both_languages(app, auth, setting,
                                                                                     smtp_server):
    event_id = setting["event"]
    visitor = app.test_client()
    agree_to_be_named(app, visitor, setting["named"])
    coordinator = auth.sign_in("coordinator", SLUG)
    assert send_link(coordinator, event_id, setting["role"]).status_code == 303
    deliver(app)
    path = mailed_rapporteur_path(smtp_server, "salma@example.org")

    # The rapporteur, no account: their workshop's page, with only consenting registrants to name.
    rapporteur = app.test_client()
    page = text(rapporteur.get(path))
    assert "Salma Rapporteure" in page and "Nadia Bennani" in page and "Omar Tazi" not in page
    response = submit_form(rapporteur, path, {
        "title_fr": "Publier les budgets communaux en données ouvertes",
        "description_fr": "Chaque commune publie son budget voté, ligne par ligne.",
        "title_ar": "نشر ميزانيات الجماعات كبيانات مفتوحة", "description_ar": "تنشر كل جماعة ميزانيتها.",
        "theme": "access_to_information", "institution_ids": str(setting["institution"]),
        "carrier_ids": str(setting["named"])})
    assert response.status_code == 303
    [proposal] = proposal_ids(app, workshop_id=setting["first"])
    assert "Publier les budgets communaux" in text(rapporteur.get(path))
    # Naming someone who did not agree is refused.
    refused = submit_form(rapporteur, path, {"title_fr": "Autre", "theme": "other", "carrier_ids": str(setting["unnamed"])})
    assert refused.status_code == 422 and "accepté d'être nommées" in text(refused)

    # Not public before the ministry answers and publishes.
    assert "budgets communaux" not in text(visitor.get(f"/propositions/events/{SLUG}"))
    # The coordinator may not give the response: admins only.
    assert coordinator.get(f"/proposals/events/{event_id}/{proposal}/response").status_code == 403

    admin = auth.sign_in("admin", client=app.test_client())
    url = f"/proposals/events/{event_id}/{proposal}/response"
    missing = submit_form(admin, url, {"response": "retained", "commitment": "", "reason_fr": "Oui", "reason_ar": ""})
    assert missing.status_code == 422
    assert submit_form(admin, url, {
        "response": "retained", "commitment": "Engagement 4 : budgets ouverts",
        "reason_fr": "Reprise dans l'engagement sur la transparence budgétaire.",
        "reason_ar": "تم إدراجه في الالتزام المتعلق بشفافية الميزانية."}).status_code == 303
    assert "budgets communaux" not in text(visitor.get("/propositions/"))  # answered, not published
    assert submit_form(admin, url, {}, action=f"/proposals/events/{event_id}/{proposal}/publish").status_code == 303

    french = text(visitor.get(f"/propositions/events/{SLUG}"))
    for expected in ("Publier les budgets communaux", "Retenue comme engagement", "Engagement 4 : budgets ouverts",
                 "Reprise dans l'engagement sur la transparence budgétaire.", "Nadia Bennani",
                 setting["institution_name"], "Droit d'accès à l'information"):
        assert expected in french, expected
    arabic = text(in_arabic(app.test_client()).get(f"/propositions/events/{SLUG}"))
    for expected in ("نشر ميزانيات الجماعات كبيانات مفتوحة", "معتمد كالتزام", "تم إدراجه في الالتزام المتعلق بشفافية الميزانية.",
                 'lang="ar"', 'dir="rtl"'):
        assert expected in arabic, expected
    # The colon belongs to the translated text: glued to the status in Arabic, the French commitment
    # isolated after it.
    assert re.search("معتمد كالتزام</strong></bdi>: <bdi[^>]*>Engagement 4\u202f: budgets ouverts</bdi>", arabic)
    # The plan's page and its filters (in the URL).
    assert "budgets communaux" in text(visitor.get("/propositions/?theme=access_to_information&status=retained"))
    assert "budgets communaux" not in text(visitor.get("/propositions/?status=not_retained"))
    assert "budgets communaux" not in text(visitor.get("/propositions/?theme=climate"))
    assert "budgets communaux" in text(visitor.get(f"/propositions/?event={SLUG}"))
    assert "budgets communaux" not in text(visitor.get("/propositions/?event=fes-meknes"))

    # Withdrawn, it leaves the public pages again.
    assert submit_form(admin, url, {"withdraw": "1"},
                       action=f"/proposals/events/{event_id}/{proposal}/publish").status_code == 303
    assert "budgets communaux" not in text(visitor.get(f"/propositions/events/{SLUG}"))


def publish_one(app, setting, carriers=(), **fields):
    """A published, answered proposal of the first workshop, straight through the operations."""
    from portal.clock import utcnow
    from portal.events.models import Workshop
    from portal.proposals.operations import answer, publish, record_proposal
    with app.app_context():
        workshop = db.session.get(Workshop, setting["first"])
        proposal = record_proposal(workshop, {
            "title_fr": "Un guichet unique", "description_fr": "Pour les associations", "title_ar": "شباك وحيد",
            "theme": "civic_space", "institution_ids": [setting["institution"]], "carrier_ids": list(carriers),
            **fields}, "test", utcnow())
        answer(proposal, {"response": "partly_retained", "commitment": "Engagement 2", "reason_fr": "En partie",
                          "reason_ar": "جزئيًا"}, "test", utcnow())
        publish(proposal, "test", utcnow())
        db.session.commit()
        return proposal.id


def test_the_open_data_export_holds_exactly_the_public_fields(app, auth, setting):
    from portal.proposals.queries import PUBLIC_FIELDS
    visitor = app.test_client()
    agree_to_be_named(app, visitor, setting["named"])
    proposal = publish_one(app, setting, carriers=[setting["named"]])
    publish_one(app, setting)  # a second one, then unpublished: not in the export
    from portal.proposals.models import Proposal
    with app.app_context():
        hidden = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
        hidden.published_at = None
        db.session.commit()

    document = json.loads(text(visitor.get("/propositions/export.json")))
    assert document["licence"].startswith("Licence Ouverte / Open Licence 2.0")
    [record] = document["proposals"]
    assert set(record) == set(PUBLIC_FIELDS) == {
        "id", "event", "event_date", "workshop_fr", "workshop_ar", "theme", "title_fr", "title_ar", "description_fr",
        "description_ar", "institutions", "carried_by", "status", "commitment", "reason_fr", "reason_ar",
        "published_on"}
    assert record["id"] == proposal and record["status"] == "partly_retained" and record["event"] == SLUG
    assert record["carried_by"] == ["Nadia Bennani"]
    assert "@" not in json.dumps(document, ensure_ascii=False)  # never an address (the registrants' nor the rapporteurs')

    response = visitor.get("/propositions/export.csv?theme=civic_space")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("# Licence Ouverte / Open Licence 2.0")
    rows = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
    assert rows[0] == list(PUBLIC_FIELDS) and len(rows) == 2
    assert rows[1][PUBLIC_FIELDS.index("carried_by")] == "Nadia Bennani"
    assert "@" not in response.get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO("\n".join(
        text(visitor.get("/propositions/export.csv?theme=climate")).splitlines()[1:]))))) == 1

    # Consent withdrawn: the name leaves the page and the data at once.
    manage = issue_manage_path(app, setting["named"])
    assert submit_form(visitor, f"{manage}/proposals", {}, action=f"{manage}/proposals/naming").status_code == 303
    assert json.loads(text(visitor.get("/propositions/export.json")))["proposals"][0]["carried_by"] == []
    assert "Nadia Bennani" not in text(visitor.get(f"/propositions/events/{SLUG}"))


def test_a_registrants_proposal_is_moderated(app, auth, setting, clock):
    event_id = setting["event"]
    visitor = app.test_client()
    manage = issue_manage_path(app, setting["unnamed"])
    titles = ("Former les élus à la participation", "Un portail des consultations", "Hors sujet")
    for title in titles:
        assert submit_form(visitor, f"{manage}/proposals", {"title_fr": title, "theme": "open_local_government"}
                           ).status_code == 303
    keep, merged, aside = proposal_ids(app, origin="registrant")
    coordinator = auth.sign_in("coordinator", SLUG)
    page = text(coordinator.get(f"/proposals/events/{event_id}"))
    assert "À modérer" in page and all(title in page for title in titles)

    base = f"/proposals/events/{event_id}"
    assert submit_form(coordinator, f"{base}/{keep}/moderate",
                       {"decision": "accept", "workshop_id": str(setting["second"])}).status_code == 303
    assert submit_form(coordinator, f"{base}/{merged}/moderate",
                       {"decision": "merge", "merged_into_id": str(keep)}).status_code == 303
    no_reason = submit_form(coordinator, f"{base}/{aside}/moderate", {"decision": "set_aside", "reason": ""})
    assert no_reason.status_code == 422 and "Donnez la raison" in text(no_reason)
    assert submit_form(coordinator, f"{base}/{aside}/moderate",
                       {"decision": "set_aside", "reason": "Ne relève pas du plan d'action."}).status_code == 303

    from portal.proposals.models import Proposal
    with app.app_context():
        rows = {p.id: p for p in db.session.scalars(select(Proposal))}
        assert (rows[keep].moderation, rows[keep].workshop_id) == ("accepted", setting["second"])
        assert (rows[merged].moderation, rows[merged].merged_into_id) == ("merged", keep)
        assert (rows[aside].moderation, rows[aside].set_aside_reason) == ("set_aside", "Ne relève pas du plan d'action.")
        assert [c.action for c in rows[aside].history] == ["submitted", "set_aside"]
        assert "coordinat" in rows[aside].history[-1].actor
    history = text(coordinator.get(f"{base}/{aside}/moderate"))
    assert "Ne relève pas du plan d'action." in history and "Écartée" in history
    # The registrant sees what became of each.
    own = text(visitor.get(f"{manage}/proposals"))
    assert "Acceptée" in own and "Fusionnée avec une autre" in own and "Ne relève pas du plan d'action." in own
    # A merged or set-aside proposal cannot be published.
    admin = auth.sign_in("admin", client=app.test_client())
    submit_form(admin, f"{base}/{aside}/response", {"response": "not_retained", "reason_fr": "Non", "reason_ar": "لا"})
    submit_form(admin, f"{base}/{aside}/response", {}, action=f"{base}/{aside}/publish")
    assert proposal_ids(app, id=aside, published_at=None) == [aside]

    # Up to a week after the event, then closed.
    clock.now = dt.datetime.combine(setting["starts_on"] + dt.timedelta(days=7), dt.time(20))
    assert submit_form(visitor, f"{manage}/proposals", {"title_fr": "Encore", "theme": "other"}).status_code == 303
    clock.now += dt.timedelta(days=1)
    late = text(visitor.get(f"{manage}/proposals"))
    assert "Le dépôt de propositions est clos" in late
    assert submit_form(visitor, f"{manage}/proposals", {"title_fr": "Trop tard", "theme": "other"},
                       ).status_code == 422
    assert len(proposal_ids(app, origin="registrant")) == 4


def test_the_rapporteurs_link_opens_that_workshop_only_and_expires(app, auth, setting, smtp_server, clock, caplog):
    event_id = setting["event"]
    coordinator = auth.sign_in("coordinator", SLUG)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        assert send_link(coordinator, event_id, setting["role"]).status_code == 303
    assert '"event": "secret_link_sent"' in caplog.text and '"link": "rapporteur"' in caplog.text
    # The other workshop's proposal, recorded by a coordinator.
    response = submit_form(coordinator, f"/proposals/events/{event_id}/workshops/{setting['second']}/new",
                           {"title_fr": "Proposition de l'autre atelier", "theme": "digital"})
    assert response.status_code == 303
    [other] = proposal_ids(app, workshop_id=setting["second"])
    deliver(app)
    path = mailed_rapporteur_path(smtp_server, "salma@example.org")
    rapporteur = app.test_client()
    assert rapporteur.get(f"{path}/{other}").status_code == 404
    assert submit_form(rapporteur, path, {"title_fr": "La nôtre", "theme": "digital"}).status_code == 303
    [own] = proposal_ids(app, workshop_id=setting["first"])
    assert rapporteur.get(f"{path}/{own}").status_code == 200
    assert "Proposition de l'autre atelier" not in text(rapporteur.get(path))
    # The token is stored hashed and never kept in the stored copy of the mail.
    from portal.outbox.models import OutboxMessage
    from portal.proposals.models import RapporteurLink
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        assert token not in {row.token_hash for row in db.session.scalars(select(RapporteurLink))}
        assert all(token not in (m.body_text or "") for m in db.session.scalars(select(OutboxMessage)))
    # A re-send replaces the link.
    assert send_link(coordinator, event_id, setting["role"]).status_code == 303
    assert rapporteur.get(path).status_code == 404
    deliver(app)
    path = mailed_rapporteur_path(smtp_server, "salma@example.org")
    assert rapporteur.get(path).status_code == 200
    # A month after the event (that day included), then no more.
    month_later = setting["starts_on"].replace(month=setting["starts_on"].month % 12 + 1) \
        if setting["starts_on"].month < 12 else setting["starts_on"].replace(year=setting["starts_on"].year + 1, month=1)
    clock.now = dt.datetime.combine(month_later, dt.time(23, 0))
    assert rapporteur.get(path).status_code == 200
    clock.now += dt.timedelta(hours=2)
    assert rapporteur.get(path).status_code == 404
    assert rapporteur.post(path, data={"title_fr": "x"}).status_code in (400, 404)


def test_erasing_a_registrant_forgets_their_name_on_proposals(app, auth, setting):
    visitor = app.test_client()
    manage = agree_to_be_named(app, visitor, setting["named"])
    assert submit_form(visitor, f"{manage}/proposals", {"title_fr": "La mienne", "theme": "other"}).status_code == 303
    publish_one(app, setting, carriers=[setting["named"]])
    assert "Nadia Bennani" in text(visitor.get(f"/propositions/events/{SLUG}"))
    assert submit_form(visitor, f"{manage}/erase", {}).status_code == 200
    page = text(visitor.get(f"/propositions/events/{SLUG}"))
    assert "Un guichet unique" in page and "Nadia Bennani" not in page
    from portal.proposals.models import NamingConsent, Proposal, proposal_carrier
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(proposal_carrier)) == 0
        assert db.session.scalar(select(db.func.count()).select_from(NamingConsent)) == 0
        mine = db.session.scalar(select(Proposal).where(Proposal.title_fr == "La mienne"))
        assert mine is not None and mine.registration_id is None


def test_the_participants_hear_back_through_a_campaign(app, auth, setting, smtp_server):
    from portal.campaigns.defaults import PROPOSALS_FEEDBACK_NAME
    from portal.campaigns.models import MessageTemplate
    make_registrations(app, setting["event"], 2, status="pending")
    with app.app_context():
        template = db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == PROPOSALS_FEEDBACK_NAME))
    admin = auth.sign_in("admin", client=app.test_client())
    page = text(admin.get("/campaigns/new"))
    response = admin.post("/campaigns/new", data={"csrf_token": csrf_token(page), "template": str(template),
                                                  "event": str(setting["event"])}, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    campaign = response.headers["Location"]
    shown = text(admin.get(campaign))
    assert "Destinataires : 2" in shown  # the two approved, not the pending
    assert submit_form(admin, campaign, {}, action=f"{campaign}/send").status_code == 303
    deliver(app)
    received = {envelope.rcpt_tos[0]: message for envelope, message in smtp_server.messages}
    assert len(received) == 2
    body = next(iter(received.values())).get_body(("plain",)).get_content()
    assert f"http://portal.example.org/propositions/events/{SLUG}" in body


def test_once_attendance_is_recorded_only_those_present_hear_back(app, auth, setting):
    """Nadia was marked present at the door, Omar never came: the audience is Nadia alone."""
    import datetime as dt

    from portal.campaigns.defaults import PROPOSALS_FEEDBACK_NAME
    from portal.campaigns.models import MessageTemplate
    from portal.registration.models import Registration
    with app.app_context():
        db.session.get(Registration, setting["named"]).checked_in_at = dt.datetime(2026, 11, 20, 8, 30)
        template = db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == PROPOSALS_FEEDBACK_NAME))
        db.session.commit()
    admin = auth.sign_in("admin", client=app.test_client())
    response = admin.post("/campaigns/new", data={"csrf_token": csrf_token(text(admin.get("/campaigns/new"))),
                                                  "template": str(template), "event": str(setting["event"])},
                          content_type="multipart/form-data")
    shown = text(admin.get(response.headers["Location"]))
    assert "Destinataires : 1" in shown and "Bennani" in shown and "Tazi" not in shown


def test_the_public_sees_published_responses_of_public_events_only(app, setting):
    from portal.events.models import Event
    publish_one(app, setting)
    visitor = app.test_client()
    assert "Un guichet unique" in text(visitor.get(f"/propositions/events/{SLUG}"))
    with app.app_context():
        db.session.get(Event, setting["event"]).status = "draft"
        db.session.commit()
    assert visitor.get(f"/propositions/events/{SLUG}").status_code == 404
    assert "Un guichet unique" not in text(visitor.get("/propositions/"))
    assert json.loads(visitor.get("/propositions/export.json").get_data(as_text=True))["proposals"] == []


def test_a_workshop_with_proposals_is_not_removed(app, auth, setting):
    from portal.events.models import Workshop
    from portal.proposals.operations import record_proposal
    with app.app_context():  # a workshop nobody chose, with a proposal recorded for it
        workshop = Workshop(event_id=setting["event"], title_fr="Atelier ajouté", position=99)
        db.session.add(workshop)
        db.session.flush()
        record_proposal(workshop, {"title_fr": "Sa proposition", "theme": "other"}, "test", utcnow_())
        db.session.commit()
        workshop_id = workshop.id
    coordinator = auth.sign_in("coordinator", SLUG)
    url = f"/organizing/events/{setting['event']}/workshops"
    response = submit_form(coordinator, url, {}, action=f"{url}/{workshop_id}/delete", follow_redirects=True)
    assert "Cet atelier a des propositions" in text(response)
    assert proposal_ids(app, workshop_id=workshop_id)


def utcnow_():
    from portal.clock import utcnow
    return utcnow()
