"""The floor of the registration POST: what any registration handler built on the product's fixed
packages does before the portal's own work begins, served by the same gunicorn set-up as the
portal and the bare app (`benchmarks/http_load.py`).

It does what the bare route does, plus:
- Flask-WTF's CSRF check against the signed session cookie;
- the portal's own registration form (`RegistrationForm`: its fields, filters and rules) validated
  in the request's language (Flask-Babel);
- the session written for the "check your mail" page, and the 303.
It does not read the event, write to the database or render the acknowledgement. `make bench`
measures it beside the bare POST route: the portal's registration POST cannot be faster than
this floor, so the ratio the floor reaches bounds the ratio the portal can reach.

    FLOOR_WORKSHOPS=<ids the form offers> gunicorn -w 2 -k gthread --threads 4 benchmarks.floor_app:app
"""
import os
import secrets

from flask import Flask, redirect, request, session
from flask_babel import Babel
from flask_wtf import CSRFProtect, FlaskForm
from flask_wtf.csrf import generate_csrf

from portal.config import DEFAULTS
from portal.forms import choices
from portal.geo.reference import province_rows
from portal.registration.forms import RegistrationForm

app = Flask(__name__)
# One key for both gunicorn workers (the bench sets it): a session signed by one is read by the other.
app.config.update(SECRET_KEY=os.environ.get("FLOOR_SECRET_KEY") or secrets.token_urlsafe(32), WTF_CSRF_TIME_LIMIT=None,
                  **{key: DEFAULTS[key] for key in ("BABEL_DEFAULT_LOCALE", "PORTAL_LANGUAGES")})
CSRFProtect(app)
Babel(app, locale_selector=lambda: request.accept_languages.best_match(["fr", "ar"]) or "fr")

PROVINCES = choices((row["code"], row["name_fr"]) for row in province_rows())
WORKSHOPS = choices((value, value) for value in os.environ.get("FLOOR_WORKSHOPS", "1").split(","))


class FloorForm(RegistrationForm):
    """The portal's form with its event-dependent choices fixed: no event to read."""

    def __init__(self):
        FlaskForm.__init__(self)  # not RegistrationForm's: it reads the event and the provinces in memory
        self.event = None
        self.province.choices = PROVINCES
        self.workshop.choices = WORKSHOPS
        self.full_workshops = set()
        self.valid_provinces = {choice.value for choice in PROVINCES}


@app.get("/register")
def token():
    """A CSRF token in the session (the bench's POSTs carry the session cookie and the token)."""
    return generate_csrf()


@app.post("/register")
def register():
    form = FloorForm()
    if not form.validate():
        return {"errors": {name: [str(error) for error in errors] for name, errors in form.errors.items()}}, 422
    session["registration_done"] = {"event": 1, "to": f"{form.email.data[0]}•••@exemple.ma"}
    return redirect("/register", 303)
