"""Screens of an event's agenda: plain forms first (POST, then a redirect), and htmx to edit one
item in place (the same URLs answer with the item's fragment when htmx asks)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.permissions import EDIT, event_permission
from ..database import writing
from ..events.program import (
    add_agenda_item,
    agenda_item_of,
    move_agenda_item,
    remove_agenda_item,
    start_from_unified_agenda,
    update_agenda_item,
)
from ..events.program_forms import AgendaItemForm
from ..events.vocabularies import AGENDA_KIND
from ..forms import ConfirmForm, Refused
from ..htmx import is_htmx, render_page_or_partial
from .blueprint import bp
from .program_views import direction


@bp.get("/events/<id:event_id>/agenda")
@event_permission(EDIT)
def agenda(event):
    return render_template("organizing/agenda.html", **_context(event))


def _context(event, **more):
    return {"event": event, "form": ConfirmForm(), "AGENDA_KIND": AGENDA_KIND, **more}


@bp.route("/events/<id:event_id>/agenda/new", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def new_agenda_item(event):
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            add_agenda_item(event, form.values())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Programme mis à jour : séquence ajoutée."), "success")
            return redirect(url_for("organizing.agenda", event_id=event.id), 303)
    return render_template("organizing/agenda_item_form.html", event=event, form=form, item=None), \
        422 if form.errors else 200


@bp.route("/events/<id:event_id>/agenda/<id:item_id>", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def edit_agenda_item(event, item_id):
    """The item's form: a page of its own, or (htmx) the fragment that replaces the item's row;
    saved, the row comes back (htmx) or the agenda page (a redirect)."""
    item = agenda_item_of(event, item_id) or abort(404)
    form = AgendaItemForm(data=AgendaItemForm.data_of(item))
    if form.validate_on_submit():
        try:
            update_agenda_item(item, form.values())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            if is_htmx():
                return render_template("organizing/_agenda_item.html", **_context(
                    event, item=item, saved=True, first=item is event.agenda[0], last=item is event.agenda[-1]))
            flash(_("Programme mis à jour."), "success")
            return redirect(url_for("organizing.agenda", event_id=event.id, _anchor=f"item-{item.id}"), 303)
    return render_page_or_partial("organizing/agenda_item_form.html", "organizing/_agenda_item_form.html",
                                  422 if form.errors else 200, target=f"item-{item.id}",
                                  event=event, form=form, item=item)


@bp.post("/events/<id:event_id>/agenda/<id:item_id>/remove", endpoint="remove_agenda_item")
@event_permission(EDIT)
@writing()
def remove_item(event, item_id):
    item = agenda_item_of(event, item_id) or abort(404)
    if ConfirmForm().validate():
        title = item.title_fr
        remove_agenda_item(event, item)
        flash(_("Programme mis à jour : « %(title)s » retiré.", title=title), "success")
    return redirect(url_for("organizing.agenda", event_id=event.id), 303)


@bp.post("/events/<id:event_id>/agenda/<id:item_id>/move", endpoint="move_agenda_item")
@event_permission(EDIT)
@writing()
def move_item(event, item_id):
    item = agenda_item_of(event, item_id) or abort(404)
    if ConfirmForm().validate() and direction() and move_agenda_item(event, item, direction()):
        flash(_("Programme mis à jour : ordre changé."), "success")
    return redirect(url_for("organizing.agenda", event_id=event.id, _anchor=f"item-{item.id}"), 303)


@bp.post("/events/<id:event_id>/agenda/start")
@event_permission(EDIT)
@writing()
def start_agenda(event):
    """An empty agenda filled with the unified agenda of the minutes, to edit from there."""
    if ConfirmForm().validate():
        try:
            count = start_from_unified_agenda(event)
        except Refused as refused:
            flash(refused.problems[""][0], "error")
        else:
            flash(ngettext("Programme mis à jour : %(num)d séquence reprise du programme unifié.",
                           "Programme mis à jour : %(num)d séquences reprises du programme unifié.", count), "success")
    return redirect(url_for("organizing.agenda", event_id=event.id), 303)
