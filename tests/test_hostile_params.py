"""No input breaks a page (issue 8, item 7): every route of the URL map, every parameter the app
reads, hostile values, four kinds of visitors; never a 5xx.

- Every route is walked (app.url_map: a new one is walked too) as anonymous, observer,
  coordinator and admin, with its path parameters filled in with real objects; a route whose
  parameter the test cannot fill fails with where to add it. Anonymous visitors walk every
  route; signed-in users the back-office routes they reach (the public ones parse the same way).
- GET: each query parameter the app reads (QUERY_PARAMS) with a hostile value of its own, four
  parameters a request, and all of them at once with one value; POST: the form as the page gives it (its fields and values, a valid CSRF token),
  each field replaced in turn by hostile values (FORM_FIELDS adds those of POST-only routes).
- Each path parameter replaced by hostile values, GET and POST.
The corpus is sampled per parameter (rotating, so that every value meets every kind of
parameter somewhere) rather than the full product, to keep the run short.

Then the parsing costs: a template of 20,000 characters made of unclosed or nested tags and a CSV
with 10,000 columns are refused with a message, quickly.
"""
import datetime as dt
import io
import re
import time
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from flask import url_for
from werkzeug.datastructures import MultiDict

from portal.clock import utcnow
from portal.extensions import db
from tests.support.data import make_registrations
from tests.support.web import csrf_token

CORPUS = [
    "²", "١٢", "１２", "99999999999999999999", "-1", "0", "-99999999999999999999", "1e308", "NaN",
    "0001-01-01", "9999-12-31", "2024-02-30", "Ami\x00na", "A" * 10_000, "Amina\u202eEVIL", "\u2066\u202b",
    "%00%2e%2e%2f", "%252e%252e", "'; DROP TABLE registration; --", "1 OR 1=1", '"><img src=x onerror=alert(1)>',
    "<script>alert(1)</script>", "{{ 7*7 }}", "{%", "../../etc/passwd", "  ", "", "\r\n\r\nX-Injected: 1",
    "-created", "--", "٠", "𝟙𝟚", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]
MANY = [str(number) for number in range(2000)]  # a list of many values for one name

# Every name the app reads from a query string (grep request.args, request.values, ListFilters,
# DirectoryFilters, the campaign page's preview and progress, the login and language redirects).
LIST_FILTERS = ("status", "region", "province", "gender", "age_band", "organization_type", "workshop", "need",
                "support", "out_of_region")
QUERY_PARAMS = (LIST_FILTERS + tuple(f"{name}_not" for name in LIST_FILTERS)
                + ("q", "from", "to", "sort", "page", "columns", "kind", "preview", "announced", "next", "email",
                   "registration", "return_query", "role"))
# Fields of POST routes that have no page of their own to read them from.
FORM_FIELDS = {
    "review.bulk_decision": {"registration": "", "decision": "approve", "reason": "", "return_query": ""},
    "review.row_decision": {"decision": "waitlist", "reason": "", "return_query": ""},
    "review.add_internal_note": {"body": "Une note"},
    "review.move_workshop": {"workshop": ""},
    "accessibility.tick": {"action": "braille_copies", "done": "1"},
    "organizing.reorder_workshop": {"direction": "up"}, "organizing.move_agenda_item": {"direction": "down"},
    "organizing.remove_workshop": {}, "organizing.remove_agenda_item": {}, "organizing.start_agenda": {},
    "organizing.person_status": {"status": "confirmed"}, "organizing.remove_person": {},
    "registration.check_field": {"email": "amina@example.org"},
    "people.erase_all": {"email": "nobody@example.org"},
    "campaigns.send_campaign": {}, "campaigns.retry": {}, "accounts.logout": {},
    "manage.update": {"access_needs": "braille", "access_needs_details": "", "consent_needs": "y"},
}
# Valid values where a page's defaults would not pass (so that the hostile field is the only fault).
VALID = {
    "registration.form": {"first_name": "Amina", "last_name": "El Idrissi", "email": "amina@example.org",
                          "gender": "female", "age_band": "25_34", "organization_type": "association",
                          "city": "Oujda", "consent": "y", "language": "fr"},
    "message_templates.new": {"name": "Nouveau", "subject_fr": "Objet", "body_fr": "Bonjour {{ first_name }}",
                              "subject_ar": "موضوع", "body_ar": "مرحبا"},
    "directory.create": {"kind": "province", "name_fr": "Province de Nador", "emails": "nador@example.org"},
    "accounts.login": {"email": "nobody@example.org", "password": "wrong password"},
    "accounts.change_password": {"current": "wrong", "password": "", "confirm": ""},
    "review.reservations": {"group": "disability", "seats": "3"},
}
ROLES = ("anonymous", "observer", "coordinator", "admin")


