"""Health data only for those allowed to see it (issue 8, item 1): proved by walking every route.

An observer (any role without SEE_HEALTH_DATA) must learn nothing about who declared which access need
or health diet (no gluten, diabetic-friendly, other; a vegetarian diet is not health data): not from
what a page shows, nor from what it lets them ask. The test builds an event where
some registrants declare needs (with details), and coordinators write notes and decision reasons
about health through the real routes. Then, for every GET route of the URL map (path parameters
filled in), it checks as an observer that:

1. every health parameter (need=..., need_not=1, sort on needs) changes nothing: the answer is the
   same as without it, on top of pagination, sorting, column sets, search, and htmx fragments;
2. the answers are the same once every piece of health data is erased from the database (so no
   count, total, order, page or file depends on it);
3. no need label, detail, note or decision reason appears in any back-office answer, in French or
   in Arabic.

Routes come from app.url_map: a new route is walked too; one whose path parameter the test cannot
fill fails with a message saying where to add it.
"""
import html
import io
import re
import zipfile

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import delete, update

from portal.extensions import db
from portal.registration.models import Registration, RegistrationAccessNeed, RegistrationDiet, StatusChange
from portal.registration.vocabularies import ACCESS_NEED, DIET, HEALTH_DIETS
from portal.review.models import InternalNote
from tests.support.data import make_registrations
from tests.support.web import csrf_token

HTMX = {"HX-Request": "true", "HX-Target": "results"}
DETAILS = "Épilepsie photosensible : éviter les flashs"
NOTE = "Diabète insulinodépendant, prévoir une collation"
REASON = "Malvoyante, priorité d'accès"
DIET_DETAILS = "Sans lactose, allergie sévère"
HEALTH_WORDS = ("épilepsie", "photosensible", "diabète", "insulino", "malvoyant", "lactose", "allergie")

# The list's ordinary parameters, each combined with every health parameter below.
BASES = [{}, {"page": "2"}, {"sort": "-created"}, {"sort": "name", "page": "2"}, {"columns": "full"},
         {"columns": "partners", "sort": "-status"}, {"q": "Nom"}, {"q": "Nom", "page": "2"}, {"status": "pending"}]
HEALTH = ([{"need": "any"}] + [{"need": value} for value in ACCESS_NEED]
          + [{"need": ["braille", "wheelchair", "other"]}])
HEALTH = HEALTH + [{**params, "need_not": "1"} for params in HEALTH] + [
    {"need_not": "1"}, {"sort": "need"}, {"sort": "-need"}, {"sort": "access_needs"}, {"need": "nonexistent"}]
# What an observer may search for without learning anything (the erased world must answer the same).
SEARCHES = [{"q": "épilepsie"}, {"q": "Diabète"}, {"q": "braille"}]


def path_values(world) -> dict[str, str]:
    """How to fill each path parameter of the URL map."""
    return {"event_id": world["event"], "registration_id": world["declared"][0], "campaign_id": world["campaign"],
            "template_id": world["template"], "institution_id": world["institution"], "slug": "oriental",
            "token": "x" * 43, "code": "fr", "field": "email", "filename": "css/site.css",
            "workshop_id": world["workshop"], "item_id": world["item"], "role_id": world["role"],
            "user_id": world["observer_id"], "organization_id": world["organization"],
            "proposal_id": 1}  # no proposal needed: the observer is refused the proposals screens


