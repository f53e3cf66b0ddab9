"""The web side of the tests: CSRF tokens, the registration form's data, the login form."""
import re
import threading

import requests
from sqlalchemy import select

from portal.events.models import Event
from portal.extensions import db

CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def form_page(client, slug: str) -> str:
    response = client.get(f"/events/{slug}/register")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def valid_registration(app, slug: str, **overrides) -> dict:
    """Form data that the form accepts for this event (province inside its regions)."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        province = min(event.regions[0].provinces, key=lambda p: p.code).code
        workshop = str(event.workshops[0].id)
    data = {
        "first_name": "Amina", "last_name": "El Idrissi", "email": "amina@example.org", "phone": "+212 6 12 34 56 78",
        "gender": "female", "age_band": "25_34", "organization": "Association Tawasol",
        "organization_type": "association", "province": province, "city": "Oujda", "workshop": workshop,
        "language": "fr", "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_registration(client, slug: str, data: dict, headers=None):
    token = csrf_token(form_page(client, slug))
    return client.post(f"/events/{slug}/register", data={**data, "csrf_token": token}, headers=headers or {})


def submit_form(client, url: str, data: dict, *, action: str | None = None, **kwargs):
    """GET the page at `url`, then POST `data` with the page's CSRF token, as a browser would: to
    the page itself, or to `action` when the page's form posts elsewhere."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(action or url, data={**data, "csrf_token": token}, **kwargs)


def post_login(client, email: str, password: str, *, base_url: str = ""):
    """The login form sent as a browser sends it (GET for its CSRF token, then POST); the answer,
    303 when it worked, is not followed. `client` is a Flask test client, or a requests.Session
    on the live server at `base_url`."""
    if isinstance(client, requests.Session):
        token = csrf_token(client.get(f"{base_url}/login").text)
        return client.post(f"{base_url}/login", data={"email": email, "password": password, "csrf_token": token},
                           allow_redirects=False)
    return submit_form(client, "/login", {"email": email, "password": password})


def post_code(client, code: str, *, base_url: str = "", url: str = "/login/code"):
    """The second step of signing in (or of enrolment at sign-in): the code, with the page's CSRF token."""
    if isinstance(client, requests.Session):
        token = csrf_token(client.get(f"{base_url}{url}").text)
        return client.post(f"{base_url}{url}", data={"code": code, "csrf_token": token}, allow_redirects=False)
    return submit_form(client, url, {"code": code})


# French typography puts a narrow no-break space (U+202F) before ? ! ; : (tests/support/typography.py).
# Python's \s and str.split() count it as whitespace, and NFKC turns it into a space: the helpers
# below squeeze whitespace but keep it, so that an expected French text matches the page's.
_SQUEEZABLE = re.compile(r"[^\S\u202f]+")


def squeeze(text: str) -> str:
    """Runs of whitespace as one space (the narrow no-break space kept), ends stripped."""
    return _SQUEEZABLE.sub(" ", text).strip()


def nfkc(text: str) -> str:
    """Unicode NFKC (Arabic presentation forms from a PDF back to letters), narrow spaces kept."""
    import unicodedata
    return unicodedata.normalize("NFKC", text.replace("\u202f", "\x00")).replace("\x00", "\u202f")


def post_forms_at_once(servers: str | list[str], slug: str, payloads: list[dict],
                       timeout: float = 60) -> list[requests.Response | Exception]:
    """One person per payload, each in a thread with a browser session of their own: opens the
    event's registration form on one server, waits for all the others (a barrier), then posts it,
    to the next server when there are several (the session cookie and CSRF token travel with it).
    Returns the answers (redirects not followed) or the exception each one met."""
    servers = [servers] if isinstance(servers, str) else servers
    barrier = threading.Barrier(len(payloads), timeout=timeout)
    answers: list = [None] * len(payloads)

    def person(index: int):
        opened_on, posted_to = servers[index % len(servers)], servers[(index + 1) % len(servers)]
        with requests.Session() as browser:
            try:
                page = browser.get(f"{opened_on}/events/{slug}/register", timeout=timeout)
                assert page.status_code == 200, page.status_code
                token = csrf_token(page.text)
                barrier.wait()
                answers[index] = browser.post(f"{posted_to}/events/{slug}/register", timeout=timeout,
                                              data={**payloads[index], "csrf_token": token}, allow_redirects=False)
            except Exception as error:  # noqa: BLE001 - reported with the others
                answers[index] = answers[index] or error
                barrier.abort()

    threads = [threading.Thread(target=person, args=(i,), name=f"person-{i}") for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 3)
    assert not any(thread.is_alive() for thread in threads), "some requests never finished"
    return answers
