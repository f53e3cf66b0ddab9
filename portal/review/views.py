"""The back office: dashboard, participant list with filters, decisions, participant page."""
import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.models import User
from ..accounts.permissions import DECIDE, SEE_HEALTH_DATA, VIEW, event_permission, may, visible_events_query
from ..database import begin_write
from ..events.models import Event
from ..events.queries import utcnow
from ..extensions import db
from ..htmx import is_htmx
from ..outbox.worker import wake_worker
from ..registration.models import Registration, StatusChange
from ..security import keep_private
from .forms import DecisionForm, NoteForm, ReservationForm
from .labels import LABELS, filter_groups, province_options
from .models import InternalNote, SeatReservation
from .operations import DECISIONS, add_note, decide, set_reservation
from .queries import ListFilters, list_page
from .stats import event_figures

bp = Blueprint("review", __name__, url_prefix="/review")


bp.after_request(keep_private)  # back-office pages hold personal data


@bp.get("/")
@login_required
def dashboard():
    """Each event the user may see, with its figures."""
    events = db.session.scalars(visible_events_query(current_user).order_by(Event.starts_on, Event.id)).all()
    return render_template("review/dashboard.html", events=events, figures={e.id: event_figures(e) for e in events},
                           can_see_health=may(current_user, SEE_HEALTH_DATA))


@bp.get("/events/<int:event_id>/participants")
@event_permission(VIEW)
def participants(event):
    """The filtered, sorted, paginated list; htmx asks for the rows only (active search)."""
    filters = ListFilters.from_args(request.args, event)
    context = _list_context(event, filters)
    template = "review/_results.html" if is_htmx() and request.headers.get("HX-Target") == "results" \
        else "review/participants.html"
    return render_template(template, **context)


def _list_context(event, filters, **extra):
    return {"event": event, "filters": filters, "page": list_page(event.id, filters),
            "figures": event_figures(event),
            "can_decide": may(current_user, DECIDE), "can_see_health": may(current_user, SEE_HEALTH_DATA),
            "decision_form": DecisionForm(), "labels": LABELS,
            "filter_groups": filter_groups(event, may(current_user, SEE_HEALTH_DATA)),
            "provinces": province_options(), **extra}


def _return_to_list(event, query_string: str):
    url = url_for("review.participants", event_id=event.id)
    return redirect(f"{url}?{query_string}" if query_string else url, 303)


@bp.post("/events/<int:event_id>/decisions")
@event_permission(DECIDE)
def bulk_decision(event):
    """A decision on the rows ticked in the list (name="registration")."""
    ids = [int(value) for value in request.form.getlist("registration") if value.isdigit()]
    if not ids:
        return _decision_answer(event, [], message=_("Cochez au moins une ligne."), error=True)
    return _apply(event, ids)


@bp.post("/events/<int:event_id>/participants/<int:registration_id>/decision")
@event_permission(DECIDE)
def row_decision(event, registration_id):
    """A decision on one row (its own buttons)."""
    return _apply(event, [registration_id], single=True)


def _apply(event, ids, single=False):
    form = DecisionForm()
    if not form.validate() or form.decision.data not in DECISIONS:
        abort(400)
    begin_write()
    outcomes = decide(event.id, ids, form.decision.data, current_user.id, form.reason.data, utcnow())
    if single and not outcomes:
        abort(404)  # not a registration of this event
    db.session.commit()
    wake_worker()  # a decision may have offered seats to the waiting list
    changed = [o for o in outcomes if o.changed]
    refused = [o for o in outcomes if not o.changed]
    if len(outcomes) == 1:
        message = outcomes[0].message
    else:
        message = _("%(changed)d ligne(s) modifiée(s), %(refused)d refusée(s).", changed=len(changed), refused=len(refused))
        if refused:
            message += " " + " ".join(o.message for o in refused[:5])
    return _decision_answer(event, outcomes, message=message, error=bool(refused) and not changed,
                            single=single)


def _decision_answer(event, outcomes, message, error=False, single=False):
    """htmx: the changed rows, the counters and the announcement, swapped in place.
    Without JavaScript: back to the same filtered list, with the message."""
    query_string = request.form.get("return_query", "")
    if is_htmx():
        filters = ListFilters.from_args(_args_of(query_string), event)
        context = _list_context(event, filters, message=message, message_is_error=error)
        if single and outcomes:
            return render_template("review/_row_answer.html", row=outcomes[0].registration, **context)
        return render_template("review/_results_answer.html", **context)
    flash(message, "error" if error else "success")
    return _return_to_list(event, query_string)


def _args_of(query_string: str):
    from urllib.parse import parse_qsl

    from werkzeug.datastructures import MultiDict
    return MultiDict(parse_qsl(query_string[:4000], keep_blank_values=False))


@bp.get("/events/<int:event_id>/participants/<int:registration_id>")
@event_permission(VIEW)
def participant(event, registration_id):
    """All the person entered, the status history and the internal notes."""
    registration = _registration_of(event, registration_id)
    return _participant_page(event, registration, NoteForm())


def _participant_page(event, registration, note_form, status=200):
    history = db.session.execute(
        select(StatusChange, User).outerjoin(User, User.id == StatusChange.actor_id)
        .where(StatusChange.registration_id == registration.id).order_by(StatusChange.id)).all()
    notes = db.session.execute(
        select(InternalNote, User).outerjoin(User, User.id == InternalNote.author_id)
        .where(InternalNote.registration_id == registration.id).order_by(InternalNote.id)).all()
    return render_template("review/participant.html", event=event, registration=registration, history=history,
                           notes=notes, note_form=note_form, can_decide=may(current_user, DECIDE), labels=LABELS,
                           can_see_health=may(current_user, SEE_HEALTH_DATA), decision_form=DecisionForm()), status


def _registration_of(event, registration_id) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


@bp.post("/events/<int:event_id>/participants/<int:registration_id>/notes")
@event_permission(DECIDE)
def add_internal_note(event, registration_id):
    form = NoteForm()
    begin_write()
    registration = _registration_of(event, registration_id)
    if not form.validate():
        return _participant_page(event, registration, form, status=422)
    add_note(registration, current_user.id, form.body.data, utcnow())
    db.session.commit()
    flash(_("Note ajoutée."), "success")
    return redirect(url_for("review.participant", event_id=event.id, registration_id=registration.id), 303)


@bp.route("/events/<int:event_id>/reservations", methods=["GET", "POST"])
@event_permission(DECIDE)
def reservations(event):
    """Seats kept for a group until a date (approvals of others leave them free until then)."""
    form = ReservationForm()
    if form.validate_on_submit():
        begin_write()
        until_day = form.until.data or event.starts_on
        until = dt.datetime.combine(until_day + dt.timedelta(days=1), dt.time())  # end of that day
        set_reservation(db.session.get(Event, event.id), form.group.data, form.seats.data, until)
        db.session.commit()
        flash(_("Réservation enregistrée."), "success")
        return redirect(url_for("review.reservations", event_id=event.id), 303)
    current = db.session.scalars(select(SeatReservation).where(SeatReservation.event_id == event.id)
                                 .order_by(SeatReservation.group)).all()
    return render_template("review/reservations.html", event=event, form=form, reservations=current, now=utcnow(),
                           group_labels={choice.value: choice.label for choice in form.group.choices}), \
        422 if form.errors else 200
