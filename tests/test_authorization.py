"""The authorisation matrix: every back-office URL, every kind of user, own and foreign objects.

The test walks the app's URL map, so a new route must be classified here or the test fails.
"""
import datetime as dt
import io
import re

import pytest

from tests.support.data import make_registrations
from tests.support.web import csrf_token

# Public routes anyone may open (no personal data but one's own, behind an unguessable token).
PUBLIC = {"static", "pages.privacy", "pages.accessibility", "pages.set_language", "catalogue.home", "catalogue.event",
          "registration.form", "registration.check_field", "registration.done", "manage.show", "manage.update",
          "manage.cancel_registration", "manage.download", "manage.erase_registration",
          "geo.province_options", "accounts.login", "accounts.logout",
          "manage.feedback",  # issue 11, item 8: the questionnaire after the event, behind the manage link
          "registration.paper_form",  # issue 11: the registration form on paper, for a published event
          "accounts.forgot_password", "accounts.reset_password", "offers.show",
          "invitations.answer",  # an institution's answer to its invitation
          # the second step of signing in: only for the browser that gave the password a moment ago
          "accounts.second_factor", "accounts.enrol_at_sign_in",
          # issue 11, items 5 and 6: a rapporteur's link (their workshop only: test_proposals_matrix), a
          # registrant's proposals behind their manage link, the public pages and open data of the responses
          "rapporteur.show", "rapporteur.edit", "registrant_proposals.registrant", "registrant_proposals.naming",
          "public_proposals.plan", "public_proposals.event", "public_proposals.export_csv",
          "public_proposals.export_json"}
SIGNED_IN = {"review.dashboard", "accounts.change_password", "accounts.two_factor", "organizing.index"}
# Per event: the action needed. VIEW: admin, coordinators of the event, observers given it.
EVENT_VIEW = {"review.participants", "review.participant", "distribution.page",
              "exports.export_csv", "exports.export_xlsx", "organizing.protocol",
              "inclusion.event_report",  # issue 10, item 8: the event's inclusion report (counts only)
              # issue 11, item 7: the event report (the need counts only with SEE_HEALTH_DATA)
              "organizing.report",
              # issue 10, item 4: the suppliers' lists (observers get the partners' version, no health data)
              "organizing.hotel_list", "organizing.hotel_list_csv", "organizing.hotel_list_xlsx",
              "organizing.transport_list", "organizing.transport_list_csv", "organizing.transport_list_xlsx"}
EVENT_DECIDE = {"review.bulk_decision", "review.row_decision", "review.add_internal_note", "review.reservations",
                "review.move_workshop",
                # issue 11, items 3 and 4: the door (check-in, undo), badges and attendance sheets: admins and
                # the event's coordinators; observers 403 (they check nobody in)
                "checkin.screen", "checkin.mark", "checkin.unmark", "checkin.badges", "checkin.sheet",
                # issue 11, item 1: registrations a coordinator enters (on the person's behalf, walk-ins,
                # a spreadsheet) and the paper form; observers 403, other events 404
                "assisted.register", "assisted.walk_in", "assisted.paper_form", "assisted.import_list",
                "assisted.import_template",
                # a freed seat offered by phone to a person without an e-mail: the answer recorded
                "review.offer_accepted_by_phone", "review.offer_declined_by_phone"}
# Per event, health data (SEE_HEALTH_DATA): admins and the event's coordinators; observers given the
# event get 403 (as for DECIDE), other coordinators 404. Issue 10, item 6: the accessibility plan
# (reading it needs SEE_HEALTH_DATA, ticking a line DECIDE).
EVENT_HEALTH = {"accessibility.plan_page", "accessibility.tick"}
# The organisers' workspace. EDIT: admins and coordinators of the event (observers: 403);
# ADMINISTER: admins only (the event's coordinators: 403).
EVENT_EDIT = {"organizing.overview", "organizing.edit_event", "organizing.venue",
              # the logistics sheet (issue 10, item 5): needs counts from health data, so no observers
              "organizing.logistics", "organizing.save_logistics_team", "organizing.save_logistics_room",
              "organizing.save_logistics_meal",
              # the budget (issue 10, item 7): read by the event's coordinators, not by observers (its
              # interpreter line derives from declared needs)
              "organizing.budget", "organizing.budget_xlsx"}