def get_routes(app, world) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET route but the static files, path parameters filled in."""
    values = path_values(world)
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        unknown = set(rule.arguments) - set(values)
        assert not unknown, (f"{rule.rule} ({rule.endpoint}): the test cannot fill {sorted(unknown)}; "
                             "add a value to path_values() in tests/test_health_privacy.py")
        with app.test_request_context():
            from flask import url_for
            routes.append((rule.endpoint, url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})))
    return sorted(routes)


# --- the data -------------------------------------------------------------------------------
@pytest.fixture
def world(app, auth, events, clock):
    event = events["oriental"]
    needs = list(ACCESS_NEED)
    # 61 registrations (two pages of 50): one in six declares a need, with details.
    declared_index = lambda i: i % 6 == 0
    ids = make_registrations(
        app, event, 61,
        access_needs=lambda i: [needs[(i // 6) % len(needs)], "other"] if declared_index(i) else [],
        access_needs_details=lambda i: DETAILS if declared_index(i) else "",
        consent_needs_at=lambda i: clock.now if declared_index(i) else None)
    declared = [registration for i, registration in enumerate(ids) if declared_index(i)]
    # The same people declare the health diets too (and a vegetarian diet, which is not health data).
    with app.app_context():
        for number, registration_id in enumerate(declared):
            registration = db.session.get(Registration, registration_id)
            registration.diets = ["vegetarian", HEALTH_DIETS[number % len(HEALTH_DIETS)], "other"]
            registration.diet_details = DIET_DETAILS
        db.session.commit()
    coordinator = app.test_client()
    auth.sign_in("coordinator", "oriental", client=coordinator)
    base = f"/review/events/{event}/participants"
    for registration, decision in zip(declared[:3], ("approve", "waitlist", "reject"), strict=True):
        page = coordinator.get(f"{base}/{registration}").get_data(as_text=True)
        token = csrf_token(page)
        answer = coordinator.post(f"{base}/{registration}/notes", data={"csrf_token": token, "body": NOTE})
        assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
        answer = coordinator.post(f"{base}/{registration}/decision",
                                  data={"csrf_token": token, "decision": decision, "reason": REASON})
        assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(InternalNote)) == 3
        assert db.session.scalar(db.select(db.func.count()).where(StatusChange.reason == REASON)) == 3
    observer = app.test_client()
    auth.sign_in("observer", event, client=observer)
    return {"event": event, "declared": declared, "observer": observer, **_admin_objects(app, event)}


def _admin_objects(app, event_id):
    """A campaign, a message template, an institution, the observer's account and an organisation,
    so that their routes can be filled."""
    from sqlalchemy import select

    from portal.campaigns.models import Campaign, MessageTemplate
    from portal.directory.models import Institution
    with app.app_context():
        template = db.session.scalar(select(MessageTemplate.id).order_by(MessageTemplate.id))
        campaign = Campaign(template_id=template, event_id=event_id, audience_kind="participants",
                            audience="status=approved")
        institution = Institution(kind="commune", name_fr="Commune d'Oujda", region_code="02", province_code="02.411")
        db.session.add_all([campaign, institution])
        db.session.commit()
        from portal.accounts.models import User
        from portal.events.models import AgendaItem, EventRole, Organization, Workshop
        first = lambda model: db.session.scalar(select(model.id).where(model.event_id == event_id).order_by(model.id))
        return {"campaign": campaign.id, "template": template, "institution": institution.id,
                "workshop": first(Workshop), "item": first(AgendaItem), "role": first(EventRole),
                "observer_id": db.session.scalar(select(User.id).where(User.role == "observer")),
                "organization": db.session.scalar(select(Organization.id).order_by(Organization.id))}


def erase_health_data(app) -> None:
    """Every trace of health in the database gone: needs, details, their consent, notes, reasons."""
    with app.app_context():
        db.session.execute(delete(RegistrationAccessNeed))
        db.session.execute(delete(RegistrationDiet).where(RegistrationDiet.diet.in_(HEALTH_DIETS)))
        db.session.execute(update(Registration).values(access_needs_details="", diet_details="", consent_needs_at=None))
        db.session.execute(delete(InternalNote))
        db.session.execute(update(StatusChange).values(reason=""))
        db.session.commit()


# --- what an answer says ---------------------------------------------------------------------
TOKENS = (re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"'), re.compile(r'"X-CSRFToken": "([^"]+)"'))
# The language switcher links back to the page asked for, query string included: an echo, not data.
LANGUAGE_LINK = re.compile(r'(href="/language/[a-z]+)\?next=[^"]*"')
# Flashed messages belong to the request before (shown once, on the next page): not this page's data.
FLASHES = re.compile(r'(<div id="flash"[^>]*>).*?(</div>)', re.DOTALL)


def content(response) -> tuple:
    """What a person gets from an answer, without per-request noise: status, the file's name and
    its contents (a spreadsheet's cells), or the page with its CSRF tokens and its own address
    (in the language links) blanked."""
    body = response.get_data()
    disposition = response.headers.get("Content-Disposition", "")
    if response.mimetype.endswith("spreadsheetml.sheet"):
        # Every part of the file but its properties (which hold the time it was written, to the second).
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            text = "\n".join(archive.read(name).decode("utf-8", "replace")
                             for name in sorted(archive.namelist()) if name != "docProps/core.xml")
    else:
        text = body.decode("utf-8", "replace")
        for pattern in TOKENS:
            for token in set(pattern.findall(text)):
                text = text.replace(token, "CSRF")
        text = LANGUAGE_LINK.sub(r'\1"', text)
        text = FLASHES.sub(r"\1\2", text)
    return response.status_code, response.headers.get("Location", ""), disposition, text


def ask(client, url, params=None, headers=None) -> tuple:
    response = client.get(url, query_string=params or {}, headers=headers or {})
    try:
        return content(response)
    finally:
        response.close()


def back_office(app, routes) -> set[str]:
    """The routes that send an anonymous visitor to the sign-in page."""
    anonymous = app.test_client()
    return {url for _, url in routes if "/login" in anonymous.get(url).headers.get("Location", "")}


def forbidden_texts() -> list[str]:
    texts = [DETAILS, NOTE, REASON, DIET_DETAILS, *HEALTH_WORDS]
    for language in ("fr", "ar"):
        with force_locale(language):
            texts += [str(label) for _, label in ACCESS_NEED.items()]
            texts += [str(DIET[diet]) for diet in HEALTH_DIETS]
            texts += [gettext("Besoins d'accessibilité"), gettext("Besoin d'accessibilité déclaré")]
    return [text.lower() for text in texts]


def assert_says_nothing_of_health(app, what: str, text: str) -> None:
    with app.test_request_context():
        forbidden = forbidden_texts()
    plain = html.unescape(text).lower()
    found = [word for word in forbidden if word in plain]
    assert not found, f"the observer's answer to {what} shows health data: {found}"


# --- the tests -------------------------------------------------------------------------------
def plan(full: bool) -> list[tuple[dict, dict, list[dict]]]:
    """(base parameters, headers, health parameters to add): on a page the observer reaches, every
    health parameter alone, as a page and as an htmx fragment; on top of each other base, a
    rotating share of them (so that every pair of kinds meets); elsewhere, every one alone."""
    if not full:
        return [({}, {}, HEALTH)]
    steps = [({}, {}, HEALTH), ({}, HTMX, HEALTH)]
    share = 5
    for index, base in enumerate(BASES[1:]):
        chosen = [HEALTH[(index * share + offset) % len(HEALTH)] for offset in range(share)]
        steps += [(base, {}, chosen), (base, HTMX, chosen[:2])]
    return steps


def test_no_health_parameter_changes_what_an_observer_gets(app, world):
    observer = world["observer"]
    routes = get_routes(app, world)
    private = back_office(app, routes)
    reached = {url for _, url in routes if ask(observer, url)[0] == 200}
    # The walk is not empty: the list, a participant, the exports, the dashboard are among them.
    expected = {f"/review/events/{world['event']}/{path}" for path in (
        "participants", f"participants/{world['declared'][0]}", "export.csv", "export.xlsx", "distribution")}
    assert expected | {"/review/"} <= reached & private, sorted(reached & private)
    requests = 0
    for endpoint, url in routes:
        for base, headers, healths in plan(url in reached and url in private):
            answers = {}  # the answer without the health parameter (a sort on needs replaces the sort)
            for health in healths:
                without = {key: value for key, value in base.items() if key not in health}
                key = tuple(sorted(without))
                if key not in answers:
                    answers[key] = ask(observer, url, without, headers)
                    if url in private:
                        assert_says_nothing_of_health(app, f"{url} {without} {headers}", answers[key][3])
                got = ask(observer, url, {**without, **health}, headers)
                requests += 1
                assert got == answers[key], (f"{endpoint} {url}: the observer's answer changes with {health} "
                                             f"(on top of {without}, headers {headers})")
    assert requests > 1000, requests


def test_an_observer_sees_the_same_once_health_data_is_erased(app, world):
    """Whatever is read (counts, totals, pages, order, files), it does not depend on health data."""
    observer = world["observer"]
    routes = get_routes(app, world)
    private = back_office(app, routes)
    asks = [(endpoint, url, params, {}) for endpoint, url in routes if url in private
            for params in BASES + SEARCHES + [{"need": "any"}, {"need": "braille", "need_not": "1"}]]
    asks += [(endpoint, url, params, HTMX) for endpoint, url in routes if url in private
             for params in ({}, {"page": "2"}, SEARCHES[0])]
    before = [ask(observer, url, params, headers) for _, url, params, headers in asks]
    erase_health_data(app)
    after = [ask(observer, url, params, headers) for _, url, params, headers in asks]
    for (endpoint, url, params, headers), one, other in zip(asks, before, after, strict=True):
        assert one == other, f"{endpoint} {url} {params} {headers}: the observer's answer depends on health data"


def test_no_back_office_answer_shows_health_data_to_an_observer_in_arabic(app, world):
    observer = world["observer"]
    observer.set_cookie("portal_lang", "ar")
    routes = get_routes(app, world)
    private = back_office(app, routes)
    assert ask(observer, "/review/")[3].count('lang="ar"') >= 1
    for _, url in routes:
        if url in private:
            for params in ({}, {"columns": "full"}, {"need": "any"}):
                assert_says_nothing_of_health(app, f"{url} {params} (ar)", ask(observer, url, params)[3])


def test_those_allowed_do_see_it(app, auth, world):
    """The control: the same checks would catch health data if it were there (coordinator)."""
    coordinator = app.test_client()
    auth.sign_in("coordinator", "oriental", client=coordinator)
    event, registration = world["event"], world["declared"][0]
    page = ask(coordinator, f"/review/events/{event}/participants/{registration}")[3]
    with pytest.raises(AssertionError):
        assert_says_nothing_of_health(app, "the participant page", page)
    for word in (NOTE, REASON):
        assert word in html.unescape(page)
    full = ask(coordinator, f"/review/events/{event}/export.csv", {"columns": "full"})[3]
    assert DETAILS in full
    # The accessibility plan counts the approved participant's consented needs (issue 10, item 6).
    plan = ask(coordinator, f"/review/events/{event}/accessibility")
    assert plan[0] == 200
    with pytest.raises(AssertionError):
        assert_says_nothing_of_health(app, "the accessibility plan", plan[3])
    assert ask(world["observer"], f"/review/events/{event}/accessibility")[0] == 403
    filtered = ask(coordinator, f"/review/events/{event}/participants", {"need": "any"})
    assert filtered != ask(coordinator, f"/review/events/{event}/participants")
