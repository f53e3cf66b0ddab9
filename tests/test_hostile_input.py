"""Hostile values in every field of the public registration form.

Whatever arrives, the person (or the bot) gets field errors (422) or another 4xx, never a 500,
and a refused submission keeps nothing. A value that is legal (a name may contain "<" or an
apostrophe) is stored as typed and always shown escaped: on the confirmation page, on the
manage page and in the acknowledgement mail.
"""
import re
from urllib.parse import quote

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from portal.events.models import Event
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.registration.models import Registration
from tests.support.data import REFERENCE_TABLES, count, empty_database, mailed_manage_path, outbox, registrations
from tests.support.web import csrf_token, form_page, valid_registration

SLUG = "oriental"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW_MARKUP = ("<script>", "<img src=x")

# Stand-ins resolved against the database of the test (ids change with each seeding).
FOREIGN_WORKSHOP = object()

CORPUS = {
    "script": SCRIPT,
    "img-onerror": IMG,
    "sql-drop": "'; DROP TABLE registration; --",
    "sql-or": "1 OR 1=1",
    "10kB": "Ab" * 5120,
    "nul": "Ami\x00na",
    "bel": "Ami\x07na",
    "esc": "\x1b[31mAmina",
    "rlo": "Amina\u202eEVIL",
    "lri": "\u2066Amina",
    "email-no-domain": "a@",
    "email-no-local": "@b.org",
    "email-space": "a b@example.org",
    "email-two-at": "a@b@c",
    "foreign-workshop": FOREIGN_WORKSHOP,
    "non-numeric": "abc",
    "huge-int": "9" * 40,
    "negative": "-1",
    "forged-province": "99.999",
}

TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "organization", "city", "access_needs_details")
CHOICE_FIELDS = ("gender", "age_band", "organization_type", "province", "workshop", "language", "access_needs")
BOOLEAN_FIELDS = ("guardian_consent", "consent_needs", "travel_support", "accommodation_support", "consent")
IGNORED_FIELDS = ("region",)  # the province filter: sent with the form, never read by the POST
HONEYPOT = "website"
ALL_FIELDS = TEXT_FIELDS + CHOICE_FIELDS + BOOLEAN_FIELDS + IGNORED_FIELDS + (HONEYPOT,)

INVISIBLE = ("nul", "bel", "esc", "rlo", "lri")
MAX_LENGTH = {"first_name": 100, "last_name": 100, "email": 254, "phone": 30, "organization": 200, "city": 100,
              "access_needs_details": 1000}


def must_refuse(field: str, name: str, value: str) -> bool:
    """The cases the form has to refuse: everything a person could not have meant."""
    if field in CHOICE_FIELDS or field == "email":
        return True  # no hostile value is a valid choice or address
    if field == "phone":
        return not re.fullmatch(r"[0-9 ().+-]{6,30}", value)  # "99.999" could be a phone number
    if field in TEXT_FIELDS:
        return name in INVISIBLE or len(value) > MAX_LENGTH[field]
    return False


# --- fixtures: hundreds of cases in a few seconds ----------------------------------------------
# The demo events are seeded once for the module and one client keeps one CSRF token; between
# cases every table but the seeded ones is emptied (this replaces the conftest clean-up, which is
# done in full when the module ends).
@pytest.fixture(scope="module")
def module_events(app):
    from portal.clock import utcnow
    from portal.events.demo import seed_demo_events
    with app.app_context():
        seed_demo_events(utcnow())
        db.session.commit()
        db.session.remove()
        with db.engine.connect() as connection:
            seeded = {table.name for table in db.metadata.sorted_tables
                      if connection.execute(select(func.count()).select_from(table)).scalar()}
    yield seeded | REFERENCE_TABLES
    empty_database(app)


@pytest.fixture(autouse=True)
def _clean_database(app, module_events):
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            if not connection.execute(select(Registration.id).limit(1)).first() \
                    and not connection.execute(select(OutboxMessage.id).limit(1)).first():
                return  # nothing was accepted: nothing to undo (most cases)
    empty_database(app, keep=module_events)  # the events and the reference data stay


@pytest.fixture(scope="module")
def client(app, module_events):
    return app.test_client()


@pytest.fixture(scope="module")
def token(client):
    return csrf_token(form_page(client, SLUG))


@pytest.fixture(scope="module")
def base_data(app, module_events):
    return valid_registration(app, SLUG)


@pytest.fixture(scope="module")
def foreign_workshop(app, module_events):
    with app.app_context():
        other = db.session.scalar(select(Event).where(Event.slug == "fes-meknes"))
        return str(other.workshops[0].id)


