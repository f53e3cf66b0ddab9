"""The organisers' forms of an event's own data: the event (texts, date, place, window) and its
venue. Choices that come from other tables (provinces, regions, organisations) are set by the view."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import URL, DataRequired, Email, NumberRange, Optional, Regexp, ValidationError

from ..forms import MaxLength, MultiCheckboxField, PlainText, collapse_newlines, strip_filter
from .vocabularies import FACT_VALUE, VENUE_FACT

REQUIRED = _l("Ce champ est obligatoire.")
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*\Z"  # WTForms' Regexp anchors the start only


def _line(label, max_length, required=False):
    return StringField(label, filters=[strip_filter], validators=[
        DataRequired(REQUIRED) if required else Optional(), MaxLength(max_length), PlainText()])


def _text(label):
    return TextAreaField(label, filters=[strip_filter, collapse_newlines],
                         validators=[Optional(), MaxLength(5000), PlainText(multiline=True)])


def _time(label):
    return TimeField(label, validators=[Optional()], format=["%H:%M", "%H:%M:%S"])


class SlugField(StringField):
    """The event's address on the public site: lower-case letters, digits and hyphens."""

    def __init__(self, **kwargs):
        super().__init__(_l("Adresse de la page (identifiant)"), filters=[strip_filter, lambda v: v.lower() if isinstance(v, str) else v],
                         validators=[Optional(), MaxLength(80), Regexp(SLUG_PATTERN, message=_l(
                             "Lettres minuscules sans accent, chiffres et tirets seulement (par exemple : oriental-2027)."))],
                         **kwargs)


class EventForm(FlaskForm):
    """The content of an event (admins and its coordinators) and, for admins, what governs its
    registrations (capacity, window, co-organisers). `version` is the one the form was read at."""
    version = HiddenField()
    title_fr = _line(_l("Titre (français)"), 200, required=True)
    title_ar = _line(_l("Titre (arabe)"), 200)
    summary_fr = _text(_l("Présentation (français)"))
    summary_ar = _text(_l("Présentation (arabe)"))
    starts_on = DateField(_l("Date"), validators=[DataRequired(_l("Indiquez la date de l'événement."))])
    start_time = _time(_l("Heure de début"))
    end_time = _time(_l("Heure de fin"))
    city_fr = _line(_l("Ville (français)"), 120)
    city_ar = _line(_l("Ville (arabe)"), 120)
    province_code = SelectField(_l("Province ou préfecture"), validate_choice=False)
    regions = MultiCheckboxField(_l("Régions concernées"))
    contact_email = StringField(_l("Adresse e-mail pour les questions"), filters=[strip_filter], validators=[
        Optional(), MaxLength(254), Email(_l("Adresse e-mail non valide."))])
    # Admins only (ADMINISTER): removed from the form for the others, whatever they post.
    capacity = IntegerField(_l("Nombre de places"), validators=[
        DataRequired(_l("Indiquez le nombre de places.")), NumberRange(min=1, max=100000)])
    opens_on = DateField(_l("Ouverture des inscriptions : date"), validators=[Optional()])
    opens_time = _time(_l("Ouverture des inscriptions : heure"))
    closes_on = DateField(_l("Clôture des inscriptions : date"), validators=[Optional()])
    closes_time = _time(_l("Clôture des inscriptions : heure"))
    co_organizers = MultiCheckboxField(_l("Associations co-organisatrices"))

    ADMIN_FIELDS = ("capacity", "opens_on", "opens_time", "closes_on", "closes_time", "co_organizers")

    def validate_province_code(self, field):
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choisissez une province de la liste."))

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("L'heure de fin doit suivre l'heure de début."))

    def drop_admin_fields(self) -> None:
        """For a coordinator: the fields they may not change are not read at all."""
        for name in self.ADMIN_FIELDS:
            delattr(self, name)


class NewEventForm(EventForm):
    slug = SlugField()


class CloneForm(FlaskForm):
    title_fr = _line(_l("Titre (français)"), 200, required=True)
    title_ar = _line(_l("Titre (arabe)"), 200)
    starts_on = DateField(_l("Date"), validators=[DataRequired(_l("Indiquez la date de l'événement."))])
    slug = SlugField()


def _fact(label):
    return RadioField(label, choices=FACT_VALUE.choices(), default="unknown",
                      validators=[DataRequired(REQUIRED)])


class VenueForm(FlaskForm):
    name_fr = _line(_l("Nom du lieu (français)"), 200)
    name_ar = _line(_l("Nom du lieu (arabe)"), 200)
    address_fr = _line(_l("Adresse (français)"), 300)
    address_ar = _line(_l("Adresse (arabe)"), 300)
    map_url = StringField(_l("Lien vers une carte"), filters=[strip_filter], validators=[
        Optional(), MaxLength(500),
        URL(require_tld=True, message=_l("Indiquez une adresse web complète, commençant par http:// ou https://.")),
        Regexp(r"https?://", message=_l("Indiquez une adresse web complète, commençant par http:// ou https://."))])


for _name in VENUE_FACT:
    setattr(VenueForm, _name, _fact(VENUE_FACT.label(_name)))