# Support decisions (issue 10, item 3): DECIDE, the same statuses as EDIT in the organisers' matrix
# (admins and the event's coordinators; observers 403: the room's reason is health-derived).
EVENT_GRANTS = {"organizing.grants", "organizing.confirm_grants", "organizing.override_support"}
EVENT_ADMINISTER = {"organizing.clone", "organizing.change_event_status",
                    "organizing.support", "organizing.move_zone",
                    # the event's unit costs and lines by hand (issue 10, item 7): admins only
                    "organizing.save_event_costs", "organizing.add_budget_line", "organizing.delete_budget_line",
                    # the event report's introduction, conclusion and next steps (issue 11, item 7): admins only
                    "organizing.report_texts"}  # travel and accommodation support (issue 10)
# The ministry's own tools: admins only (anonymous → sign-in page, every other role → 403).
ADMIN_ONLY = {"directory.index", "directory.create", "directory.edit", "directory.import_csv",
              "directory.import_template", "campaigns.index", "campaigns.new", "campaigns.show",
              "campaigns.send_campaign", "campaigns.retry", "campaigns.progress_panel", "message_templates.index",
              "message_templates.new", "message_templates.edit", "people.find", "people.download",
              "people.erase_all", "accounts.accounts_index", "accounts.reset_two_factor",
              "organizing.new_event",
              # accounts and organisations (issue 9, item 6)
              "accounts.invite", "accounts.edit_account", "accounts.disable_account", "accounts.enable_account",
              "accounts.organizations", "accounts.new_organization", "accounts.edit_organization",
              # the plan's inclusion report and its targets (issue 10, item 8)
              "inclusion.plan_report", "inclusion.save_targets",
              # the plan's budget, its unit costs and its XLSX (issue 10, item 7)
              "organizing.plan_budget_page", "organizing.save_plan_costs", "organizing.plan_budget_xlsx"}
ADMIN_POST_ONLY = {"organizing.save_plan_costs", "campaigns.send_campaign", "campaigns.retry", "people.erase_all", "accounts.reset_two_factor",
                   "accounts.disable_account", "accounts.enable_account", "inclusion.save_targets"}

# who -> (role, organisation). ACODEC co-organises the own event (oriental); ADFM neither event.
USERS = {
    "admin": ("admin", None),
    "coordinator": ("coordinator", "ACODEC"),
    "other_coordinator": ("coordinator", "ADFM"),
    "observer": ("observer", None),
}


def test_every_route_is_classified(app):
    known = (PUBLIC | SIGNED_IN | EVENT_VIEW | EVENT_DECIDE | EVENT_HEALTH | ADMIN_ONLY | EVENT_EDIT | EVENT_ADMINISTER
             | PROGRAM_EDIT | EVENT_GRANTS | PROPOSALS_EDIT | PROPOSALS_ADMINISTER)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - known == set(), "classify the new routes in tests/test_authorization.py"
    assert known - endpoints == set()


@pytest.fixture
def world(app, auth, events):
    own_event, foreign_event = events["oriental"], events["fes-meknes"]
    for role, organization in USERS.values():
        auth.make(role, own_event if role == "observer" else None, organization=organization)
    own = make_registrations(app, own_event, 1)[0]
    foreign = make_registrations(app, foreign_event, 1)[0]
    # An approved participant whose support can be overridden (organizing.override_support).
    own_approved = make_registrations(app, own_event, 1, status="approved")[0]
    foreign_approved = make_registrations(app, foreign_event, 1, status="approved")[0]
    # A workshop to move a participant to (review.move_workshop): the second of each event.
    from portal.events.models import Workshop
    from portal.extensions import db
    with app.app_context():
        other_workshop = {event: db.session.scalars(db.select(Workshop.id).where(Workshop.event_id == event)
                                                    .order_by(Workshop.position)).all()[1]
                          for event in (own_event, foreign_event)}
        # A meal of each event's agenda, for its head count set by hand (organizing.save_logistics_meal).
        from portal.events.models import AgendaItem
        meal = {event: db.session.scalar(db.select(AgendaItem.id).where(AgendaItem.event_id == event,
                                                                         AgendaItem.kind == "meal"))
                for event in (own_event, foreign_event)}
    # A freed seat offered to a wait-listed person without an e-mail (review.offer_*_by_phone).
    from portal.clock import utcnow
    from portal.registration.models import Registration, WaitlistOffer
    phone_offer = {}
    for event in (own_event, foreign_event):
        [waiting] = make_registrations(app, event, 1, status="waitlisted", email="", phone="0661234567")
        with app.app_context():
            offer, _token = WaitlistOffer.make(db.session.get(Registration, waiting), utcnow(), dt.timedelta(days=2))
            db.session.add(offer)
            db.session.commit()
            phone_offer[event] = offer.id
    return {"own_event": own_event, "foreign_event": foreign_event, "own": own, "foreign": foreign,
            "own_offer": phone_offer[own_event], "foreign_offer": phone_offer[foreign_event],
            "own_workshop": other_workshop[own_event], "foreign_workshop": other_workshop[foreign_event],
            "own_meal": meal[own_event], "foreign_meal": meal[foreign_event],
            "own_approved": own_approved, "foreign_approved": foreign_approved}


