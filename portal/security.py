"""HTTP security headers for every response, and cookies that are Secure over HTTPS."""
from flask import current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface


def content_security_policy() -> str:
    htmx_origin = "/".join(current_app.config["HTMX_URL"].split("/", 3)[:3])
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {htmx_origin}",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
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
