"""The registration form: GET shows it, POST registers (303 to the confirmation) or explains why not."""
import datetime as dt

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, session, url_for

from ..clock import utcnow
from ..database import WriteTogether
from ..events.queries import published_event_or_none
from ..events.support import published_support
from ..extensions import limiter
from ..htmx import is_htmx, render_page_or_partial
from ..i18n import current_language
from ..public_cache import public_page, valid_until
from ..security import keep_private
from .assisted_forms import AssistedRegistrationForm
from .form_page import empty_form
from .forms import RegistrationForm
from .operations import RegistrationClosed, WorkshopFull, prepare, register
from .queries import published_event_for_form
from .seats import full_workshop_ids

bp = Blueprint("registration", __name__)

# The registrations posted at the same moment are written in one transaction (database.WriteTogether).
_register_together = WriteTogether("registration.form", register, refusals=(WorkshopFull, RegistrationClosed))

HONEYPOT_FIELD = "website"


def _registration_limit() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def _open_event_or_refusal(slug: str):
    """(event, its support rules, None) when registration is open, else (event, rules, refusal response)."""
    event, rules = published_event_for_form(slug) or abort(404)
    now = utcnow()
    _changes_with_time(event, now)
    state = event.registration_state(now)
    if state == "open":
        return event, rules, None
    return event, rules, _not_open(event, state)


def _not_open(event, state: str):
    page = render_template("registration/not_open.html", event=event, state=state)
    return page if request.method == "GET" else (page, 403)


def _changes_with_time(event, now) -> None:
    """The form (or the page saying registration is not open) changes, without any write, when
    registration opens or closes and at midnight (an event of yesterday is past)."""
    moments = [dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())]
    moments += [moment for moment in (event.registration_opens_at, event.registration_closes_at)
                if moment is not None and moment > now]
    valid_until(min(moments))


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(_registration_limit, methods=["POST"])
@public_page  # the GET of an anonymous visitor: served from the public pages' cache, their own token put in
def form(slug):
    """The form; a valid POST creates a pending registration and queues its acknowledgement.

    All that needs no lock comes first: reading the event (one query), the answers' checks, the
    page of errors, the new row, its link and its acknowledgement rendered. Only then the write
    transaction (writing(), shared with the registrations posted at the same moment): the event
    still open, the workshop's seat, the duplicate check by the unique index, the inserts. A
    refused POST never opens it (SQLite: never waits for the write lock), and so changes nothing."""
    event, rules, refusal = _open_event_or_refusal(slug)
    if refusal:
        return refusal
    language = current_language()
    full = full_workshop_ids(event)
    if request.method == "GET":
        # An organiser's link (?via=<code>): carried by the form; an unknown code is simply no source.
        return render_template("registration/form.html", event=event, form_html=empty_form(
            event, language, full, published_support(event, rules), via=request.args.get("via", "")[:16]))
    form = RegistrationForm(event, language, full_workshops=full)
    if request.form.get(HONEYPOT_FIELD):
        # A bot filled the field people never see: answer as if all went well, keep nothing.
        return _to_confirmation(event, request.form.get("email", ""))
    if not form.validate():
        return _form_again(event, rules, form)
    now = utcnow()
    prepared = prepare(event, form, now)
    target = (event.id, event.slug)  # read now: the write transaction expires the objects read before it
    try:
        _register_together(prepared, now)
    except WorkshopFull as full:
        # Its last seat went while the form was being filled in: nothing was saved.
        form.workshop.errors.append(str(full))
        return _form_again(event, rules, form)
    except RegistrationClosed as closed:
        return _not_open(event, closed.state)
    # A duplicate gets the same answer as a new registration: the page does not tell that this
    # address is registered; the mail (a reminder with the manage link) does, to its owner only.
    return _to_confirmation(target, form.email.data)


def _form_again(event, rules, form):
    """The form with its answers and what to correct (422)."""
    return render_page_or_partial("registration/form.html", "registration/_form.html", 422,
                                  event=event, form=form, support=published_support(event, rules),
                                  partial=is_htmx())


def _to_confirmation(event, email: str):
    """Post/redirect/get to the "check your mail" page, shown once. htmx would follow a 303
    inside its request; HX-Redirect makes it a real navigation, so the address bar and history
    show the confirmation page. `event`: the Event, or its (id, slug)."""
    event_id, slug = event if isinstance(event, tuple) else (event.id, event.slug)
    session["registration_done"] = {"event": event_id, "to": masked_email(email)}
    target = url_for("registration.done", slug=slug)
    if is_htmx():
        return "", 200, {"HX-Redirect": target}
    return redirect(target, 303)


@bp.post("/events/<slug>/register/check/<field>")
@limiter.limit("120 per minute")
def check_field(slug, field):
    """Inline validation of one field when it loses focus (htmx); returns that field's group."""
    event, _rules = published_event_for_form(slug) or abort(404)
    form = RegistrationForm(event, current_language())
    if field not in form._fields or field in ("csrf_token", "via"):
        abort(404)
    form.validate()
    return render_template("registration/_field_group.html", event=event, form=form, field=form[field])


@bp.get("/events/<slug>/paper-form")
def paper_form(slug):
    """The form on paper (A4), for people without internet: an association enters it for them."""
    event = published_event_or_none(slug) or abort(404)
    language = current_language()
    return render_template("registration/paper_form.html", event=event,
                           form=RegistrationForm(event, language, formdata=None, meta={"csrf": False}),
                           assisted=AssistedRegistrationForm(event, language, formdata=None, meta={"csrf": False}))


@bp.get("/events/<slug>/register/done")
def done(slug):
    """"Check your mail", once, right after the form; afterwards (reload, back button, a shared
    address) only that the confirmation was mailed. Never the reference or the link itself."""
    event = published_event_or_none(slug) or abort(404)
    shown = session.pop("registration_done", None)
    if not isinstance(shown, dict) or shown.get("event") != event.id:
        shown = None
    return keep_private(make_response(render_template("registration/done.html", event=event,
                                                      to=shown["to"] if shown else None)))


def masked_email(email: str) -> str:
    """a•••@example.org: enough for people to recognise their address, not to read it out."""
    local, _, domain = (email or "").strip().rpartition("@")
    if not local:
        return ""
    return f"{local[0]}•••@{domain[:100]}"
