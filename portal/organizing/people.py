"""Screens of an event's people and their roles. Their e-mail and phone are personal data: shown
on these screens only (never on the public page), which no cache keeps."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.permissions import EDIT, event_permission
from ..database import writing
from ..events.people import add_person, remove_role, role_of, set_status, update_person_role
from ..events.program_forms import PersonForm, StatusForm
from ..events.vocabularies import PERSON_ROLE, PERSON_STATUS
from ..forms import ConfirmForm, Refused
from ..security import keep_private
from .blueprint import bp


def _private(body, status=200):
    return keep_private(make_response(body, status))


@bp.get("/events/<id:event_id>/people")
@event_permission(EDIT)
def people(event):
    return _private(render_template("organizing/people.html", event=event, form=ConfirmForm(),
                                    PERSON_ROLE=PERSON_ROLE, PERSON_STATUS=PERSON_STATUS))


@bp.route("/events/<id:event_id>/people/new", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def new_person(event):
    form = PersonForm(event)
    if form.validate_on_submit():
        try:
            link, reused = add_person(event, form.person_values(), form.role_values())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("%(name)s est déjà connu(e) du portail (même adresse e-mail) : son rôle est ajouté à cet "
                    "événement, ses coordonnées restent celles déjà enregistrées.", name=link.person.name_fr)
                  if reused else _("Personne ajoutée : %(name)s.", name=link.person.name_fr), "success")
            return redirect(url_for("organizing.people", event_id=event.id), 303)
    return _form_page(event, form, None)


@bp.route("/events/<id:event_id>/people/<id:role_id>", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def edit_person(event, role_id):
    link = role_of(event, role_id) or abort(404)
    form = PersonForm(event, data=PersonForm.data_of(link))
    if form.validate_on_submit():
        try:
            update_person_role(event, link, form.person_values(), form.role_values())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Modifications enregistrées : %(name)s.", name=link.person.name_fr), "success")
            return redirect(url_for("organizing.people", event_id=event.id), 303)
    return _form_page(event, form, link)


def _form_page(event, form, link):
    return _private(render_template("organizing/person_form.html", event=event, form=form, link=link),
                    422 if form.errors else 200)


@bp.post("/events/<id:event_id>/people/<id:role_id>/status")
@event_permission(EDIT)
@writing()
def person_status(event, role_id):
    link = role_of(event, role_id) or abort(404)
    form = StatusForm()
    if form.validate():
        set_status(link, form.status.data)
        flash(_("%(name)s : %(status)s.", name=link.person.name_fr, status=PERSON_STATUS.label(link.status)),
              "success")
    else:
        flash(_("Choisissez un statut dans la liste."), "error")
    return redirect(url_for("organizing.people", event_id=event.id, _anchor=f"role-{link.id}"), 303)


@bp.post("/events/<id:event_id>/people/<id:role_id>/remove")
@event_permission(EDIT)
@writing()
def remove_person(event, role_id):
    link = role_of(event, role_id) or abort(404)
    if ConfirmForm().validate():
        name, role = link.person.name_fr, PERSON_ROLE.label(link.role)
        remove_role(event, link)
        flash(_("%(name)s n'a plus le rôle « %(role)s » dans cet événement.", name=name, role=role), "success")
    return redirect(url_for("organizing.people", event_id=event.id), 303)
