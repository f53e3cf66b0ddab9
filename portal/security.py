"""HTTP security headers for every response, and cookies that are Secure over HTTPS."""
from flask import current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

# Features no page of the portal uses: a script that got in still cannot reach them.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking", "browsing-topics"))


def content_security_policy() -> str:
    # The exact htmx file, not its CDN host: another file of the same CDN cannot run here.
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {current_app.config['HTMX_URL']}",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


_BASE_HEADERS: dict[str, tuple] = {}  # by the htmx URL the policy names: the headers, built once


def _base_headers(htmx_url: str) -> tuple:
    headers = _BASE_HEADERS.get(htmx_url)
    if headers is None:
        headers = _BASE_HEADERS[htmx_url] = (
            ("Content-Security-Policy", content_security_policy()),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
            ("Permissions-Policy", PERMISSIONS_POLICY),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        )
    return headers


def add_security_headers(response):
    """Every response gets these, unless its view set its own (keep_private's Referrer-Policy)."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}  # noqa: SIM118 (iterating Headers gives pairs)
    for name, value in _base_headers(current_app.config["HTMX_URL"]):
        if name.lower() not in present:
            headers.add(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def keep_private(response):
    """For pages with personal data or reached by a secret link: never stored by a cache, never
    indexed, and the address never sent on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the page came over HTTPS (behind a proxy too, with
    PROXY_FIX_X_FOR), even if SESSION_COOKIE_SECURE was left off."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (has_request_context() and request.is_secure))
