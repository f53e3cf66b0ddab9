"""Forms of an event's programme and people (the organisers' screens). Numbers and times are read
strictly (ASCII digits, portal.params): never int() on request data."""
import datetime as dt
import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..forms import PHONE_MESSAGE, MaxLength, PlainText, choices, collapse_newlines, strip_filter
from ..params import parse_id, parse_int
from .vocabularies import AGENDA_KIND, PERSON_ROLE, PERSON_STATUS

MAX_SEATS = 10000
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9])?")


def _line(label, max_length, required=None):
    validators = [MaxLength(max_length), PlainText()]
    if required:
        validators.insert(0, DataRequired(required))
    return StringField(label, filters=[strip_filter], validators=validators)


def _text(label, max_length=5000):
    return TextAreaField(label, filters=[strip_filter, collapse_newlines], validators=[
        MaxLength(max_length), PlainText(multiline=True)])


def _none_choice(label):
    return choices([("", label)])


class TimeOfDay(StringField):
    """HH:MM (what <input type="time"> sends); `.time` holds the parsed value or None."""

    def post_validate(self, form, _stopped):
        self.time = None
        match = _TIME.fullmatch(self.data or "")
        if match:
            self.time = dt.time(int(match.group(1)), int(match.group(2)))
        elif not self.errors:
            self.errors.append(_l("Indiquez une heure au format HH:MM, par exemple 09:30."))

    def _value(self):
        return self.data or ""


def _id_or_none(value) -> int | None:
    return parse_id(value) if value else None


