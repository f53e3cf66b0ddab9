"""Administrators manage accounts and organisations (issue 9, item 6): the list, invitations by a
mail with a single-use link valid 72 hours, role, organisation and events, disabling (signed out
at once), and the organisations. Through the test client and a real SMTP server."""
import html
import json
import re

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.events.models import Organization
from portal.extensions import db
from portal.security_log import log_path
from tests.support.auth import PASSWORD
from tests.support.data import outbox
from tests.support.outbox import deliver
from tests.support.web import csrf_token, post_login, submit_form

LINK_RE = re.compile(r"http://portal\.example\.org(/password/reset/[A-Za-z0-9_-]{40,})")
SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
NEW_PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def admin(app, auth, client, events):
    """The test's client, signed in as an administrator (the demo events and organisations exist)."""
    auth.sign_in("admin")
    return client


def organization_id(app, acronym: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organization.id).where(Organization.acronym == acronym))


def account(app, email: str) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.email == email))
        if found is not None:
            found.observed_event_ids = sorted(event.id for event in found.observed_events)
            db.session.expunge(found)
        return found


def invite(client, **fields):
    data = {"email": "nadia@example.org", "name": "Nadia Alaoui", "role": "coordinator", "organization": "",
            "language": "fr", **fields}
    return submit_form(client, "/accounts/invite", data)


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def security_log(app, kind: str) -> list[dict]:
    with open(log_path(app), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if f'"{kind}"' in line]


def mailed_link(smtp_server, to: str) -> tuple[str, object]:
    """The path of the link in the last mail that reached `to`, and the mail."""
    for envelope, message in reversed(smtp_server.messages):
        if envelope.rcpt_tos == [to]:
            return LINK_RE.search(message.get_body(("plain",)).get_content()).group(1), message
    raise AssertionError(f"no mail reached {to}")


