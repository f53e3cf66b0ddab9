"""The public pages' cache (docs/architecture.md, "Public pages' cache"): what an anonymous visitor
gets is the page as the data is, in their language, with their own CSRF token, whichever process
serves it, within the staleness bound; signed-in people and pending messages never go through it."""
import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
import time

import pytest
import redis
import requests
from flask import request, request_started

from portal import create_app, public_cache
from portal.events.models import Event
from portal.extensions import db
from portal.transfer import Precompressed
from tests.support.web import csrf_token, post_registration, valid_registration

SLUG = "oriental"
TOKEN = re.compile(r'(?<=name="csrf_token" type="hidden" value=")[^"]+')
REDIS_URI = "redis://127.0.0.1:6379/3"  # this test file's own Redis database


def received(html: str) -> int:
    return int(re.search(r"Inscriptions reçues\W+(\d+)", html).group(1))


def can_register(html: str) -> bool:
    """The event page offers its registration form (registrations open)."""
    return f'href="/events/{SLUG}/register"' in html


def page(client, path=f"/events/{SLUG}", **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


class Monotonic:
    """The cache's staleness clock, moved by the test."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def staleness_clock(monkeypatch):
    fake = Monotonic()
    monkeypatch.setattr(public_cache, "_monotonic", fake)
    return fake


def another_app(app, **settings):
    """A second app on the same database: what a second server process is to the first."""
    keys = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "RATELIMIT_ENABLED",
            "OUTBOX_DELIVER_IN_APP", "PORTAL_BASE_URL", "INSTANCE_PATH")
    return create_app({**{key: app.config[key] for key in keys}, **settings})


@pytest.fixture
def redis_versions():
    client = redis.Redis.from_url(REDIS_URI)
    client.delete("portal:public_cache_version")
    yield REDIS_URI
    client.delete("portal:public_cache_version")


@pytest.mark.parametrize("store", ["database", "redis"])
def test_a_write_through_one_process_shows_on_the_others_pages_within_the_bound(
        app, events, staleness_clock, store, request):
    if store == "redis":
        uri = request.getfixturevalue("redis_versions")
        first, second = another_app(app, CACHE_VERSIONS_URI=uri), another_app(app, CACHE_VERSIONS_URI=uri)
    else:
        first, second = app, another_app(app)
    bound = second.config["PUBLIC_CACHE_MAX_STALENESS"]
    assert 0 < bound <= 2
    reader = second.test_client()
    assert received(page(reader)) == 0

    response = post_registration(first.test_client(), SLUG, valid_registration(first, SLUG))
    assert response.status_code == 303

    # The writing process shows it at once; the other may serve its copy for the bound, not longer.
    assert received(page(first.test_client())) == 1
    staleness_clock.now += bound / 2
    assert received(page(reader)) in (0, 1)
    staleness_clock.now += bound / 2 + 0.01
    assert received(page(reader)) == 1
    assert re.search(r"inscriptions reçues\W+1\b", page(reader, "/"))
    with second.app_context():
        db.engine.dispose()
    if store == "redis":
        with first.app_context():
            db.engine.dispose()


SERVER = """
import json, sys, werkzeug.serving
from portal import create_app
server = werkzeug.serving.make_server("127.0.0.1", 0, create_app(json.loads(sys.argv[1])), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def test_a_registration_shows_on_the_page_of_another_process_after_the_bound(app, events):
    """Two processes on one database, as two app servers: the other process's copy goes after
    its bound (half a second here, so that the test waits little)."""
    keys = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "RATELIMIT_ENABLED",
            "OUTBOX_DELIVER_IN_APP", "PORTAL_BASE_URL", "INSTANCE_PATH")
    settings = {**{key: app.config[key] for key in keys}, "PUBLIC_CACHE_MAX_STALENESS": 0.5}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    process = subprocess.Popen([sys.executable, "-c", SERVER, json.dumps(settings)], cwd=root, stdout=subprocess.PIPE)
    try:
        other = f"http://127.0.0.1:{int(process.stdout.readline())}"
        assert received(requests.get(f"{other}/events/{SLUG}", timeout=10).text) == 0
        response = post_registration(app.test_client(), SLUG, valid_registration(app, SLUG))
        assert response.status_code == 303
        time.sleep(0.6)
        assert received(requests.get(f"{other}/events/{SLUG}", timeout=10).text) == 1
    finally:
        process.terminate()
        process.wait(10)


def test_any_write_is_seen_even_a_bulk_one_made_without_the_orm(app, events, staleness_clock):
    """The cache hears about writes from the database connection, not from each operation: a table
    changed by a plain SQL statement (as a future screen might) empties it too."""
    client = app.test_client()
    assert can_register(page(client)) and "Pas encore ouvertes" not in page(client, "/")
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(Event.__table__.update().where(Event.__table__.c.slug == SLUG)
                           .values(registration_opens_at=dt.datetime(2099, 1, 1)))
    other = another_app(app).test_client()
    staleness_clock.now += 2.01
    assert not can_register(page(client)) and "Pas encore ouvertes" in page(client, "/")
    assert not can_register(page(other)) and "Pas encore ouvertes" in page(other, "/")


def test_registrations_open_on_the_cached_page_at_their_minute(app, events, clock):
    """Time changes a page without any write: the copy is not served past the next such moment."""
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        event.registration_opens_at = clock.now + dt.timedelta(minutes=10)
        db.session.commit()
    client = app.test_client()
    assert not can_register(page(client)) and "Pas encore ouvertes" in page(client, "/")
    clock.advance(minutes=10)
    assert can_register(page(client)) and "Pas encore ouvertes" not in page(client, "/")


def test_each_visitor_gets_a_token_of_their_own_session_from_the_shared_copy(app, events):
    form = f"/events/{SLUG}/register"
    visitors = [app.test_client() for _ in range(3)]
    for compressed in (False, True):  # the plain copy, and the compressed one the token is spliced into
        headers = {"Accept-Encoding": "gzip"} if compressed else {}
        answers = [visitor.get(form, headers=headers) for visitor in visitors]  # one renders, the others copy
        assert all(bool(answer.headers.get("Content-Encoding")) is compressed for answer in answers)
        pages = [(gzip.decompress(answer.data) if compressed else answer.data).decode() for answer in answers]
        tokens = [csrf_token(html) for html in pages]
        assert len(set(tokens)) == 3 and not any("csrf-placeholder" in html for html in pages)
        assert len({html.replace(token, "") for html, token in zip(pages, tokens)}) == 1
    # Each token works for its visitor's own POST (as htmx sends it, a header), not for another's.
    data = valid_registration(app, SLUG, email="visitor@example.org")
    data.pop("csrf_token", None)
    assert visitors[0].post(form, data=data, headers={"X-CSRFToken": tokens[1]}).status_code == 400
    assert visitors[0].post(form, data=data, headers={"X-CSRFToken": tokens[0]}).status_code == 303


def test_a_page_without_a_form_starts_no_session_and_carries_no_token(app, events):
    visitor = app.test_client()
    for path in ("/", f"/events/{SLUG}", "/privacy", "/accessibility"):
        response = visitor.get(path)
        assert response.status_code == 200 and not response.headers.getlist("Set-Cookie")
        assert "csrf" not in response.get_data(as_text=True).lower()
    assert visitor.get_cookie("session") is None


@pytest.fixture
def handled(app):
    """The paths of the requests Flask itself handled (not answered by the front)."""
    paths = []

    def note(_sender, **_extra):
        paths.append(request.path)
    request_started.connect(note, app)
    yield paths
    request_started.disconnect(note, app)


def test_the_front_serves_a_copy_as_flask_served_it_without_running_flask(app, events, handled):
    """An anonymous visitor's repeat of a page is answered before Flask (no hook runs), with the
    headers Flask's hooks gave it: security headers, Vary, the encoding."""
    first, second = app.test_client(), app.test_client()
    for headers in ({}, {"Accept-Encoding": "gzip"}, {"Accept-Language": "ar"}):
        through_flask = first.get("/privacy", headers=headers)
        count = len(handled)
        front = second.get("/privacy", headers=headers)
        assert len(handled) == count, "the second visitor's copy should not go through Flask"
        assert front.data == through_flask.data
        assert sorted(front.headers.items()) == sorted(through_flask.headers.items())
        assert front.headers["Content-Security-Policy"] and front.headers["X-Frame-Options"] == "DENY"
    # HEAD: the same headers, no body.
    get = second.get("/privacy", headers={"Accept-Encoding": "gzip"})
    head = second.head("/privacy", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.data == b"" and head.headers["Content-Encoding"] == "gzip"
    assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(get.data))


def test_the_front_lets_through_anyone_flask_must_see(app, events, auth, handled):
    """Signed in, a message waiting, a cookie of another kind, a forged session, an htmx request:
    Flask answers (the other tests check what it shows them)."""
    app.test_client().get("/privacy")  # the copy exists, with its headers
    visitor_with_a_form_open = app.test_client()
    visitor_with_a_form_open.get(f"/events/{SLUG}/register")  # a session with a CSRF token only
    count = len(handled)
    assert "Confidentialité" in page(visitor_with_a_form_open, "/privacy")
    assert len(handled) == count, "a session holding only a CSRF token is an anonymous visitor's"

    coordinator = auth.sign_in("coordinator", events[SLUG], client=app.test_client())
    other_cookie = app.test_client()
    other_cookie.set_cookie("remember_token", "x")
    forged = app.test_client()
    forged.set_cookie("session", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    cases = [(coordinator, {}), (other_cookie, {}), (forged, {}),
             (app.test_client(), {"HX-Request": "true"})]
    for client, headers in cases:
        count = len(handled)
        response = client.get("/privacy", headers=headers)
        assert response.status_code == 200 and len(handled) == count + 1
    assert "Se déconnecter" in page(coordinator, "/privacy")


def test_a_signed_in_coordinator_never_gets_the_anonymous_copy(app, events, auth):
    anonymous = app.test_client()
    for path in ("/", f"/events/{SLUG}", "/privacy"):
        assert "Se déconnecter" not in page(anonymous, path)
    coordinator = auth.sign_in("coordinator", events[SLUG], client=app.test_client())
    for path in ("/", f"/events/{SLUG}", "/privacy"):
        assert "Se déconnecter" in page(coordinator, path)
    # Nor does the anonymous visitor get the coordinator's page afterwards.
    assert "Se déconnecter" not in page(anonymous, "/")


def test_a_flashed_message_is_shown_once_and_to_its_visitor_only(app, events, auth):
    other = app.test_client()
    page(other, "/")  # the anonymous copy exists
    coordinator = auth.sign_in("coordinator", events[SLUG], client=app.test_client())
    html = page(coordinator, "/account/password")
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)
    response = coordinator.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert "Vous êtes déconnecté(e)." in page(coordinator, "/")
    assert "Vous êtes déconnecté(e)." not in page(coordinator, "/")
    assert "Vous êtes déconnecté(e)." not in page(other, "/")


def test_french_and_arabic_copies_are_never_mixed(app, events):
    arabic_by_browser = app.test_client()
    french = app.test_client()
    arabic_by_cookie = app.test_client()
    arabic_by_cookie.set_cookie("portal_lang", "ar")
    for path in ("/", f"/events/{SLUG}", "/privacy", "/accessibility"):
        first = page(arabic_by_browser, path, **{"Accept-Language": "ar"})
        assert '<html lang="ar" dir="rtl">' in first
        assert '<html lang="fr" dir="ltr">' in page(french, path, **{"Accept-Language": "fr"})
        assert '<html lang="fr" dir="ltr">' in page(french, path)
        assert {"Accept-Language", "Cookie"} <= set(french.get(path).headers["Vary"].split(", "))
        assert '<html lang="ar" dir="rtl">' in page(arabic_by_cookie, path, **{"Accept-Language": "fr"})
        again = page(arabic_by_browser, path, **{"Accept-Language": "ar"})
        assert re.sub(TOKEN, "", again) == re.sub(TOKEN, "", first)
    # The language switch links point back to the page asked for, query string included.
    assert "next=/privacy?x%3D1" in page(french, "/privacy?x=1") or "next=%2Fprivacy%3Fx%3D1" in page(
        french, "/privacy?x=1")


def test_pages_are_compressed_for_clients_that_accept_it(app, events):
    client = app.test_client()
    plain = client.get("/")
    assert plain.headers.get("Content-Encoding") is None and "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"] and "Cookie" in packed.headers["Vary"]
    assert packed.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]
    html = gzip.decompress(packed.data).decode()
    assert "Événements de co-création" in html and int(packed.headers["Content-Length"]) == len(packed.data)
    refused = client.get("/", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert refused.headers.get("Content-Encoding") is None
    # A tiny answer is not worth it.
    tiny = client.get("/language/ar?next=/", headers={"Accept-Encoding": "gzip"})
    assert tiny.headers.get("Content-Encoding") is None


def test_public_pages_weigh_under_30_kb_compressed_with_their_css_and_scripts(app, events):
    client = app.test_client()
    for path in ("/", f"/events/{SLUG}", "/privacy", "/accessibility"):
        for language in ("fr", "ar"):
            client.set_cookie("portal_lang", language)
            response = client.get(path, headers={"Accept-Encoding": "gzip"})
            total = len(response.data)
            html = gzip.decompress(response.data).decode()
            for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
                total += len(client.get(asset, headers={"Accept-Encoding": "gzip"}).data)
            assert total < 30_000, (path, language, total)


def test_static_files_have_fingerprinted_addresses_cached_for_a_year(app, events):
    client = app.test_client()
    html = page(client, "/")
    assets = re.findall(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]{12})"', html)
    assert {path for path, _ in assets} >= {"/static/css/portal.css", "/static/js/portal.js"}
    for path, digest in assets:
        response = client.get(f"{path}?v={digest}", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        unversioned = client.get(path)
        assert "immutable" not in unversioned.headers.get("Cache-Control", "")
        assert gzip.decompress(response.data) == unversioned.data
        # An old fingerprint does not pin the file for a year.
        assert "immutable" not in client.get(f"{path}?v=000000000000").headers.get("Cache-Control", "")


def test_a_compressed_copy_with_its_blanks_filled_is_the_page_with_that_token():
    """transfer.Precompressed: the token spliced into the compressed bytes decompresses (checksum and
    length checked by gzip) to the page with the token written in, wherever the blanks fall."""
    blank = b"BLANK"
    page = "<p>é ي</p>".encode() * 400
    for pieces in ([page, page, page], [b"", page, b""], [page], [bytes(range(256)) * 40, b"x"]):
        copy = Precompressed(blank.join(pieces), blank)
        for fill in (b"", b"a-token.with.dots", b"t" * 300):
            assert gzip.decompress(copy.gzip(fill)) == fill.join(pieces)
    assert len(Precompressed(page * 10).gzip()) < len(page)  # compressed, and a page without blanks works too
