"""Static pages and the language switcher."""
from flask import Blueprint, abort, current_app, redirect, render_template, request

from ..i18n import LANGUAGE_COOKIE, current_language
from ..urls import local_path

bp = Blueprint("pages", __name__)


@bp.get("/privacy")
def privacy():
    """What we collect, why, who sees it, how long, and the person's rights."""
    return render_template(f"pages/privacy_{current_language()}.html")


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (WCAG 2.2 AA target, known limits, contact)."""
    return render_template(f"pages/accessibility_{current_language()}.html")


@bp.get("/language/<code>")
def set_language(code):
    """Remember the chosen language and go back to the page the person was on."""
    if code not in current_app.config["PORTAL_LANGUAGES"]:
        abort(404)
    response = redirect(local_path(request.args.get("next")), 303)
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response