def client_for(app, auth, who):
    client = app.test_client()
    if who != "anonymous":
        role, organization = USERS[who]
        auth.sign_in(role, organization=organization, client=client)
    return client


def event_urls(world, which):
    event_id = world[f"{which}_event"]
    registration = world[which]
    base = f"/review/events/{event_id}"
    return {
        "review.participants": ("GET", f"{base}/participants"),
        "review.participant": ("GET", f"{base}/participants/{registration}"),
        "distribution.page": ("GET", f"{base}/distribution"),
        "inclusion.event_report": ("GET", f"{base}/inclusion"),
        "organizing.report": ("GET", f"/organizing/events/{event_id}/report"),
        "exports.export_csv": ("GET", f"{base}/export.csv"),
        "exports.export_xlsx": ("GET", f"{base}/export.xlsx"),
        "organizing.protocol": ("GET", f"/organizing/events/{event_id}/protocol"),
        **{f"organizing.{name}_list{suffix}": ("GET", f"/organizing/events/{event_id}/lists/{name}{extension}")
           for name in ("hotel", "transport") for suffix, extension in (("", ""), ("_csv", ".csv"), ("_xlsx", ".xlsx"))},
        "review.reservations": ("GET", f"{base}/reservations"),
        "review.bulk_decision": ("POST", f"{base}/decisions"),
        "review.row_decision": ("POST", f"{base}/participants/{registration}/decision"),
        "review.add_internal_note": ("POST", f"{base}/participants/{registration}/notes"),
        "review.move_workshop": ("POST", f"{base}/participants/{registration}/workshop"),
        "assisted.register": ("GET", f"{base}/register"),
        "assisted.walk_in": ("GET", f"{base}/walk-in"),
        "assisted.paper_form": ("GET", f"{base}/paper-form"),
        "assisted.import_list": ("GET", f"{base}/import"),
        "assisted.import_template": ("GET", f"{base}/import/template.csv"),
        "accessibility.plan_page": ("GET", f"{base}/accessibility"),
        "accessibility.tick": ("POST", f"{base}/accessibility/actions"),
        "checkin.screen": ("GET", f"{base}/check-in"),
        "checkin.badges": ("GET", f"{base}/badges"),
        "checkin.sheet": ("GET", f"{base}/attendance-sheet"),
        "checkin.mark": ("POST", f"{base}/check-in/{world[f'{which}_approved']}/present"),
        "checkin.unmark": ("POST", f"{base}/check-in/{world[f'{which}_approved']}/undo"),
        "review.offer_declined_by_phone": ("POST", f"{base}/offers/{world[f'{which}_offer']}/declined"),
        "review.offer_accepted_by_phone": ("POST", f"{base}/offers/{world[f'{which}_offer']}/accepted"),
    }