def resolve(value, foreign_workshop):
    return foreign_workshop if value is FOREIGN_WORKSHOP else value


def post_form(client, token, data):
    return client.post(f"/events/{SLUG}/register", data={**data, "csrf_token": token})


# --- every field x every hostile value --------------------------------------------------------
@pytest.mark.parametrize("name", list(CORPUS))
@pytest.mark.parametrize("field", ALL_FIELDS)
def test_hostile_value_in_every_field_never_breaks_the_form(app, client, token, base_data, foreign_workshop,
                                                            field, name):
    value = resolve(CORPUS[name], foreign_workshop)
    data = {**base_data, field: value}
    if field in ("access_needs", "access_needs_details"):
        data["consent_needs"] = "y"  # so that a legal value would really be kept
    response = post_form(client, token, data)
    html = response.get_data(as_text=True)

    assert response.status_code != 500, (field, name)
    assert response.status_code in (303, 422) or 400 <= response.status_code < 500, (field, name)
    for raw in RAW_MARKUP:
        assert raw not in html, f"{field}={name}: markup echoed unescaped"

    if must_refuse(field, name, value):
        assert response.status_code == 422, (field, name, response.status_code)
        assert f'href="#{field}' in html, f"{field}={name}: no error pointing at the field"
    if response.status_code != 303:
        assert count(app, Registration) == 0, (field, name)
        assert count(app, OutboxMessage) == 0, (field, name)
        return

    assert response.headers["Location"].endswith(f"/events/{SLUG}/register/done")
    if field == HONEYPOT:
        assert count(app, Registration) == 0  # a bot's submission is dropped silently
        return
    [registration] = registrations(app)
    if field in TEXT_FIELDS:
        stored = registration.access_needs_details if field == "access_needs_details" else getattr(registration, field)
        assert stored == value.strip(), f"{field}={name}: not stored verbatim"


@pytest.mark.parametrize("field", ["first_name", "email", "gender", "province", "workshop", "access_needs", "consent"])
def test_a_field_sent_twice_does_not_break_the_form(app, client, token, base_data, field):
    response = post_form(client, token, {**base_data, field: [base_data.get(field, "other"), SCRIPT]})
    assert response.status_code in (303, 422), response.status_code
    assert "<script>" not in response.get_data(as_text=True)
    if response.status_code == 422:
        assert count(app, Registration) == 0


# --- CSRF -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [SCRIPT, "'; DROP TABLE registration; --", "x" * 10240, "\x00", "\u202e"])
def test_forged_csrf_token_is_refused(app, client, token, base_data, value):
    response = client.post(f"/events/{SLUG}/register", data={**base_data, "csrf_token": value})
    assert response.status_code == 400
    assert "<script>" not in response.get_data(as_text=True)
    assert count(app, Registration) == 0


def test_missing_csrf_token_is_refused_with_its_own_page(app, client, token, base_data):
    response = client.post(f"/events/{SLUG}/register", data=base_data)
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert count(app, Registration) == 0
    assert count(app, OutboxMessage) == 0


def test_token_of_another_session_is_refused(app, token, base_data):
    stranger = app.test_client()  # no session cookie: the token is someone else's
    response = stranger.post(f"/events/{SLUG}/register", data={**base_data, "csrf_token": token})
    assert response.status_code == 400
    assert count(app, Registration) == 0


# --- legal values: stored verbatim, shown escaped -----------------------------------------------
def test_script_first_name_is_stored_verbatim_and_escaped_everywhere(app, client, token, base_data):
    response = post_form(client, token, {**base_data, "first_name": SCRIPT})
    assert response.status_code == 303
    [registration] = registrations(app)
    assert registration.first_name == SCRIPT
    manage = client.get(mailed_manage_path(app, registration.email))
    assert manage.status_code == 200
    [message] = outbox(app)
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in confirmation  # it shows no value typed, but for the masked address
    pages = {"manage page": manage.get_data(as_text=True), "mail": message.body_html}
    for where, html in pages.items():
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, where
        assert "<script>alert" not in html, where
    assert SCRIPT in message.body_text  # plain text is not HTML: the name as typed


