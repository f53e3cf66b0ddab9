"""Site-wide behaviour: languages, security headers, htmx pinning, static pages."""
import base64
import hashlib
import re

from tests.support.browser import HTMX_FILE


def test_language_switch_sets_cookie_and_returns_to_the_page(client, events):
    response = client.get("/language/ar?next=/events/oriental")
    assert response.status_code == 303 and response.headers["Location"] == "/events/oriental"
    html = client.get("/events/oriental").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "لقاء الإعداد المشترك الثاني" in html
    assert 'hreflang="fr"' in html and 'hx-boost="false"' in html  # back to French, full page load


def test_language_switch_never_redirects_off_site(client):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = client.get("/language/fr", query_string={"next": target})
        assert response.headers["Location"] == "/", target
    assert client.get("/language/en").status_code == 404


def test_accept_language_chooses_arabic_without_cookie(client):
    html = client.get("/", headers={"Accept-Language": "ar-MA,ar;q=0.9"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    html = client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html


def test_strict_security_headers_and_no_inline_script(client, events):
    response = client.get("/events/oriental/register")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self' https://cdn.jsdelivr.net" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script found"
    assert " style=" not in html and "<style" not in html


def test_htmx_is_pinned_with_the_hash_of_the_npm_release(app, client):
    html = client.get("/").get_data(as_text=True)
    tag = re.search(r'<script src="([^"]+htmx[^"]+)" integrity="([^"]+)" crossorigin="anonymous"', html)
    assert tag and re.search(r"htmx\.org@2\.\d+\.\d+/", tag.group(1))
    with open(HTMX_FILE, "rb") as handle:
        digest = "sha384-" + base64.b64encode(hashlib.sha384(handle.read()).digest()).decode()
    assert tag.group(2) == digest
    assert '"responseHandling"' in html and '4(0[39]|22|29)' in html  # htmx swaps 422 answers


def test_session_cookie_is_httponly_and_samesite(app, client, events):
    response = client.get("/events/oriental/register")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_privacy_and_accessibility_pages_in_both_languages(client):
    assert "Vos droits" in client.get("/privacy").get_data(as_text=True)
    assert "WCAG 2.2" in client.get("/accessibility").get_data(as_text=True)
    client.set_cookie("portal_lang", "ar")
    assert "حقوقكم" in client.get("/privacy").get_data(as_text=True)
    assert "تصريح الولوجيات" in client.get("/accessibility").get_data(as_text=True)


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/nowhere")
    assert response.status_code == 404 and "Page introuvable" in response.get_data(as_text=True)


def test_session_cookie_is_secure_over_https(client, events):
    response = client.get("/events/oriental/register", base_url="https://portal.example.org")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = client.get("/events/oriental/register")
    [cookie] = [c for c in plain.headers.getlist("Set-Cookie") if c.startswith("session=")] or [""]
    assert "Secure" not in cookie and "Strict-Transport-Security" not in plain.headers
