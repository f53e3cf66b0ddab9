"""The forms of an event's logistics sheet. Each room and each meal has its own small form on the
page; a prefix (the room's or meal's key) keeps their fields' ids and names apart."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..forms import MaxLength, MultiCheckboxField
from .logistics import MAX_HEADS, MAX_SEATS
from .vocabularies import ROOM_EQUIPMENT


class TeamForm(FlaskForm):
    team_count = IntegerField(_l("Équipe d'organisation (personnes)"), validators=[
        InputRequired(_l("Indiquez le nombre de personnes de l'équipe d'organisation (0 si aucune).")),
        NumberRange(min=0, max=MAX_HEADS, message=_l("Indiquez un nombre entre 0 et %(max)d.", max=MAX_HEADS))])


class RoomForm(FlaskForm):
    name = StringField(_l("Nom de la salle"), validators=[Optional(), MaxLength(120)])
    seats = IntegerField(_l("Nombre de places"), validators=[
        Optional(), NumberRange(min=0, max=MAX_SEATS, message=_l(
            "Indiquez un nombre de places entre 0 et %(max)d.", max=MAX_SEATS))])
    equipment = MultiCheckboxField(_l("Équipement"), choices=ROOM_EQUIPMENT.choices())


class MealForm(FlaskForm):
    head_count = IntegerField(_l("Nombre de couverts fixé à la main"), validators=[
        Optional(), NumberRange(min=0, max=MAX_HEADS, message=_l(
            "Indiquez un nombre entre 0 et %(max)d, ou laissez vide pour reprendre le nombre calculé.",
            max=MAX_HEADS))])