def sample(key: str, count: int) -> list[str]:
    """`count` values of the corpus for `key`, starting at a place that depends on the key."""
    start = sum(key.encode()) % len(CORPUS)
    return [CORPUS[(start + offset) % len(CORPUS)] for offset in range(count)]


# --- the world ------------------------------------------------------------------------------
@pytest.fixture
def world(app, auth, events, clock):
    from portal.accounts.models import PasswordReset, User
    from portal.campaigns.models import Campaign, Invitation, MessageTemplate
    from portal.directory.models import Institution
    from portal.events.models import Organization
    from portal.registration.links import issue_manage_link
    from portal.registration.models import Registration, WaitlistOffer
    from portal.tokens import new_token
    event = events["oriental"]
    registrations = make_registrations(app, event, 3, access_needs=lambda i: ["braille"] if i == 0 else [])
    clients = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        clients[role] = app.test_client()
        auth.sign_in(role, event, client=clients[role])
    with app.app_context():
        template = db.session.scalar(db.select(MessageTemplate.id).order_by(MessageTemplate.id))
        campaign = Campaign(template_id=template, event_id=event, audience_kind="participants",
                            audience="status=pending")
        institution = Institution(kind="commune", name_fr="Commune d'Oujda", region_code="02", province_code="02.411")
        manage = issue_manage_link(db.session.get(Registration, registrations[1]), utcnow()).rsplit("/", 1)[1]
        waitlisted = db.session.get(Registration, registrations[2])
        waitlisted.change_status("waitlisted", utcnow())
        offer, offer_token = WaitlistOffer.make(waitlisted, utcnow(), dt.timedelta(days=2))
        user = db.session.scalar(db.select(User).where(User.role == "admin"))
        reset, reset_token = PasswordReset.issue(user, utcnow(), dt.timedelta(hours=1))
        db.session.add_all([campaign, institution, offer, reset])
        db.session.commit()
        invitation_token, invitation_hash = new_token()
        db.session.add(Invitation(campaign_id=campaign.id, institution_id=institution.id, event_id=event,
                                  token_hash=invitation_hash, expires_at=utcnow() + dt.timedelta(days=30)))
        from portal.events.budget import OtherCost  # a line of the budget entered by hand (issue 10, item 7)
        line = OtherCost(event_id=event, label_fr="Banderole", quantity=1, unit_cost=100, updated_at=utcnow())
        db.session.add(line)
        db.session.commit()
        values = {"line_id": line.id, "event_id": event, "registration_id": registrations[0], "campaign_id": campaign.id,
                  "template_id": template, "institution_id": institution.id, "slug": "oriental",
                  "code": "ar", "field": "email", "filename": "css/site.css", "offer_id": offer.id,
                  "user_id": db.session.scalar(db.select(User.id).where(User.role == "observer")),
                  **program_values(event),
                  "organization_id": db.session.scalar(db.select(Organization.id).order_by(Organization.id))}
        # A proposal of the event and its first workshop's rapporteur's link (issue 11, items 5 and 6).
        from portal.events.models import Event
        from portal.events.people import add_person
        from portal.proposals.operations import issue_rapporteur_link, record_proposal
        oriental = db.session.get(Event, event)
        proposal = record_proposal(oriental.workshops[0], {"title_fr": "Proposition", "theme": "other"}, "test", utcnow())
        rapporteur, _reused = add_person(oriental, {"name_fr": "Rapporteure", "email": "rapporteure@example.org"}, {
            "role": "rapporteur", "status": "confirmed", "workshop_id": oriental.workshops[0].id})
        db.session.flush()
        rapporteur_token = issue_rapporteur_link(rapporteur, utcnow())
        db.session.commit()
        values["proposal_id"] = proposal.id
        tokens = {"manage": manage, "offers": offer_token, "accounts.reset_password": reset_token,
                  "invitations": invitation_token, "registrant_proposals": manage, "rapporteur": rapporteur_token}
    return {"clients": clients, "values": values, "tokens": tokens}


def program_values(event_id) -> dict:
    """A workshop, an agenda item and a role of the event (the organisers' programme screens)."""
    from portal.events.models import AgendaItem, EventRole, Workshop
    first = lambda model: db.session.scalar(db.select(model.id).where(model.event_id == event_id).order_by(model.id))
    return {"workshop_id": first(Workshop), "item_id": first(AgendaItem), "role_id": first(EventRole)}


