"""The logistics sheet of an event (admins and the event's coordinators): rooms with seats and
equipment, meals with head counts (computed, or set by hand), and the materials to print. Its
counts of needs come from health data: observers have no access (EDIT)."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import EDIT, SEE_HEALTH_DATA, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..events.logistics import meals_of, save_meal_override, save_room, save_team_count
from ..events.logistics_forms import MealForm, RoomForm, TeamForm
from ..events.vocabularies import AGENDA_KIND, ROOM_EQUIPMENT
from ..forms import Refused
from ..params import parse_id
from ..registration.vocabularies import DIET
from ..security import keep_private
from .blueprint import bp
from .logistics_counts import logistics_sheet

PLENARY = "plenary"


def _room_key(room) -> str:
    return PLENARY if room.workshop is None else str(room.workshop.id)


def _room_form(room) -> RoomForm:
    return RoomForm(prefix=f"room-{_room_key(room)}", formdata=None,
                    data={"name": room.name, "seats": room.seats, "equipment": room.equipment})


def _meal_form(meal) -> MealForm:
    return MealForm(prefix=f"meal-{meal.item.id}", formdata=None, data={"head_count": meal.override})


def _page(event, team_form=None, room_forms=None, meal_forms=None, status=200):
    sheet = logistics_sheet(event, may(current_user, SEE_HEALTH_DATA))
    room_forms = {_room_key(room): _room_form(room) for room in sheet.rooms} | (room_forms or {})
    meal_forms = {meal.item.id: _meal_form(meal) for meal in sheet.meals} | (meal_forms or {})
    team_form = team_form or TeamForm(formdata=None, data={"team_count": sheet.team})
    return keep_private(make_response(render_template(
        "organizing/logistics.html", event=event, sheet=sheet, team_form=team_form, room_forms=room_forms,
        meal_forms=meal_forms, refused=status == 422, room_key=_room_key, equipment_labels=ROOM_EQUIPMENT, kinds=AGENDA_KIND, diet_labels=DIET,
        section="logistics"), status))




def _back(event):
    return redirect(url_for("organizing.logistics", event_id=event.id), 303)


@bp.get("/events/<id:event_id>/logistics")
@event_permission(EDIT)
def logistics(event):
    return _page(event)


@bp.post("/events/<id:event_id>/logistics/team")
@event_permission(EDIT)
@writing()
def save_logistics_team(event):
    """The organising team's head count, added to every meal's."""
    form = TeamForm()
    if form.validate():
        try:
            save_team_count(event, form.team_count.data, current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Équipe d'organisation enregistrée."), "success")
            return _back(event)
    return _page(event, team_form=form, status=422)


@bp.post("/events/<id:event_id>/logistics/rooms")
@event_permission(EDIT)
@writing()
def save_logistics_room(event):
    """One room: the plenary's (room=plenary) or a workshop's (room=<workshop id>)."""
    key = request.form.get("room", "")
    workshop_id = None if key == PLENARY else parse_id(key)
    if key != PLENARY and workshop_id not in {workshop.id for workshop in event.workshops}:
        abort(404)
    form = RoomForm(prefix=f"room-{key}")
    if form.validate():
        try:
            save_room(event, workshop_id, (form.name.data or "").strip(), form.seats.data, form.equipment.data or [],
                      current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Salle enregistrée."), "success")
            return _back(event)
    return _page(event, room_forms={key: form}, status=422)


@bp.post("/events/<id:event_id>/logistics/meals")
@event_permission(EDIT)
@writing()
def save_logistics_meal(event):
    """A meal's head count set by hand; left empty, the computed figure counts again."""
    item_id = parse_id(request.form.get("meal", ""))
    if item_id not in {item.id for item in meals_of(event.id)}:
        abort(404)
    form = MealForm(prefix=f"meal-{item_id}")
    if form.validate():
        save_meal_override(event, item_id, form.head_count.data, current_user.id, utcnow())
        flash(_("Nombre de couverts enregistré."), "success")
        return _back(event)
    return _page(event, meal_forms={item_id: form}, status=422)