def choose_password(client, link: str):
    page = client.get(link)
    assert page.status_code == 200
    return client.post(link, data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                   "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})


def row_of(page_html: str, email: str) -> str:
    return re.search(rf'<tr id="account-\d+">\s*<td dir="ltr"><a [^>]*>{re.escape(email)}</a>.*?</tr>',
                     page_html, re.DOTALL).group(0)


# --- invitations --------------------------------------------------------------------------------
def test_an_invited_coordinator_chooses_a_password_once_then_enrols_a_second_factor(app, admin, events,
                                                                                  smtp_server, clock):
    answer = invite(admin, email="Nadia@Example.org", organization=str(organization_id(app, "ACODEC")))
    assert answer.status_code == 303
    assert "Invitation envoyée à nadia@example.org" in admin.get("/accounts/").get_data(as_text=True)
    row = row_of(admin.get("/accounts/").get_data(as_text=True), "nadia@example.org")
    assert "Invité, pas encore connecté" in row and "ACODEC" in row and "jamais" in row
    assert deliver(app)["sent"] == 1
    link, message = mailed_link(smtp_server, "nadia@example.org")
    assert message["Subject"] == "Invitation au portail de co-création" and "Nadia Alaoui" in message["To"]
    text = message.get_body(("plain",)).get_content()
    assert "Bonjour Nadia Alaoui," in text and "Coordination d'association" in text and "une fois" in text
    entry = security_log(app, "account_invited")[-1]  # the log file outlives each test: the last line
    assert entry["account"] == "nadia@example.org" and entry["by"] == "admin@example.org"

    invitee = app.test_client()
    assert post_login(invitee, "nadia@example.org", "").status_code == 422  # no password until she chooses one
    page = invitee.get(link).get_data(as_text=True)
    assert "Choisissez votre mot de passe" in page and "nadia@example.org" in page
    chosen = choose_password(invitee, link)
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/login")
    used = invitee.get(link)
    assert used.status_code == 404
    used_page = used.get_data(as_text=True)
    assert "Ce lien d'invitation n'est plus valable" in used_page
    assert "/password/forgot" not in used_page.split("<main", 1)[1]  # it says so, and offers nothing else

    # The normal sign-in: the password, then the second factor's enrolment (a coordinator must have one).
    signed = post_login(invitee, "nadia@example.org", NEW_PASSWORD)
    assert signed.status_code == 303 and signed.headers["Location"].endswith("/login/enrol")
    secret = SECRET_RE.search(invitee.get("/login/enrol").get_data(as_text=True)).group(1).replace(" ", "")
    from portal.accounts.two_factor import STEP_SECONDS, current_step
    code = pyotp.TOTP(secret).at(current_step(clock.now) * STEP_SECONDS)
    assert submit_form(invitee, "/login/enrol", {"code": code}).status_code == 200  # the recovery codes
    assert invitee.get("/review/").status_code == 200
    row = row_of(admin.get("/accounts/").get_data(as_text=True), "nadia@example.org")
    assert ">Actif<" in row and "jamais" not in row


def test_the_link_works_until_72_hours_and_the_arabic_mail_reads_right_to_left(app, admin, events, smtp_server,
                                                                                 clock):
    assert invite(admin, email="karim@example.org", role="observer", language="ar",
                  events=str(events["oriental"])).status_code == 303
    deliver(app)
    link, message = mailed_link(smtp_server, "karim@example.org")
    assert message["Subject"] == "دعوة إلى بوابة الإعداد المشترك"
    body = message.get_body(("html",)).get_content()
    assert 'lang="ar" dir="rtl"' in body and 'مرحبًا <bdi dir="ltr">Nadia Alaoui</bdi>' in body
    assert account(app, "karim@example.org").observed_event_ids == [events["oriental"]]
    clock.advance(hours=71, minutes=59)
    assert app.test_client().get(link).status_code == 200
    clock.advance(minutes=2)
    late = app.test_client().get(link)
    assert late.status_code == 404 and "Ce lien d'invitation n'est plus valable" in late.get_data(as_text=True)


def test_inviting_again_an_account_never_signed_in_sends_a_fresh_link_and_kills_the_old(app, admin, events,
                                                                                       smtp_server):
    assert invite(admin, role="observer").status_code == 303
    again = invite(admin, role="observer", name="Nadia A.")
    assert again.status_code == 303
    assert "Nouvelle invitation envoyée à nadia@example.org" in admin.get("/accounts/").get_data(as_text=True)
    deliver(app)
    [first, second] = [LINK_RE.search(m.get_body(("plain",)).get_content()).group(1) for _, m in smtp_server.messages]
    assert app.test_client().get(first).status_code == 404
    assert choose_password(app.test_client(), second).status_code == 303
    assert account(app, "nadia@example.org").name == "Nadia A."
    assert security_log(app, "account_reinvited")[-1]["account"] == "nadia@example.org"


def test_an_address_whose_account_is_in_use_is_refused_clearly(app, admin, events):
    refused = invite(admin, email="ADMIN@example.org", role="observer")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Un compte existe déjà pour admin@example.org (actif)" in page and 'id="error-summary"' in page
    assert outbox(app) == []


def test_an_account_made_meanwhile_by_someone_else_is_refused_not_a_server_error(app, admin, events, monkeypatch):
    """Two administrators inviting one address at once: the second finds nobody when it looks,
    and the database refuses its account (the unique address) instead of a 500."""
    # The admin's own account exists, but the invitation's look-up does not see it (made meanwhile).
    monkeypatch.setattr("portal.accounts.operations.find_user_by_email", lambda email: None)
    refused = invite(admin, email="admin@example.org", role="observer")
    assert refused.status_code == 422
    assert "Un compte vient d&#39;être créé pour admin@example.org" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)
                                 .where(User.email == "admin@example.org")) == 1
    assert outbox(app) == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"organization": ""}, "Un compte de coordination appartient à une association"),
    ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valable"),
    ({"role": "superuser"}, "Choisissez un rôle dans la liste"),
    ({"role": "observer", "events": "999999"}, "Choisissez les événements dans la liste"),
    ({"name": ""}, "Ce champ est obligatoire"),
])
def test_an_invitation_with_a_fault_is_refused_with_its_message_and_nothing_is_sent(app, admin, fields, message):
    refused = invite(admin, **fields)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert message in page and 'id="error-summary"' in page and "<title>Erreur : " in page
    assert outbox(app) == [] and account(app, "nadia@example.org") is None