def routes(app, world) -> list[tuple[object, str]]:
    """(rule, URL) of every route, path parameters filled with real objects."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        values = dict(world["values"])
        if "token" in rule.arguments:
            values["token"] = world["tokens"].get(rule.endpoint) or world["tokens"][rule.endpoint.split(".")[0]]
        unknown = set(rule.arguments) - set(values)
        assert not unknown, (f"{rule.rule} ({rule.endpoint}): the test cannot fill {sorted(unknown)}; "
                             "add a value in the world fixture of tests/test_hostile_params.py")
        with app.test_request_context():
            found.append((rule, url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})))
    return found


# --- reading a page's form ---------------------------------------------------------------------
class _Fields(HTMLParser):
    """The named fields of a page and the value a browser would send for each, by default."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in ("input", "textarea") and name and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") in ("checkbox", "radio") and name in self.fields and "checked" not in attrs:
                return
            self.fields[name] = attrs.get("value") or ("y" if attrs.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and (not self.fields[self._select] or "selected" in attrs):
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def page_fields(html: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(html)
    parser.fields.pop("csrf_token", None)
    return parser.fields


def page_token(client) -> str:
    """A CSRF token of this client's session, from a page with a form: a signed-in page's sign-out
    button, else the sign-in form (a page without a form carries none)."""
    for path in ("/", "/login"):
        found = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', client.get(path).get_data(as_text=True))
        if found:
            return found.group(1)
    raise AssertionError("no page with a CSRF token")


# --- asking, and checking the answer --------------------------------------------------------------
class Walk:
    def __init__(self, client, who):
        self.client, self.who, self.count, self.failures = client, who, 0, []

    def ask(self, method, url, what, **kwargs):
        self.count += 1
        try:  # under TESTING an exception reaches the test instead of becoming a 500
            response = self.client.open(url, method=method, **kwargs)
            response.get_data()  # a streamed answer runs to its end
            response.close()
        except Exception as error:  # noqa: BLE001 (reported with the request that raised it)
            self.failures.append(f"{type(error).__name__}: {error} ← {self.who} {method} {url} {what}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {self.who} {method} {url} {what}")
        return response


def reached(response) -> bool:
    """The route did its work for this visitor (not refused before reading any parameter)."""
    return response is not None and response.status_code < 300 or response.status_code in (400, 409, 413, 422) or (
        response.status_code in (302, 303) and "/login" not in response.headers.get("Location", ""))


def short(value: str) -> str:
    return repr(value if len(value) < 40 else value[:20] + f"…({len(value)} chars)")


GROUP = 4  # query parameters given a hostile value of their own in one request


def walk_get(walk: Walk, rule, url):
    # Each parameter with a hostile value of its own, GROUP parameters a request (the pages read
    # their parameters independently: a bad one is ignored or refused, never a reason to skip the
    # others), rather than one request per parameter.
    for start in range(0, len(QUERY_PARAMS), GROUP):
        query = {name: sample(rule.endpoint + name + walk.who, 1)[0] for name in QUERY_PARAMS[start:start + GROUP]}
        walk.ask("GET", url, "?" + "&".join(f"{name}={short(value)}" for name, value in query.items()),
                 query_string=query)
    # NUL always (PostgreSQL refuses it in text), then a rotating share of the corpus.
    for value in ["Ami\x00na", *sample(rule.endpoint + walk.who, 6)]:
        walk.ask("GET", url, f"every parameter = {short(value)}", query_string={name: value for name in QUERY_PARAMS})
    walk.ask("GET", url, "many values", query_string=[(name, value) for name in ("status", "workshop", "need", "page")
                                                      for value in MANY])
    walk.ask("GET", url, "htmx, every parameter", query_string={name: "-1" for name in QUERY_PARAMS},
             headers={"HX-Request": "true", "HX-Target": "results"})


def walk_post(walk: Walk, rule, url, token):
    page = walk.client.get(url) if "GET" in rule.methods else None
    fields = page_fields(page.get_data(as_text=True)) if page is not None and page.status_code == 200 else {}
    fields.update(FORM_FIELDS.get(rule.endpoint, {}))
    fields.update(VALID.get(rule.endpoint, {}))
    for name in sorted(fields):
        for value in sample(rule.endpoint + name + walk.who, 2):
            walk.ask("POST", url, f"{name}={short(value)}", data={**fields, name: value, "csrf_token": token})
        walk.ask("POST", url, f"{name} many values",
                 data=MultiDict([*[(key, value) for key, value in fields.items() if key != name],
                                 *[(name, value) for value in MANY[:300]], ("csrf_token", token)]))
    for value in sample(rule.endpoint + "csrf", 2):
        walk.ask("POST", url, f"csrf_token={short(value)}", data={**fields, "csrf_token": value})


def walk_path(walk: Walk, rule, token, values):
    """Each path parameter replaced by hostile values (percent-encoded as a browser sends them)."""
    for argument in sorted(rule.arguments):
        for value in sample(rule.endpoint + argument, 5) + ["0", "99999999999", "-5", "١٢"]:
            filled = {name: str(values[name]) for name in rule.arguments}
            filled[argument] = quote(value, safe="") or "%20"
            url = rule.rule
            for name, text in filled.items():
                url = re.sub(r"<(?:[a-z]+:)?" + name + ">", lambda m, t=text: t, url)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                data = {"csrf_token": token} if method == "POST" else None
                walk.ask(method, url, f"path {argument}={short(value)}", data=data)


# The walk must reach, for each visitor, these routes (the back office for each signed-in role, the
# public pages anonymously): proof that it went where it should.
MUST_WALK = {
    "anonymous": ("registration.form", "manage.show", "offers.show", "accounts.reset_password"),
    "observer": ("review.participants", "exports.export_xlsx"),
    "coordinator": ("review.reservations", "review.add_internal_note", "accessibility.plan_page", "accessibility.tick"),
    "admin": ("campaigns.new", "directory.import_csv", "message_templates.edit", "people.find"),
}


@pytest.mark.parametrize("who", ROLES)
def test_no_hostile_parameter_breaks_any_route(app, world, who):
    """One visitor at a time (four tests, so that they can run side by side)."""
    started = time.monotonic()
    walked = set()
    client = world["clients"][who]
    walk = Walk(client, who)
    values = {**world["values"], "token": world["tokens"]["manage"]}
    token = page_token(client)
    logout = None
    for rule, url in routes(app, world):
        if rule.endpoint == "static":
            continue
        if rule.endpoint == "accounts.logout":
            logout = (rule, url)  # last: it ends the session
            continue
        first = walk.ask("GET" if "GET" in rule.methods else "POST", url, "as is",
                         data=None if "GET" in rule.methods else {**FORM_FIELDS.get(rule.endpoint, {}),
                                                                  "csrf_token": token})
        public = reached(world["clients"]["anonymous"].get(url)) if who != "anonymous" else False
        if not reached(first) or public:
            continue  # refused before any parameter is read; public routes are walked anonymously
        walked.add(rule.endpoint)
        if "GET" in rule.methods:
            walk_get(walk, rule, url)
        if "POST" in rule.methods:
            walk_post(walk, rule, url, token)
        if who in ("anonymous", "admin") and rule.arguments:
            walk_path(walk, rule, token, values)
    if logout is not None:
        walk_post(walk, *logout, token)
    print(f"\n{walk.count} requests as {who} on {len(walked)} routes in {time.monotonic() - started:.0f} s")
    assert not walk.failures, f"{len(walk.failures)} answers were 5xx:\n" + "\n".join(walk.failures[:60])
    for endpoint in MUST_WALK[who]:
        assert endpoint in walked, (who, endpoint)


# --- parsing costs ----------------------------------------------------------------------------
def _template_form(admin):
    page = admin.get("/campaigns/templates/new")
    return csrf_token(page.get_data(as_text=True)), {**VALID["message_templates.new"], "purpose": "other",
                                                     "audience_kind": "participants"}


@pytest.mark.parametrize("body", [
    "{{" * 10_000, "{{ x" * 5_000, "{" * 10_000 + "}" * 10_000, "{%" * 10_000, "{{ first_name }" * 1_300,
    "{# " * 6_600, "{{" + " " * 19_990 + "}",
], ids=["unclosed", "unclosed-names", "nested", "statements", "half-closed", "comments", "one-long-tag"])
def test_a_pathological_template_is_refused_with_a_message(app, auth, body):
    admin = auth.sign_in("admin")
    token, fields = _template_form(admin)
    assert len(body) <= 20_000
    # (Its cost, linear since the cap on tags, is a matter for benchmarks, not for a timed test.)
    response = admin.post("/campaigns/templates/new", data={**fields, "body_fr": body, "body_ar": body,
                                                            "csrf_token": token})
    assert response.status_code == 422, response.status_code
    page = response.get_data(as_text=True)
    assert "balise" in page.lower()


def test_a_csv_with_ten_thousand_columns_is_refused_with_a_message(app, auth):
    admin = auth.sign_in("admin")
    token = csrf_token(admin.get("/directory/import").get_data(as_text=True))
    header = ",".join(["kind", "name_fr", "emails"] + [f"extra{n}" for n in range(10_000)])
    row = ",".join(["commune", "Commune de Nador", "nador@example.org"] + ["x"] * 10_000)
    data = (header + "\r\n" + (row + "\r\n") * 20).encode()
    response = admin.post("/directory/import", data={"csrf_token": token, "file": (io.BytesIO(data), "wide.csv")},
                          content_type="multipart/form-data")
    assert 400 <= response.status_code < 500, response.status_code
    assert "colonnes" in response.get_data(as_text=True)