# who -> which object -> expected status for a VIEW route and for a DECIDE (or EVENT_HEALTH) route
EXPECTED = {
    "anonymous": {"own": (302, 302), "foreign": (302, 302)},
    "observer": {"own": (200, 403), "foreign": (404, 404)},
    "other_coordinator": {"own": (404, 404), "foreign": (404, 404)},
    "coordinator": {"own": (200, 200), "foreign": (404, 404)},
    "admin": {"own": (200, 200), "foreign": (200, 200)},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_matrix(app, auth, world, who):
    client = client_for(app, auth, who)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for which in ("own", "foreign"):
        view_status, decide_status = EXPECTED[who][which]
        for endpoint, (method, url) in event_urls(world, which).items():
            if method == "GET":
                response = client.get(url)
                response.get_data()  # a streamed export runs to its end, as a browser would
                response.close()
            else:
                data = {"csrf_token": token, "decision": "waitlist", "body": "note",
                        "registration": str(world[which]), "return_query": "",
                        "workshop": str(world[f"{which}_workshop"]), "action": "braille_copies", "done": "1"}
                response = client.post(url, data=data)
            expected = view_status if endpoint in EVENT_VIEW else decide_status
            if expected == 200 and method == "POST":
                assert response.status_code in (200, 303), (who, which, endpoint, response.status_code)
            else:
                assert response.status_code == expected, (who, which, endpoint, response.status_code)
            if expected == 302:
                assert "/login" in response.headers["Location"]
    for url in ("/review/", "/account/password", "/account/two-factor", "/organizing/"):
        assert client.get(url).status_code == (302 if who == "anonymous" else 200)


def test_observer_sees_no_health_data_even_by_asking(app, auth, world):
    make_registrations(app, world["own_event"], 1, access_needs=["braille"], access_needs_details="Gros caractères")
    client = client_for(app, auth, "observer")
    page = client.get(f"/review/events/{world['own_event']}/participants").get_data(as_text=True)
    assert "braille" not in page.lower() and "Besoins" not in page
    csv_text = client.get(f"/review/events/{world['own_event']}/export.csv?columns=full").get_data(as_text=True)
    assert "Besoins" not in csv_text and "Gros caractères" not in csv_text
    assert re.search(r"participants-oriental-partners", client.get(
        f"/review/events/{world['own_event']}/export.csv?columns=full").headers["Content-Disposition"])


def admin_urls(app, token):
    """endpoint -> (url, form data of a valid submission or None for GET only)."""
    from portal.directory.models import Institution, InstitutionEmail
    from portal.extensions import db
    with app.app_context():
        institution = Institution(kind="commune", name_fr="Commune d'Oujda", region_code="02", province_code="02.411")
        institution.emails = [InstitutionEmail(email="oujda@example.org")]
        db.session.add(institution)
        db.session.commit()
        institution_id = institution.id
    fields = {"csrf_token": token, "kind": "province", "region_code": "02", "emails": "contact@example.org",
              "language": "fr"}
    from sqlalchemy import select

    from portal.campaigns.models import Campaign, MessageTemplate
    from portal.events.models import Event
    with app.app_context():
        template_id = db.session.scalar(select(MessageTemplate.id).where(MessageTemplate.name == "Regrets"))
        event_id = db.session.scalar(select(Event.id).where(Event.slug == "oriental"))
        campaign = Campaign(template_id=template_id, event_id=event_id, audience_kind="participants",
                            audience="status=rejected")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    template_fields = {"csrf_token": token, "purpose": "other", "audience_kind": "participants",
                       "subject_fr": "Objet {{ first_name }}", "body_fr": "Bonjour", "subject_ar": "موضوع",
                       "body_ar": "مرحبا"}
    from portal.accounts.models import User
    with app.app_context():
        lost_phone = User(email="lost-phone@example.org", role="observer", password_hash="x", totp_secret="A" * 32)
        db.session.add(lost_phone)
        db.session.commit()
        lost_phone_id = lost_phone.id
    # accounts and organisations (issue 9, item 6): an account to change, an organisation to edit
    from portal.events.models import Organization
    with app.app_context():
        changed = User(email="changed@example.org", role="observer", password_hash="x")
        association = Organization(name="Association Tawasol", acronym="TAW")
        db.session.add_all([changed, association])
        db.session.commit()
        changed_id, association_id = changed.id, association.id
    return {
        "accounts.accounts_index": ("/accounts/", None),
        "accounts.reset_two_factor": (f"/accounts/{lost_phone_id}/reset-two-factor", {"csrf_token": token}),
        "accounts.invite": ("/accounts/invite", {"csrf_token": token, "email": "invited@example.org", "name": "Nadia",
                                                 "role": "observer", "organization": "", "language": "fr"}),
        "accounts.edit_account": (f"/accounts/{changed_id}/edit", {"csrf_token": token, "name": "Karim",
                                                                   "role": "observer", "organization": ""}),
        "accounts.disable_account": (f"/accounts/{changed_id}/disable", {"csrf_token": token}),
        "accounts.enable_account": (f"/accounts/{changed_id}/enable", {"csrf_token": token}),
        "accounts.organizations": ("/accounts/organisations", None),
        "accounts.new_organization": ("/accounts/organisations/new", {"csrf_token": token, "name": "Association Nour",
                                                                      "kind": "association"}),
        "accounts.edit_organization": (f"/accounts/organisations/{association_id}/edit", {
            "csrf_token": token, "name": "Association Tawasol Oujda", "acronym": "TAW", "kind": "association"}),
        "campaigns.index": ("/campaigns/", None),
        "campaigns.new": ("/campaigns/new", {"csrf_token": token, "template": str(template_id),
                                             "event": str(event_id), "status": "rejected"}),
        "campaigns.show": (f"/campaigns/{campaign_id}", None),
        "campaigns.send_campaign": (f"/campaigns/{campaign_id}/send", {"csrf_token": token}),
        "campaigns.retry": (f"/campaigns/{campaign_id}/retry", {"csrf_token": token}),
        "campaigns.progress_panel": (f"/campaigns/{campaign_id}/progress", None),
        "message_templates.index": ("/campaigns/templates/", None),
        "message_templates.new": ("/campaigns/templates/new", {**template_fields, "name": "Nouveau modèle"}),
        "message_templates.edit": (f"/campaigns/templates/{template_id}", {**template_fields, "name": "Regrets"}),
        "directory.index": ("/directory/", None),
        "directory.create": ("/directory/new", {**fields, "name_fr": "Province de Nador"}),
        "directory.edit": (f"/directory/{institution_id}/edit", {**fields, "name_fr": "Province de Berkane"}),
        "directory.import_csv": ("/directory/import", {"csrf_token": token, "file": (
            io.BytesIO(b"kind,name_fr,emails\r\nwilaya,Wilaya de l'Oriental,wilaya@example.org\r\n"), "a.csv")}),
        "directory.import_template": ("/directory/import/template.csv", None),
        "people.find": ("/people/?email=nobody%40example.org", None),
        "people.download": ("/people/data.json?email=nobody%40example.org", None),
        "people.erase_all": ("/people/erase", {"csrf_token": token, "email": "nobody@example.org"}),
        "inclusion.plan_report": ("/review/inclusion", None),
        "inclusion.save_targets": ("/review/inclusion/targets", {"csrf_token": token, "event": "", "women": "50",
                                                                  "youth": "30", "disability": ""}),
        "organizing.plan_budget_page": ("/organizing/budget", None),
        "organizing.save_plan_costs": ("/organizing/budget/costs", {"csrf_token": token, "night": "450"}),
        "organizing.plan_budget_xlsx": ("/organizing/budget.xlsx", None),
        "organizing.new_event": ("/organizing/events/new", {"csrf_token": token, "title_fr": "Nouvel événement",
                                                            "starts_on": "2031-01-01", "capacity": "70"}),
    }


ADMIN_EXPECTED = {"anonymous": 302, "observer": 403, "coordinator": 403, "other_coordinator": 403, "admin": 200}


@pytest.mark.parametrize("who", list(ADMIN_EXPECTED))
def test_admin_only_matrix(app, auth, world, who):
    client = client_for(app, auth, who)
    urls = admin_urls(app, csrf_token(client.get("/login").get_data(as_text=True)))
    expected = ADMIN_EXPECTED[who]
    for endpoint in sorted(ADMIN_ONLY):
        url, data = urls[endpoint]  # a KeyError: give the new admin route its URL above
        responses = [] if endpoint in ADMIN_POST_ONLY else [("GET", client.get(url))]
        if data is not None:
            responses.append(("POST", client.post(url, data=data, content_type="multipart/form-data")))
        for method, response in responses:
            wanted = 303 if expected == 200 and method == "POST" else expected
            assert response.status_code == wanted, (who, endpoint, method, response.status_code)
            if wanted == 302:
                assert "/login" in response.headers["Location"]


# --- the programme of an event (workshops, agenda, people): EDIT, admins and the event's coordinators ---
PROGRAM_EDIT = {"organizing.workshops", "organizing.new_workshop", "organizing.edit_workshop",
                "organizing.remove_workshop", "organizing.reorder_workshop", "organizing.agenda",
                "organizing.new_agenda_item", "organizing.edit_agenda_item", "organizing.remove_agenda_item",
                "organizing.move_agenda_item", "organizing.start_agenda", "organizing.people",
                "organizing.new_person", "organizing.edit_person", "organizing.person_status",
                "organizing.remove_person"}
PROGRAM_EXPECTED = {"anonymous": 302, "observer": 403, "other_coordinator": 404, "coordinator": 200, "admin": 200}


def program_urls(app, event_id, token) -> list[tuple[str, str, str, dict | None]]:
    """(endpoint, method, URL, form data) of every programme route on one event, with objects of
    that event made for the test (a workshop nobody chose, an agenda item, a role), so that a
    valid POST changes something."""
    from portal.events.models import AgendaItem, EventRole, Person, Workshop
    from portal.extensions import db
    with app.app_context():
        workshop = Workshop(event_id=event_id, title_fr="Atelier du test", position=99)
        item = AgendaItem(event_id=event_id, position=99, starts_at=dt.time(18), ends_at=dt.time(19),
                          title_fr="Séquence du test")
        role = EventRole(event_id=event_id, role="speaker", person=Person(name_fr="Personne du test"), position=99)
        db.session.add_all([workshop, item, role])
        db.session.commit()
        workshop_id, item_id, role_id = workshop.id, item.id, role.id
    base = f"/organizing/events/{event_id}"
    workshop_data = {"csrf_token": token, "title_fr": "Atelier", "facilitator": "", "rapporteur": ""}
    item_data = {"csrf_token": token, "starts_at": "18:00", "ends_at": "18:30", "kind": "plenary", "title_fr": "S"}
    person_data = {"csrf_token": token, "name_fr": "Personne", "role": "speaker", "status": "invited"}
    move = {"csrf_token": token, "direction": "up"}
    return [
        ("organizing.workshops", "GET", f"{base}/workshops", None),
        ("organizing.new_workshop", "GET", f"{base}/workshops/new", None),
        ("organizing.new_workshop", "POST", f"{base}/workshops/new", workshop_data),
        ("organizing.edit_workshop", "GET", f"{base}/workshops/{workshop_id}", None),
        ("organizing.edit_workshop", "POST", f"{base}/workshops/{workshop_id}", workshop_data),
        ("organizing.reorder_workshop", "POST", f"{base}/workshops/{workshop_id}/move", move),
        ("organizing.agenda", "GET", f"{base}/agenda", None),
        ("organizing.new_agenda_item", "GET", f"{base}/agenda/new", None),
        ("organizing.new_agenda_item", "POST", f"{base}/agenda/new", item_data),
        ("organizing.edit_agenda_item", "GET", f"{base}/agenda/{item_id}", None),
        ("organizing.edit_agenda_item", "POST", f"{base}/agenda/{item_id}", item_data),
        ("organizing.move_agenda_item", "POST", f"{base}/agenda/{item_id}/move", move),
        ("organizing.start_agenda", "POST", f"{base}/agenda/start", {"csrf_token": token}),
        ("organizing.people", "GET", f"{base}/people", None),
        ("organizing.new_person", "GET", f"{base}/people/new", None),
        ("organizing.new_person", "POST", f"{base}/people/new", person_data),
        ("organizing.edit_person", "GET", f"{base}/people/{role_id}", None),
        ("organizing.edit_person", "POST", f"{base}/people/{role_id}", person_data),
        ("organizing.person_status", "POST", f"{base}/people/{role_id}/status", {"csrf_token": token, "status": "confirmed"}),
        ("organizing.remove_person", "POST", f"{base}/people/{role_id}/remove", {"csrf_token": token}),
        ("organizing.remove_agenda_item", "POST", f"{base}/agenda/{item_id}/remove", {"csrf_token": token}),
        ("organizing.remove_workshop", "POST", f"{base}/workshops/{workshop_id}/delete", {"csrf_token": token}),
    ]


@pytest.mark.parametrize("who", list(PROGRAM_EXPECTED))
def test_program_matrix(app, auth, world, who):
    client = client_for(app, auth, who)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for which in ("own", "foreign"):
        expected = PROGRAM_EXPECTED[who]
        if which == "foreign" and who == "coordinator":
            expected = 404  # an event their organisation does not co-organise
        if which == "foreign" and who == "observer":
            expected = 404  # not given to them
        urls = program_urls(app, world[f"{which}_event"], token)
        assert {endpoint for endpoint, *_ in urls} == PROGRAM_EDIT
        for endpoint, method, url, data in urls:
            response = client.get(url) if method == "GET" else client.post(url, data=data)
            wanted = 303 if expected == 200 and method == "POST" else expected
            assert response.status_code == wanted, (who, which, endpoint, method, response.status_code)
            if wanted == 302:
                assert "/login" in response.headers["Location"]


VENUE_FACTS = ("step_free_entrance", "lift", "accessible_toilets", "hearing_loop", "sign_language",
               "reserved_seating", "quiet_room", "accessible_parking", "public_transport")


def organizer_urls(world, which, token):
    """endpoint -> [(method, url, form data)], in an order where each step leaves the next valid."""
    event_id = world[f"{which}_event"]
    base = f"/organizing/events/{event_id}"
    return {
        "organizing.overview": [("GET", base, None)],
        "organizing.edit_event": [("GET", f"{base}/edit", None), ("POST", f"{base}/edit", {
            "csrf_token": token, "version": "1", "title_fr": "Titre revu", "starts_on": "2031-01-01",
            "capacity": "70"})],
        "organizing.venue": [("GET", f"{base}/venue", None), ("POST", f"{base}/venue", {
            "csrf_token": token, "name_fr": "Salle", **{fact: "unknown" for fact in VENUE_FACTS}})],
        "organizing.clone": [("GET", f"{base}/clone", None), ("POST", f"{base}/clone", {
            "csrf_token": token, "title_fr": "Copie", "starts_on": "2031-01-01", "slug": ""})],
        "organizing.change_event_status": [("POST", f"{base}/status", {
            "csrf_token": token, "status": "registration_closed"})],
        "organizing.support": [("GET", f"{base}/support", None), ("POST", f"{base}/support", {
            "csrf_token": token, "travel_zones": ["2", "3"], "accommodation_zones": ["3"], "nights": "1", "cap": "",
            "priority_1": "access_need", "priority_2": "event_region", "priority_3": "approval_order"})],
        "organizing.move_zone": [("POST", f"{base}/support/zones", {
            "csrf_token": token, "province_code": "12.391", "zone": "2"})],
        "organizing.logistics": [("GET", f"{base}/logistics", None)],
        "organizing.report_texts": [("GET", f"{base}/report/texts", None), ("POST", f"{base}/report/texts", {
            "csrf_token": token, "introduction_fr": "Introduction", "conclusion_ar": "خلاصة"})],
        "organizing.save_logistics_team": [("POST", f"{base}/logistics/team", {
            "csrf_token": token, "team_count": "4"})],
        "organizing.save_logistics_room": [("POST", f"{base}/logistics/rooms", {
            "csrf_token": token, "room": "plenary", "room-plenary-seats": "100",
            "room-plenary-equipment": ["projector", "sound"]})],
        "organizing.save_logistics_meal": [("POST", f"{base}/logistics/meals", {
            "csrf_token": token, "meal": str(world[f"{which}_meal"]), f"meal-{world[f'{which}_meal']}-head_count": "40"})],
        "organizing.budget": [("GET", f"{base}/budget", None)],
        "organizing.budget_xlsx": [("GET", f"{base}/budget.xlsx", None)],
        "organizing.save_event_costs": [("POST", f"{base}/budget/costs", {"csrf_token": token, "night": "500"})],
        "organizing.add_budget_line": [("POST", f"{base}/budget/lines", {
            "csrf_token": token, "label_fr": "Banderole", "label_ar": "", "quantity": "2", "unit_cost": "250"})],
        "organizing.delete_budget_line": [("POST", f"{base}/budget/lines/1/delete", {"csrf_token": token})],
        "organizing.grants": [("GET", f"{base}/grants", None)],
        "organizing.confirm_grants": [("POST", f"{base}/grants/confirm", {"csrf_token": token})],
        "organizing.override_support": [("POST", f"{base}/grants/override", {
            "csrf_token": token, "registration_id": str(world[f"{which}_approved"]), "nights": "1",
            "reason": "Accord du comité"})],
    }


# who -> which event -> expected status for an EDIT route and for an ADMINISTER route
ORGANIZER_EXPECTED = {
    "anonymous": {"own": (302, 302), "foreign": (302, 302)},
    "observer": {"own": (403, 403), "foreign": (404, 404)},
    "other_coordinator": {"own": (404, 404), "foreign": (404, 404)},
    "coordinator": {"own": (200, 403), "foreign": (404, 404)},
    "admin": {"own": (200, 200), "foreign": (200, 200)},
}


@pytest.mark.parametrize("who", list(ORGANIZER_EXPECTED))
def test_organizer_matrix(app, auth, world, who):
    client = client_for(app, auth, who)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for which in ("own", "foreign"):
        edit_status, administer_status = ORGANIZER_EXPECTED[who][which]
        for endpoint, steps in organizer_urls(world, which, token).items():
            expected = edit_status if endpoint in EVENT_EDIT | EVENT_GRANTS else administer_status
            for method, url, data in steps:
                response = client.get(url) if method == "GET" else client.post(url, data=data)
                if expected == 200:
                    wanted = (303,) if method == "POST" else (200,)
                    assert response.status_code in wanted, (who, which, endpoint, method, response.status_code)
                else:
                    assert response.status_code == expected, (who, which, endpoint, method, response.status_code)
                if expected == 302:
                    assert "/login" in response.headers["Location"]


# Proposals (issue 11, items 5 and 6). EDIT: admins and the event's coordinators record, edit, moderate
# and send the rapporteurs' links; ADMINISTER: the reasoned response and its publication, admins only.
PROPOSALS_EDIT = {"proposals.index", "proposals.new", "proposals.edit", "proposals.moderate", "proposals.send_link"}
PROPOSALS_ADMINISTER = {"proposals.respond", "proposals.publish_response"}


def proposal_urls(app, world, which, token) -> dict[str, list[tuple[str, str, dict | None]]]:
    """Each proposals route on the own or foreign event, with a proposal and a rapporteur of it."""
    from portal.clock import utcnow
    from portal.events.models import Event
    from portal.events.people import add_person
    from portal.extensions import db
    from portal.proposals.operations import record_proposal
    event_id = world[f"{which}_event"]
    with app.app_context():
        event = db.session.get(Event, event_id)
        workshop = event.workshops[0]
        proposal = record_proposal(workshop, {"title_fr": "Une proposition", "theme": "other"}, "test", utcnow())
        link, _reused = add_person(event, {"name_fr": "Rapporteur", "email": f"rapporteur-{which}@example.org"},
                                   {"role": "rapporteur", "status": "confirmed", "workshop_id": workshop.id})
        db.session.commit()
        workshop_id, proposal_id, role_id = workshop.id, proposal.id, link.id
    base = f"/proposals/events/{event_id}"
    content = {"csrf_token": token, "title_fr": "Titre", "theme": "digital"}
    response = {"csrf_token": token, "response": "not_retained", "reason_fr": "Non", "reason_ar": "لا"}
    return {
        "proposals.index": [("GET", base, None)],
        "proposals.new": [("GET", f"{base}/workshops/{workshop_id}/new", None),
                          ("POST", f"{base}/workshops/{workshop_id}/new", content)],
        "proposals.edit": [("GET", f"{base}/{proposal_id}", None), ("POST", f"{base}/{proposal_id}", content)],
        "proposals.moderate": [("GET", f"{base}/{proposal_id}/moderate", None),
                               ("POST", f"{base}/{proposal_id}/moderate", {
                                   "csrf_token": token, "decision": "accept", "workshop_id": str(workshop_id)})],
        "proposals.send_link": [("POST", f"{base}/rapporteurs/{role_id}/send", {"csrf_token": token})],
        "proposals.respond": [("GET", f"{base}/{proposal_id}/response", None),
                              ("POST", f"{base}/{proposal_id}/response", response)],
        "proposals.publish_response": [("POST", f"{base}/{proposal_id}/publish", {"csrf_token": token})],
    }


@pytest.mark.parametrize("who", list(ORGANIZER_EXPECTED))
def test_proposals_matrix(app, auth, world, who):
    """Coordinators their events only; the reasoned response admins only."""
    client = client_for(app, auth, who)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    for which in ("own", "foreign"):
        edit_status, administer_status = ORGANIZER_EXPECTED[who][which]
        for endpoint, steps in proposal_urls(app, world, which, token).items():
            expected = edit_status if endpoint in PROPOSALS_EDIT else administer_status
            for method, url, data in steps:
                response = client.get(url) if method == "GET" else client.post(url, data=data)
                wanted = ((303,) if method == "POST" else (200,)) if expected == 200 else (expected,)
                assert response.status_code in wanted, (who, which, endpoint, method, response.status_code)
                if expected == 302:
                    assert "/login" in response.headers["Location"]