@pytest.mark.parametrize("value", [IMG, "'; DROP TABLE registration; --", "1 OR 1=1", "Élodie <b>O'Brien</b> & Cie"])
def test_legal_hostile_text_is_stored_verbatim_and_shown_escaped(app, client, token, base_data, value):
    fields = ("first_name", "last_name", "organization", "city")
    response = post_form(client, token, {**base_data, **dict.fromkeys(fields, value)})
    assert response.status_code == 303
    [registration] = registrations(app)
    assert [getattr(registration, field) for field in fields] == [value] * 4
    assert count(app, Event) == 4  # and the SQL stayed data

    escaped = str(escape(value))
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    manage = client.get(mailed_manage_path(app, registration.email)).get_data(as_text=True)
    [message] = outbox(app)
    assert "<img" not in confirmation and "<b>" not in confirmation
    for where, html in (("manage page", manage), ("mail", message.body_html)):
        assert escaped in html, where
        if escaped != value:
            assert value not in html, f"{where}: shown unescaped"
        assert "<img" not in html and "<b>" not in html, f"{where}: shown unescaped"


def test_legal_hostile_access_needs_details_are_escaped_on_the_manage_page(app, client, token, base_data):
    data = {**base_data, "access_needs": "other", "access_needs_details": SCRIPT, "consent_needs": "y"}
    response = post_form(client, token, data)
    assert response.status_code == 303
    [registration] = registrations(app)
    assert registration.access_needs_details == SCRIPT
    html = client.get(mailed_manage_path(app, registration.email)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


# --- the inline check -------------------------------------------------------------------------------
CHECKED_FIELDS = TEXT_FIELDS + CHOICE_FIELDS + BOOLEAN_FIELDS


@pytest.mark.parametrize("name", list(CORPUS))
def test_inline_check_of_every_field_survives_hostile_values(app, client, token, foreign_workshop, name):
    value = resolve(CORPUS[name], foreign_workshop)
    for field in CHECKED_FIELDS:
        response = client.post(f"/events/{SLUG}/register/check/{field}", data={field: value, "csrf_token": token},
                               headers={"HX-Request": "true"})
        assert response.status_code == 200, (field, name, response.status_code)
        html = response.get_data(as_text=True)
        assert f'id="group-{field}"' in html, (field, name)
        for raw in RAW_MARKUP:
            assert raw not in html, (field, name)
        if must_refuse(field, name, value):
            assert "field-invalid" in html, (field, name)
    assert count(app, Registration) == 0


@pytest.mark.parametrize("path", ["<script>", "csrf_token", "__class__", "first_name%00", "x" * 2000, "..%2F..%2Fetc"])
def test_inline_check_of_unknown_fields_is_not_found(app, client, token, path):
    response = client.post(f"/events/{SLUG}/register/check/{path}", data={"csrf_token": token})
    assert response.status_code == 404
    assert "<script>" not in response.get_data(as_text=True)


def test_inline_check_without_csrf_token_is_refused(app):
    response = app.test_client().post(f"/events/{SLUG}/register/check/email", data={"email": SCRIPT})
    assert response.status_code == 400


# --- the address itself ------------------------------------------------------------------------------
@pytest.mark.parametrize("slug", [SCRIPT, "'; DROP TABLE event; --", "x" * 5000, "oriental\x00"])
def test_hostile_event_slug_is_not_found(app, client, token, base_data, slug):
    response = client.post(f"/events/{quote(slug, safe='')}/register", data={**base_data, "csrf_token": token})
    assert response.status_code == 404
    assert "<script>" not in response.get_data(as_text=True)
    assert count(app, Registration) == 0


ADDRESS_VALUES = [SCRIPT, "'; DROP TABLE registration; --", "x" * 5000, "oriental\x00", "\x00", "\u202e", "%"]


@pytest.mark.parametrize("value", ADDRESS_VALUES, ids=range(len(ADDRESS_VALUES)))
def test_hostile_values_in_addresses_are_not_found(app, client, token, value):
    part = quote(value, safe="")
    for method, path in (("GET", f"/events/{part}"), ("GET", f"/events/{part}/register"),
                         ("GET", f"/events/{part}/register/done"), ("GET", f"/manage/{part}"),
                         ("POST", f"/manage/{part}"), ("GET", f"/manage/{part}/cancel"),
                         ("POST", f"/manage/{part}/cancel"), ("GET", f"/language/{part}")):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 404, (method, path[:60], response.status_code)
        assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ADDRESS_VALUES, ids=range(len(ADDRESS_VALUES)))
def test_hostile_query_strings_do_not_break_pages(app, client, value):
    for path, params in (("/geo/provinces", {"region": value, "province": value}), ("/language/fr", {"next": value}),
                         ("/", {"q": value})):
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 303), (path, response.status_code)
        assert "<script>" not in response.get_data(as_text=True)
        assert "\x00" not in response.headers.get("Location", "")
