"""Registrations a coordinator enters for others: on their behalf (the public form's questions, email
optional), walk-ins on the day, a spreadsheet imported all or nothing, and the paper form to print.
DECIDE on the event (admins and the event's coordinators; observers 403, other events 404).
Plain forms: everything works without JavaScript."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.permissions import DECIDE, event_permission
from ..clock import utcnow
from ..database import writing
from ..extensions import csrf
from ..i18n import current_language
from ..registration.assisted import Coordinator, SeatsFull, register_on_behalf, register_walk_in
from ..registration.assisted_forms import AssistedRegistrationForm, WalkInForm
from ..registration.attendance import mark_present
from ..registration.forms import RegistrationForm
from ..registration.operations import DuplicateRegistration, WorkshopFull
from ..security import keep_private
from ..spreadsheets import MAX_BYTES, ImportAttempt, import_upload
from ..urls import local_path
from .assisted_import import MAX_ROWS, REPORT_LIMIT, check_list, columns_help, import_rows, read_list, template_csv

bp = Blueprint("assisted", __name__, url_prefix="/review")
bp.after_request(keep_private)


def _open_for_entries(event):
    """A cancelled event takes no more registrations, from anyone."""
    if event.status == "cancelled":
        abort(409)


@bp.route("/events/<id:event_id>/register", methods=["GET", "POST"])
@event_permission(DECIDE)
@writing()
def register(event):
    """The public form's questions, filled in for the person (phone, paper form, office)."""
    _open_for_entries(event)
    form = AssistedRegistrationForm(event, current_language())
    if request.method == "GET":
        form.language.data = form.language.data or current_language()
        return render_template("review/assisted.html", event=event, form=form)
    duplicate = None
    if form.validate():
        try:
            registration = register_on_behalf(event, form, Coordinator.of(current_user), utcnow())
        except WorkshopFull as full:
            form.workshop.errors.append(str(full))
        except DuplicateRegistration as found:
            duplicate = found.existing
            field = form.email if form.email.data else form.phone
            field.errors.append(_("Déjà inscrite à cet événement (référence %(reference)s) : rien n'a été enregistré.",
                                  reference=found.existing.reference))
        else:
            flash(_("%(name)s est inscrite (référence %(reference)s).", name=registration.full_name,
                    reference=registration.reference) + " " +
                  (_("Un accusé de réception lui est envoyé par e-mail.") if registration.email
                   else _("Sans adresse e-mail, elle ne recevra aucun message : joignez-la par téléphone.")), "success")
            return redirect(url_for("review.participant", event_id=event.id, registration_id=registration.id), 303)
    return render_template("review/assisted.html", event=event, form=form, duplicate=duplicate), 422


@bp.route("/events/<id:event_id>/walk-in", methods=["GET", "POST"])
@event_permission(DECIDE)
@writing()
def walk_in(event):
    """At the door: approved, marked walk-in and present, seats permitting. `next`: where to go back to
    (e.g. the check-in screen), a path on this site only."""
    _open_for_entries(event)
    back = local_path(request.values.get("next"), url_for("review.participants", event_id=event.id))
    form = WalkInForm(event, current_language())
    refusal = None
    if request.method == "POST" and form.validate():
        try:
            now = utcnow()
            registration = register_walk_in(event, form.values(), Coordinator.of(current_user), now)
            mark_present(event.id, registration.id, current_user.id, now)  # registered at the door: there
        except (SeatsFull, WorkshopFull) as full:
            refusal = str(full)
        except DuplicateRegistration as found:
            form.phone.errors.append(_("Ce numéro est déjà inscrit à cet événement (référence %(reference)s).",
                                       reference=found.existing.reference))
        else:
            flash(_("%(name)s est inscrite sur place (référence %(reference)s).", name=registration.full_name,
                    reference=registration.reference), "success")
            return redirect(back, 303)
    status = 422 if request.method == "POST" else 200
    return render_template("review/walk_in.html", event=event, form=form, back=back, refusal=refusal), status


@bp.get("/events/<id:event_id>/paper-form")
@event_permission(DECIDE)
def paper_form(event):
    """The registration form on paper (A4), from the same questions and choices as the online one."""
    language = current_language()
    form = RegistrationForm(event, language, formdata=None, meta={"csrf": False})
    assisted = AssistedRegistrationForm(event, language, formdata=None, meta={"csrf": False})
    return render_template("review/paper_form.html", event=event, form=form, assisted=assisted)


@bp.route("/events/<id:event_id>/import", methods=["GET", "POST"])
@csrf.exempt  # checked by import_upload, once the upload's own size limit is set
@event_permission(DECIDE)
def import_list(event):
    """A CSV or XLSX list: every row checked first (the coordinators' form, duplicates in the file
    and in the event), then all imported, or none with a report per row."""
    _open_for_entries(event)
    attempt = ImportAttempt()
    if request.method == "POST":
        def check_then_import(upload):
            with writing():
                forms, errors = check_list(event, read_list(upload), current_language())
                return errors, (None if errors else import_rows(event, forms, Coordinator.of(current_user), utcnow()))
        attempt = import_upload(check_then_import)
        if attempt.count is not None:
            flash(ngettext("%(num)d inscription importée.", "%(num)d inscriptions importées.", attempt.count),
                  "success")
            return redirect(url_for("review.participants", event_id=event.id), 303)
    errors = attempt.errors or []
    return render_template("review/import.html", event=event, problem=attempt.problem, errors=errors[:REPORT_LIMIT],
                           error_count=len(errors), columns=columns_help(), max_mb=MAX_BYTES // (1024 * 1024),
                           max_rows=MAX_ROWS), attempt.status


@bp.get("/events/<id:event_id>/import/template.csv")
@event_permission(DECIDE)
def import_template(event):
    """The expected columns and one example row, to fill in a spreadsheet."""
    return Response(template_csv(event), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="inscriptions-modele.csv"'})
