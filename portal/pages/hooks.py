"""Request hooks, template helpers and error pages shared by every blueprint."""
from flask import abort, render_template, request
from flask_babel import format_date, format_datetime, format_time
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError

from ..forms import grouped
from ..geo.queries import all_regions
from ..htmx import htmx_response_hook
from ..i18n import LANGUAGE_NAMES, current_language, localized, text_direction
from ..security import add_security_headers


def register_hooks(app):
    app.url_value_preprocessor(_refuse_nul_in_url)
    app.after_request(htmx_response_hook)
    app.after_request(add_security_headers)

    # Globals, so that imported macros see them too.
    app.jinja_env.globals.update(
        localized=localized, all_regions=all_regions, grouped_choices=grouped,
        format_date=format_date, format_time=format_time, format_datetime=format_datetime,
    )

    @app.context_processor
    def _page_context():
        language = current_language()
        return {
            "lang": language,
            "dir": text_direction(language),
            "other_languages": {code: name for code, name in LANGUAGE_NAMES.items() if code != language},
            "htmx_url": app.config["HTMX_URL"],
            "htmx_integrity": app.config["HTMX_INTEGRITY"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    def error_page(status, template):
        def handler(error):
            return render_template(template, error=error), status
        return handler

    app.register_error_handler(400, error_page(400, "errors/400.html"))
    app.register_error_handler(CSRFError, error_page(400, "errors/csrf.html"))
    app.register_error_handler(403, error_page(403, "errors/403.html"))
    app.register_error_handler(404, error_page(404, "errors/404.html"))
    app.register_error_handler(405, error_page(405, "errors/405.html"))
    app.register_error_handler(409, error_page(409, "errors/409.html"))
    app.register_error_handler(413, error_page(413, "errors/413.html"))
    app.register_error_handler(RateLimitExceeded, error_page(429, "errors/429.html"))
    app.register_error_handler(500, error_page(500, "errors/500.html"))


def _refuse_nul_in_url(endpoint, values):
    """No page has a NUL byte in its address (/events/x%00). Views look such values up in the
    database, and PostgreSQL refuses NUL in a text parameter with an error: a 500, not a 404."""
    if values and any(isinstance(value, str) and "\x00" in value for value in values.values()):
        abort(404)
