"""A person's data across events, for the ministry (admins): find them by email, give them a copy
of everything, or erase it all, when they ask by mail or by phone rather than with their links."""
import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.permissions import admin_required
from ..clock import utcnow
from ..database import writing
from ..forms import ConfirmForm
from ..params import parse_text
from ..security import keep_private
from ..security_log import security_event
from .erasure import erase, registrations_of_person
from .operations import personal_data

bp = Blueprint("people", __name__, url_prefix="/people")
bp.after_request(keep_private)


def _email() -> str:
    return parse_text(request.values.get("email"), 254)


def _phone() -> str:
    """People registered without an email (by a coordinator) are found by their phone instead."""
    return "" if _email() else parse_text(request.values.get("phone"), 30)


def _found() -> list:
    email, phone = _email(), _phone()
    return registrations_of_person(email, phone) if email or phone else []


@bp.get("/")
@admin_required
def find():
    """Search by email: every registration made with it, in every event."""
    return render_template("registration/people.html", email=_email(), phone=_phone(), found=_found(),
                           form=ConfirmForm())


@bp.get("/data.json")
@admin_required
def download():
    """Everything kept about the person, every event, as one file (logged)."""
    found = _found()
    security_event("personal_data_copy", by=current_user.id, registrations=len(found))
    body = json.dumps([personal_data(registration) for registration in found], ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="donnees-personnelles.json"'})


@bp.post("/erase")
@admin_required
@writing()
def erase_all():
    """Erase every registration of the person (seats pass on; mail about them is forgotten)."""
    # (CSRF is checked for every POST by the site-wide CSRFProtect.)
    found = _found()
    now = utcnow()
    for registration in found:
        erase(registration, now)
    security_event("erasure", by=current_user.id, registrations=len(found))
    flash(ngettext("%(num)d inscription effacée.", "%(num)d inscriptions effacées.", len(found)), "success")
    return redirect(url_for("people.find"), 303)