class WorkshopForm(FlaskForm):
    title_fr = _line(_l("Titre (français)"), 300, required=_l("Indiquez le titre de l'atelier en français."))
    title_ar = _line(_l("Titre (arabe)"), 300)
    description_fr = _text(_l("Description (français)"))
    description_ar = _text(_l("Description (arabe)"))
    room = _line(_l("Salle"), 120)
    seat_limit = StringField(_l("Nombre de places de l'atelier (facultatif)"), filters=[strip_filter])
    facilitator = SelectField(_l("Facilitateur ou facilitatrice"), validate_choice=False)
    rapporteur = SelectField(_l("Rapporteur(e)"), validate_choice=False)

    def __init__(self, people: list[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in (self.facilitator, self.rapporteur):
            field.choices = _none_choice(_l("Personne pour l'instant")) + choices(people)
        self.known_people = {value for value, _label in people}

    def validate_seat_limit(self, field):
        if field.data and parse_int(field.data, 1, MAX_SEATS) is None:
            raise ValidationError(_l("Indiquez un nombre entier de places, de 1 à %(max)d, ou laissez vide "
                                     "pour ne pas limiter.", max=MAX_SEATS))

    def validate_facilitator(self, field):
        if field.data and field.data not in self.known_people:
            raise ValidationError(_l("Choisissez une personne de cet événement."))

    validate_rapporteur = validate_facilitator

    def values(self) -> dict:
        return {"title_fr": self.title_fr.data, "title_ar": self.title_ar.data or "",
                "description_fr": self.description_fr.data or "", "description_ar": self.description_ar.data or "",
                "room": self.room.data or "", "seat_limit": parse_int(self.seat_limit.data or "", 1, MAX_SEATS)}

    def people(self) -> dict:
        return {"facilitator": _id_or_none(self.facilitator.data), "rapporteur": _id_or_none(self.rapporteur.data)}


class AgendaItemForm(FlaskForm):
    starts_at = TimeOfDay(_l("Début"))
    ends_at = TimeOfDay(_l("Fin"))
    kind = SelectField(_l("Type de séquence"), choices=AGENDA_KIND.choices())
    title_fr = _line(_l("Titre (français)"), 200, required=_l("Indiquez le titre de la séquence en français."))
    title_ar = _line(_l("Titre (arabe)"), 200)
    details_fr = _text(_l("Détails (français), un point par ligne"))
    details_ar = _text(_l("Détails (arabe), un point par ligne"))

    def validate_ends_at(self, field):
        starts, ends = _TIME.fullmatch(self.starts_at.data or ""), _TIME.fullmatch(field.data or "")
        if starts and ends and ends.group(0)[:5] <= starts.group(0)[:5]:
            raise ValidationError(_l("L'heure de fin doit être après l'heure de début."))

    def values(self) -> dict:
        return {"starts_at": self.starts_at.time, "ends_at": self.ends_at.time, "kind": self.kind.data,
                "title_fr": self.title_fr.data, "title_ar": self.title_ar.data or "",
                "details_fr": self.details_fr.data or "", "details_ar": self.details_ar.data or ""}

    @classmethod
    def data_of(cls, item) -> dict:
        return {"starts_at": item.starts_at.strftime("%H:%M"), "ends_at": item.ends_at.strftime("%H:%M"),
                "kind": item.kind, "title_fr": item.title_fr, "title_ar": item.title_ar,
                "details_fr": item.details_fr, "details_ar": item.details_ar}


class PersonForm(FlaskForm):
    name_fr = _line(_l("Nom (français)"), 300, required=_l("Indiquez le nom de la personne."))
    name_ar = _line(_l("Nom (arabe)"), 300)
    organization = _line(_l("Organisation"), 200)
    email = StringField(_l("Adresse e-mail (facultatif)"), filters=[strip_filter], validators=[
        MaxLength(254), PlainText()])
    phone = StringField(_l("Téléphone (facultatif)"), filters=[strip_filter], validators=[PlainText()])
    role = SelectField(_l("Rôle"), choices=PERSON_ROLE.choices())
    status = SelectField(_l("Statut"), choices=PERSON_STATUS.choices())
    workshop_id = SelectField(_l("Atelier lié (facultatif)"), validate_choice=False)
    agenda_item_id = SelectField(_l("Séquence du programme liée (facultatif)"), validate_choice=False)

    def __init__(self, event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop_id.choices = _none_choice(_l("Aucun")) + choices(
            (str(w.id), w.title_fr) for w in event.workshops)
        self.agenda_item_id.choices = _none_choice(_l("Aucune")) + choices(
            (str(i.id), f"{i.starts_at:%H:%M} {i.title_fr}") for i in event.agenda)

    def validate_email(self, field):
        if not field.data:
            return
        try:
            field.data = validate_email(field.data, check_deliverability=False).normalized
        except EmailNotValidError:
            raise ValidationError(_l("Saisissez une adresse e-mail valide, par exemple %(example)s.", example="nom@exemple.ma"))

    def validate_phone(self, field):
        if field.data and not re.fullmatch(r"\+?[0-9 ().-]{6,30}", field.data):
            raise ValidationError(PHONE_MESSAGE)

    def validate_workshop_id(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choisissez un atelier de cet événement."))

    def validate_agenda_item_id(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choisissez une séquence du programme de cet événement."))

    def person_values(self) -> dict:
        return {"name_fr": self.name_fr.data, "name_ar": self.name_ar.data or "",
                "organization": self.organization.data or "", "email": self.email.data or None,
                "phone": self.phone.data or ""}

    def role_values(self) -> dict:
        return {"role": self.role.data, "status": self.status.data,
                "workshop_id": _id_or_none(self.workshop_id.data),
                "agenda_item_id": _id_or_none(self.agenda_item_id.data)}

    @classmethod
    def data_of(cls, link) -> dict:
        person = link.person
        return {"name_fr": person.name_fr, "name_ar": person.name_ar, "organization": person.organization,
                "email": person.email or "", "phone": person.phone, "role": link.role, "status": link.status,
                "workshop_id": str(link.workshop_id or ""), "agenda_item_id": str(link.agenda_item_id or "")}


class StatusForm(FlaskForm):
    status = SelectField(_l("Statut"), choices=PERSON_STATUS.choices())
