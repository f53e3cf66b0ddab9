"""Forms of the review: decisions, notes, reserved seats, inclusion targets."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from ..forms import MaxLength, PlainText, choices, collapse_newlines, strip_filter
from ..registration.groups import GROUP


class DecisionForm(FlaskForm):
    """The buttons are name="decision" value="approve|waitlist|reject" (part of the interface)."""
    decision = StringField(validators=[DataRequired()])
    reason = StringField(_l("Motif (facultatif, gardé dans l'historique)"), filters=[strip_filter],
                         validators=[MaxLength(500), PlainText()])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Nouvelle note interne"), filters=[strip_filter, collapse_newlines],
                         validators=[DataRequired(_l("Écrivez la note.")), MaxLength(2000), PlainText(multiline=True)])


class ReservationForm(FlaskForm):
    group = SelectField(_l("Groupe"), choices=GROUP.choices())
    seats = IntegerField(_l("Places réservées (0 pour supprimer)"), validators=[
        InputRequired(_l("Indiquez un nombre de places.")), NumberRange(min=0, max=10000)])
    until = DateField(_l("Réservées jusqu'au (inclus)"), validators=[Optional()])


class WorkshopMoveForm(FlaskForm):
    """Move a participant to another workshop of the event (kept in the status history)."""
    workshop = SelectField(_l("Atelier"), validate_choice=False)

    def __init__(self, event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop.choices = choices((str(w.id), w.title_fr) for w in event.workshops)

    def validate_workshop(self, field):
        if field.data not in {choice.value for choice in self.workshop.choices}:
            raise ValidationError(_l("Choisissez un atelier de cet événement."))


class TargetsForm(FlaskForm):
    """The inclusion targets (in %) of the plan, or of one event (an empty box: the plan's target).
    One box per group of registration.groups.GROUP, named after the group."""
    event = SelectField(_l("Cibles de"), validate_choice=False)

    def __init__(self, events, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.event.choices = [SelectChoice("", _l("Tout le plan"))] + choices(
            (str(event.id), event.title_fr) for event in events)

    def validate_event(self, field):
        if field.data not in {choice.value for choice in self.event.choices}:
            raise ValidationError(_l("Choisissez le plan ou un de ses événements."))

    def group_fields(self):
        return [self[group] for group in GROUP]

    def wanted(self) -> dict[str, int | None]:
        return {group: self[group].data for group in GROUP}


for _group, _label in GROUP.items():
    setattr(TargetsForm, _group, IntegerField(_label, validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("Une cible est un pourcentage, de 0 à 100."))]))
