"""What every page of the site shares, whatever the package: headers, error pages, template helpers.

Packages add their own template globals in their init_app() (geo adds all_regions, for one).
"""
from flask import Flask, abort, current_app, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError

from .forms import grouped
from .htmx import htmx_response_hook
from .i18n import (
    FILTERS,
    FORMATTERS,
    LANGUAGES,
    current_language,
    default_language,
    language_name,
    localized,
    text_direction,
)
from .params import IdConverter
from .security import add_security_headers
from .security_log import security_event

ERROR_PAGES = {
    400: "errors/400.html", CSRFError: "errors/csrf.html", 403: "errors/403.html", 404: "errors/404.html",
    405: "errors/405.html", 409: "errors/409.html", 413: "errors/413.html", RateLimitExceeded: "errors/429.html",
    500: "errors/500.html",
}
ERROR_STATUS = {CSRFError: 400, RateLimitExceeded: 429}


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter  # before any blueprint adds its routes
    app.url_value_preprocessor(_refuse_nul_in_url)
    app.after_request(htmx_response_hook)
    app.after_request(add_security_headers)

    # Globals, so that imported macros see them too.
    # `objects | map("localized", "name") | join_list`: each one's name in the page's language.
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.globals.update(
        localized=localized, grouped_choices=grouped, action_plan=action_plan, text_direction=text_direction,
        language_name=language_name, offered_languages=LANGUAGES, default_language=default_language, **FORMATTERS)
    # Flask-Babel's filters format with the catalogue's locale ("ar": سبتمبر); ours with the
    # formats locale (PORTAL_FORMAT_LOCALES: "ar_MA", شتنبر). Those we do not offer are removed.
    for name in ("currencyformat", "scientificformat"):
        app.jinja_env.filters.pop(name, None)
    app.jinja_env.filters.update(FILTERS)

    @app.context_processor
    def _page_context():
        language = current_language()
        return {
            "lang": language,
            "dir": text_direction(language),
            "other_languages": {code: name for code, name in LANGUAGES.items() if code != language},
            "htmx_url": app.config["HTMX_URL"],
            "htmx_integrity": app.config["HTMX_INTEGRITY"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    for error, template in ERROR_PAGES.items():
        app.register_error_handler(error, _error_page(ERROR_STATUS.get(error, error), template))


def action_plan(language: str | None = None) -> str:
    """The national action plan the portal serves (settings ACTION_PLAN_FR, ACTION_PLAN_AR), named in
    `language` (the current one by default; French for a language without its own setting)."""
    language = language or current_language()
    config = current_app.config
    return config.get(f"ACTION_PLAN_{language.upper()}") or config["ACTION_PLAN_FR"]


def _error_page(status, template):
    def handler(error):
        if status in (403, 429) or template == "errors/csrf.html":
            security_event({403: "forbidden", 429: "rate_limited"}.get(status, "csrf_refused"),
                           user=_user_id())
        return render_template(template, error=error), status
    return handler


def _user_id():
    from flask_login import current_user
    return getattr(current_user, "id", None)


def _refuse_nul_in_url(endpoint, values):
    """No page has a NUL byte in its address (/events/x%00). Views look such values up in the
    database, and PostgreSQL refuses NUL in a text parameter with an error: a 500, not a 404."""
    if values and any(isinstance(value, str) and "\x00" in value for value in values.values()):
        abort(404)
