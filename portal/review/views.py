"""The back office: dashboard, participant list with filters, decisions, participant page."""
from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ..accounts.permissions import DECIDE, SEE_HEALTH_DATA, VIEW, event_permission, may, visible_events
from ..clock import utcnow
from ..database import writing
from ..forms import ConfirmForm
from ..geo.queries import province_choices
from ..htmx import is_htmx, render_page_or_partial
from ..i18n import format_decimal
from ..params import parse_id
from ..registration.attendance import attendance_log
from ..registration.groups import GROUP
from ..registration.operations import WorkshopFull, change_workshop
from ..registration.seats import reservations_of
from ..registration.vocabularies import NEEDS_MET, SCORE
from ..registration.waitlist import decline_offer, phone_offer_of, phone_offers, record_acceptance
from ..security import keep_private
from .feedback import results as feedback_results
from .forms import DecisionForm, NoteForm, ReservationForm, WorkshopMoveForm
from .labels import LABELS, filter_groups
from .operations import add_note, decide, keep_seats
from .queries import ListFilters, list_page, notes_of, registration_of, status_history
from .sources import registration_sources
from .stats import attendance_rates, event_figures
from .vocabularies import DECISION

bp = Blueprint("review", __name__, url_prefix="/review")


bp.after_request(keep_private)  # back-office pages hold personal data


@bp.get("/")
@login_required
def dashboard():
    """Each event the user may see, with its figures."""
    events = visible_events(current_user)
    can_see_health = may(current_user, SEE_HEALTH_DATA)
    return render_template("review/dashboard.html", events=events, figures={e.id: event_figures(e) for e in events},
                           feedback={e.id: feedback_results(e.id, can_see_health) for e in events},
                           attendance={e.id: attendance_rates(e.id) for e in events},
                           sources={e.id: registration_sources(e) for e in events},
                           can_see_health=can_see_health, can_decide=may(current_user, DECIDE),
                           scores=SCORE, needs_met=NEEDS_MET,
                           one_decimal=lambda value: format_decimal(value, format="0.0"))


@bp.get("/events/<id:event_id>/participants")
@event_permission(VIEW)
def participants(event):
    """The filtered, sorted, paginated list; htmx asks for the rows only (active search)."""
    filters = ListFilters.from_args(request.args, event, may(current_user, SEE_HEALTH_DATA))
    return render_page_or_partial("review/participants.html", "review/_results.html", target="results",
                                  **_list_context(event, filters))


def _list_context(event, filters, **extra):
    return {"event": event, "filters": filters, "page": list_page(event.id, filters),
            "figures": event_figures(event),
            "can_decide": may(current_user, DECIDE), "can_see_health": may(current_user, SEE_HEALTH_DATA),
            "decision_form": DecisionForm(), "labels": LABELS,
            "filter_groups": filter_groups(event, may(current_user, SEE_HEALTH_DATA)),
            "provinces": province_choices(),
            "phone_offers": phone_offers(event.id) if may(current_user, DECIDE) else [],
            "offer_form": ConfirmForm(), "now": utcnow(), **extra}


def _return_to_list(event, query_string: str):
    url = url_for("review.participants", event_id=event.id)
    return redirect(f"{url}?{query_string}" if query_string else url, 303)


@bp.post("/events/<id:event_id>/decisions")
@event_permission(DECIDE)
@writing()
def bulk_decision(event):
    """A decision on the rows ticked in the list (name="registration")."""
    ids = [number for number in map(parse_id, request.form.getlist("registration")[:1000]) if number]
    if not ids:
        return _decision_answer(event, [], message=_("Cochez au moins une ligne."), error=True)
    return _apply(event, ids)


@bp.post("/events/<id:event_id>/participants/<id:registration_id>/decision")
@event_permission(DECIDE)
@writing()
def row_decision(event, registration_id):
    """A decision on one row (its own buttons)."""
    return _apply(event, [registration_id], single=True)


def _apply(event, ids, single=False):
    form = DecisionForm()
    if not form.validate() or form.decision.data not in DECISION:
        abort(400)
    outcomes = decide(event.id, ids, form.decision.data, current_user.id, form.reason.data, utcnow())
    if single and not outcomes:
        abort(404)  # not a registration of this event
    changed = [o for o in outcomes if o.changed]
    refused = [o for o in outcomes if not o.changed]
    if len(outcomes) == 1:
        message = outcomes[0].message
    else:
        # two sentences, each counted in its own plural
        message = " ".join((ngettext("%(num)d ligne modifiée.", "%(num)d lignes modifiées.", len(changed)),
                            ngettext("%(num)d ligne refusée.", "%(num)d lignes refusées.", len(refused))))
        if refused:
            message += " " + " ".join(o.message for o in refused[:5])
    return _decision_answer(event, outcomes, message=message, error=bool(refused) and not changed,
                            single=single)


def _decision_answer(event, outcomes, message, error=False, single=False):
    """htmx: the changed rows, the counters and the announcement, swapped in place.
    Without JavaScript: back to the same filtered list, with the message."""
    query_string = request.form.get("return_query", "")
    if is_htmx():
        filters = ListFilters.from_args(MultiDict(parse_qsl(query_string[:4000], keep_blank_values=False)), event,
                                        may(current_user, SEE_HEALTH_DATA))
        context = _list_context(event, filters, message=message, message_is_error=error)
        if single and outcomes:
            return render_template("review/_row_answer.html", row=outcomes[0].registration, **context)
        return render_template("review/_results_answer.html", **context)
    flash(message, "error" if error else "success")
    return _return_to_list(event, query_string)