# --- changing an account ------------------------------------------------------------------------
def test_disabling_signs_the_account_out_at_once_everywhere(app, auth, admin, events):
    coordinator_id = auth.make("coordinator", "oriental")
    elsewhere = auth.sign_in("coordinator", "oriental", client=app.test_client())
    assert elsewhere.get("/review/").status_code == 200
    page = admin.get(f"/accounts/{coordinator_id}/edit").get_data(as_text=True)
    answer = admin.post(f"/accounts/{coordinator_id}/disable", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 303
    signed_out = elsewhere.get("/review/")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert post_login(app.test_client(), "acodec@example.org", PASSWORD).status_code == 422
    row = row_of(admin.get("/accounts/").get_data(as_text=True), "acodec@example.org")
    assert "Désactivé" in row
    assert security_log(app, "account_disabled")[-1]["account"] == "acodec@example.org"

    page = admin.get(f"/accounts/{coordinator_id}/edit").get_data(as_text=True)
    assert admin.post(f"/accounts/{coordinator_id}/enable", data={"csrf_token": csrf_token(page)}).status_code == 303
    assert post_login(app.test_client(), "acodec@example.org", PASSWORD).status_code == 303
    assert security_log(app, "account_enabled")[-1]["account"] == "acodec@example.org"


def test_an_admin_can_neither_disable_nor_demote_their_own_account(app, admin, events):
    own = account(app, "admin@example.org").id
    page = admin.get(f"/accounts/{own}/edit").get_data(as_text=True)
    refused = admin.post(f"/accounts/{own}/disable", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 422
    assert "Vous ne pouvez pas désactiver votre propre compte" in text(refused)
    demoted = submit_form(admin, f"/accounts/{own}/edit", {"name": "admin", "role": "observer", "organization": ""})
    assert demoted.status_code == 422
    assert "Vous ne pouvez pas retirer votre propre rôle d'administration" in text(demoted)
    assert 'id="error-summary"' in text(demoted)
    assert account(app, "admin@example.org").role == "admin" and account(app, "admin@example.org").active
    assert admin.get("/accounts/").status_code == 200  # still signed in, still an administrator


def test_role_organisation_and_an_observers_events_are_changed_and_logged(app, auth, admin, events):
    observer_id = auth.make("observer", "oriental")
    observer = auth.sign_in("observer", "oriental", client=app.test_client())
    fes = f"/review/events/{events['fes-meknes']}/participants"
    assert observer.get(fes).status_code == 404
    form = admin.get(f"/accounts/{observer_id}/edit").get_data(as_text=True)
    assert re.search(rf'name="events" value="{events["oriental"]}"\s+checked', form)
    answer = admin.post(f"/accounts/{observer_id}/edit", data={
        "csrf_token": csrf_token(form), "name": "Observatrice", "role": "observer", "organization": "",
        "events": [str(events["oriental"]), str(events["fes-meknes"])]})
    assert answer.status_code == 303
    assert observer.get(fes).status_code == 200  # the same session sees its new event
    changed = security_log(app, "account_changed")[-1]
    assert changed["account"] == "observer@example.org" and "events" in changed["changes"]

    adfm = str(organization_id(app, "ADFM"))
    answer = submit_form(admin, f"/accounts/{observer_id}/edit", {
        "name": "Observatrice", "role": "coordinator", "organization": adfm})
    assert answer.status_code == 303
    assert observer.get("/review/").status_code == 302  # a new role: signed out, signs in again
    changed = account(app, "observer@example.org")
    assert changed.role == "coordinator" and changed.organization_id == int(adfm) and changed.observed_event_ids == []
    assert security_log(app, "account_changed")[-1]["changes"]["role"] == ["observer", "coordinator"]


def test_the_list_is_filtered_by_role_and_status(app, auth, admin, events):
    auth.make("observer", "oriental")
    auth.make("coordinator", "oriental")
    observers = admin.get("/accounts/?role=observer").get_data(as_text=True)
    assert "observer@example.org" in observers and "acodec@example.org" not in observers
    assert "admin@example.org" not in observers and "1 compte" in observers
    invited = admin.get("/accounts/?status=invited").get_data(as_text=True)
    assert "acodec@example.org" in invited and "admin@example.org" not in invited
    everything = admin.get("/accounts/?role=nonsense").get_data(as_text=True)
    assert "3 comptes" in everything


def test_the_command_line_still_creates_accounts_shown_in_the_list(app, admin, runner, events):
    result = runner.invoke(args=["users", "create", "cli@example.org", "--role", "observer", "--event", "oriental",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "cli@example.org" in admin.get("/accounts/?role=observer").get_data(as_text=True)


# --- organisations ------------------------------------------------------------------------------
def test_organisations_are_created_edited_and_their_names_unique(app, admin, events):
    listing = admin.get("/accounts/organisations").get_data(as_text=True)
    assert "ACODEC" in listing
    created = submit_form(admin, "/accounts/organisations/new", {
        "name": "Association Tawasol", "name_ar": "جمعية تواصل", "acronym": "TAW", "kind": "association"})
    assert created.status_code == 303
    assert "جمعية تواصل" in admin.get("/accounts/organisations").get_data(as_text=True)
    assert security_log(app, "organization_created")[-1]["name"] == "Association Tawasol"
    duplicate = submit_form(admin, "/accounts/organisations/new", {
        "name": "association TAWASOL", "acronym": "", "kind": "association"})
    assert duplicate.status_code == 422
    assert "Une organisation porte déjà le nom « association TAWASOL »" in duplicate.get_data(as_text=True)
    bad_kind = submit_form(admin, "/accounts/organisations/new", {"name": "Autre", "kind": "company"})
    assert bad_kind.status_code == 422 and "Choisissez un type dans la liste" in bad_kind.get_data(as_text=True)
    tawasol = organization_id(app, "TAW")
    edited = submit_form(admin, f"/accounts/organisations/{tawasol}/edit", {
        "name": "Association Tawasol Oujda", "name_ar": "جمعية تواصل", "acronym": "TAW", "kind": "other"})
    assert edited.status_code == 303
    with app.app_context():
        found = db.session.get(Organization, tawasol)
        assert (found.name, found.kind) == ("Association Tawasol Oujda", "other")
    assert "Association Tawasol Oujda (TAW)" in admin.get("/accounts/invite").get_data(as_text=True)
    assert security_log(app, "organization_changed")[-1]["organization"] == tawasol
