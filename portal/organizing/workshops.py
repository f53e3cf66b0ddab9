"""Screens of an event's workshops: list, add, edit, delete (not when chosen), reorder."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.permissions import EDIT, event_permission
from ..database import writing
from ..events.program import (
    add_workshop,
    delete_workshop,
    move_workshop,
    people_choices,
    update_workshop,
    workshop_of,
    workshop_person_id,
)
from ..events.program_forms import WorkshopForm
from ..events.vocabularies import PERSON_ROLE
from ..forms import ConfirmForm, Refused
from ..proposals.queries import workshop_proposal_count
from ..registration.seats import workshop_choices_count, workshop_seats_taken
from .blueprint import bp
from .program_views import direction


@bp.get("/events/<id:event_id>/workshops")
@event_permission(EDIT)
def workshops(event):
    seats = {w.id: workshop_seats_taken(w.id) for w in event.workshops}
    return render_template("organizing/workshops.html", event=event, seats=seats, form=ConfirmForm(),
                           PERSON_ROLE=PERSON_ROLE)


@bp.route("/events/<id:event_id>/workshops/new", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def new_workshop(event):
    form = WorkshopForm(people_choices(event))
    if form.validate_on_submit():
        try:
            workshop = add_workshop(event, form.values(), form.people())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Atelier ajouté : %(title)s.", title=workshop.title_fr), "success")
            return redirect(url_for("organizing.workshops", event_id=event.id), 303)
    return _form_page(event, form, None)


@bp.route("/events/<id:event_id>/workshops/<id:workshop_id>", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def edit_workshop(event, workshop_id):
    workshop = workshop_of(event, workshop_id) or abort(404)
    form = WorkshopForm(people_choices(event), data={
        "title_fr": workshop.title_fr, "title_ar": workshop.title_ar, "description_fr": workshop.description_fr,
        "description_ar": workshop.description_ar, "room": workshop.room,
        "seat_limit": str(workshop.seat_limit) if workshop.seat_limit else "",
        "facilitator": str(workshop_person_id(workshop, "facilitator") or ""),
        "rapporteur": str(workshop_person_id(workshop, "rapporteur") or "")})
    if form.validate_on_submit():
        try:
            update_workshop(workshop, form.values(), form.people(), seats_taken=workshop_seats_taken(workshop.id))
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Atelier modifié : %(title)s.", title=workshop.title_fr), "success")
            return redirect(url_for("organizing.workshops", event_id=event.id), 303)
    return _form_page(event, form, workshop)


def _form_page(event, form, workshop):
    return render_template("organizing/workshop_form.html", event=event, form=form, workshop=workshop,
                           seats_taken=workshop_seats_taken(workshop.id) if workshop else 0), \
        422 if form.errors else 200


@bp.post("/events/<id:event_id>/workshops/<id:workshop_id>/delete")
@event_permission(EDIT)
@writing()
def remove_workshop(event, workshop_id):
    workshop = workshop_of(event, workshop_id) or abort(404)
    if ConfirmForm().validate():
        title = workshop.title_fr
        try:
            if workshop_proposal_count(workshop.id):  # the group's proposals would go with it
                raise Refused({"": [_("Cet atelier a des propositions : il ne peut pas être supprimé.")]})
            delete_workshop(workshop, chosen_by=workshop_choices_count(workshop.id))
        except Refused as refused:
            flash(refused.problems[""][0], "error")
        else:
            flash(_("Atelier supprimé : %(title)s.", title=title), "success")
    return redirect(url_for("organizing.workshops", event_id=event.id), 303)


@bp.post("/events/<id:event_id>/workshops/<id:workshop_id>/move")
@event_permission(EDIT)
@writing()
def reorder_workshop(event, workshop_id):
    workshop = workshop_of(event, workshop_id) or abort(404)
    if ConfirmForm().validate() and direction() and move_workshop(workshop, direction()):
        flash(_("Ordre des ateliers mis à jour."), "success")
    return redirect(url_for("organizing.workshops", event_id=event.id, _anchor=f"workshop-{workshop.id}"), 303)