@bp.get("/events/<id:event_id>/participants/<id:registration_id>")
@event_permission(VIEW)
def participant(event, registration_id):
    """All the person entered, the status history and the internal notes."""
    registration = registration_of(event.id, registration_id) or abort(404)
    return _participant_page(event, registration, NoteForm())


def _participant_page(event, registration, note_form, status=200, workshop_form=None):
    can_see_health = may(current_user, SEE_HEALTH_DATA)
    workshop_form = workshop_form or WorkshopMoveForm(event, data={"workshop": str(registration.workshop_id)})
    return render_template("review/participant.html", event=event, registration=registration,
                           history=status_history(registration.id), attendance=attendance_log(registration.id),
                           notes=notes_of(registration.id) if can_see_health else [],
                           note_form=note_form, can_decide=may(current_user, DECIDE), labels=LABELS,
                           can_see_health=can_see_health, decision_form=DecisionForm(),
                           workshop_form=workshop_form), status


@bp.post("/events/<id:event_id>/participants/<id:registration_id>/notes")
@event_permission(DECIDE)
@writing()
def add_internal_note(event, registration_id):
    form = NoteForm()
    registration = registration_of(event.id, registration_id) or abort(404)
    if not form.validate():
        return _participant_page(event, registration, form, status=422)
    add_note(registration, current_user.id, form.body.data, utcnow())
    flash(_("Note ajoutée."), "success")
    return redirect(url_for("review.participant", event_id=event.id, registration_id=registration.id), 303)


@bp.post("/events/<id:event_id>/participants/<id:registration_id>/workshop")
@event_permission(DECIDE)
@writing()
def move_workshop(event, registration_id):
    """Move the participant to another workshop, within its seat limit; the history keeps the move."""
    registration = registration_of(event.id, registration_id) or abort(404)
    form = WorkshopMoveForm(event)
    if registration.status == "cancelled":
        form.workshop.errors = [_("Cette inscription est annulée : son atelier ne change plus.")]
        return _participant_page(event, registration, NoteForm(), 422, workshop_form=form)
    if not form.validate():
        return _participant_page(event, registration, NoteForm(), 422, workshop_form=form)
    workshop = next(w for w in event.workshops if str(w.id) == form.workshop.data)
    try:
        moved = change_workshop(registration, workshop, current_user.id, utcnow())
    except WorkshopFull as full:
        form.workshop.errors.append(str(full))
        return _participant_page(event, registration, NoteForm(), 422, workshop_form=form)
    flash(_("Atelier changé : %(title)s.", title=workshop.title_fr) if moved
          else _("La personne est déjà dans cet atelier."), "success")
    return redirect(url_for("review.participant", event_id=event.id, registration_id=registration.id), 303)


@bp.post("/events/<id:event_id>/offers/<id:offer_id>/accepted")
@event_permission(DECIDE)
@writing()
def offer_accepted_by_phone(event, offer_id):
    """A person without an e-mail accepted the freed seat on the phone: approved, as by the link."""
    offer, name = _phone_offer(event, offer_id)
    reason = _("place proposée sur liste d'attente, acceptée par téléphone (réponse enregistrée par %(user)s)",
               user=current_user.name or current_user.email)
    result = record_acceptance(offer, utcnow(), current_user.id, reason)
    if result == "accepted":
        flash(_("%(name)s a accepté la place : inscription approuvée.", name=name), "success")
    else:
        _flash_stale(result, name)
    return redirect(url_for("review.participants", event_id=event.id), 303)


@bp.post("/events/<id:event_id>/offers/<id:offer_id>/declined")
@event_permission(DECIDE)
@writing()
def offer_declined_by_phone(event, offer_id):
    """The person declined on the phone: they stay on the waiting list, the seat goes to the next one."""
    offer, name = _phone_offer(event, offer_id)
    result = decline_offer(offer, utcnow())
    if result == "declined":
        flash(_("%(name)s a décliné la place : elle est proposée à la personne suivante sur la liste "
                "d'attente, s'il y en a une.", name=name), "success")
    else:
        _flash_stale(result, name)
    return redirect(url_for("review.participants", event_id=event.id), 303)


def _phone_offer(event, offer_id):
    if not ConfirmForm().validate():
        abort(400)
    offer = phone_offer_of(event.id, offer_id) or abort(404)
    return offer, offer.registration.full_name


def _flash_stale(result, name):
    """The offer was answered meanwhile, or its time ran out: nothing recorded."""
    if result == "expired":
        message = _("L'offre faite à %(name)s a expiré : rien n'est enregistré, la place passe à la personne "
                    "suivante.", name=name)
    elif result == "taken":
        message = _("L'offre faite à %(name)s est déjà acceptée : rien de plus n'est enregistré.", name=name)
    else:
        message = _("L'offre faite à %(name)s n'est plus ouverte (déclinée, retirée ou inscription changée) : "
                    "rien n'est enregistré.", name=name)
    flash(message, "error")


@bp.route("/events/<id:event_id>/reservations", methods=["GET", "POST"])
@event_permission(DECIDE)
@writing()
def reservations(event):
    """Seats kept for a group until a date (approvals of others leave them free until then)."""
    form = ReservationForm()
    if form.validate_on_submit():
        keep_seats(event, form.group.data, form.seats.data, form.until.data)
        flash(_("Réservation enregistrée."), "success")
        return redirect(url_for("review.reservations", event_id=event.id), 303)
    return render_template("review/reservations.html", event=event, form=form, reservations=reservations_of(event.id),
                           now=utcnow(), group_labels=GROUP), 422 if form.errors else 200
