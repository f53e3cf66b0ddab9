"""Static pages and the language switcher."""
import datetime as dt
from collections.abc import Callable

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request
from jinja2 import TemplateNotFound

from ..i18n import LANGUAGE_COOKIE, current_language
from ..public_cache import public_page
from ..urls import local_path

bp = Blueprint("pages", __name__)

_CO_ORGANIZERS = "pages.co_organizers"
# The associations that co-organise published events, each with name, name_ar and acronym.
CoOrganizers = Callable[[], list]


def name_co_organizers_with(app: Flask, provider: CoOrganizers) -> None:
    """The privacy notice names the co-organising associations, which are events' data: events sits
    above this floor, so it plugs its query in here from its own init_app()."""
    app.extensions[_CO_ORGANIZERS] = provider


def notice_date(version: str) -> dt.date | None:
    """A version written as a date (2026-12 or 2026-12-01) is also the notice's date."""
    for pattern in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(version.strip(), pattern).date()
        except ValueError:
            continue
    return None


@bp.get("/privacy")
@public_page
def privacy():
    """What we collect, why, who sees it, how long, and the person's rights: each figure and
    address comes from the settings, so the notice says what the code does."""
    config = current_app.config
    provider = current_app.extensions.get(_CO_ORGANIZERS)
    version = str(config["PRIVACY_NOTICE_VERSION"])
    return _written_page(
        "privacy",
        notice_version=version, notice_date=notice_date(version),
        privacy_contact=config["PRIVACY_CONTACT"], cndp_reference=(config["CNDP_REFERENCE"] or "").strip(),
        retention_months=int(config["RETENTION_MONTHS"]), mail_retention_days=int(config["MAIL_RETENTION_DAYS"]),
        token_retention_days=int(config["TOKEN_RETENTION_DAYS"]),
        log_retention_months=int(config["LOG_RETENTION_MONTHS"]),
        co_organizers=provider() if provider else [])


@bp.get("/accessibility")
@public_page
def accessibility():
    """The accessibility statement (WCAG 2.2 AA target, known limits, contact)."""
    return _written_page("accessibility")


def _written_page(name: str, **context) -> str:
    """A page written as a whole in each language (pages/<name>_<code>.html) rather than through the
    catalogue; a language without its own version gets the French one, marked as French."""
    language = current_language()
    try:
        template = current_app.jinja_env.get_template(f"pages/{name}_{language}.html")
    except TemplateNotFound:
        return render_template(f"pages/{name}_fr.html", page_lang="fr", **context)
    return render_template(template, **context)


@bp.get("/language/<code>")
def set_language(code):
    """Remember the chosen language and go back to the page the person was on."""
    if code not in current_app.config["PORTAL_LANGUAGES"]:
        abort(404)
    response = redirect(local_path(request.args.get("next")), 303)
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response
