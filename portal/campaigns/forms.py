"""Forms of the mail merge: templates and campaigns."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from ..forms import MaxLength, MultiCheckboxField, PlainText, collapse_newlines, strip_filter
from .vocabularies import AUDIENCE, INVITATION_ANSWER, PURPOSE, TEMPLATE_LANGUAGE


def _line(label, max_length):
    return StringField(label, filters=[strip_filter], validators=[
        DataRequired(_l("Ce champ est obligatoire.")), MaxLength(max_length), PlainText()])


def _body(label):
    return TextAreaField(label, filters=[strip_filter, collapse_newlines], validators=[
        DataRequired(_l("Ce champ est obligatoire.")), MaxLength(20000), PlainText(multiline=True)])


class TemplateForm(FlaskForm):
    name = _line(_l("Nom du modèle"), 120)
    purpose = SelectField(_l("Usage"), choices=PURPOSE.choices())
    audience_kind = SelectField(_l("Destinataires"), choices=AUDIENCE.choices())
    subject_fr = _line(_l("Objet (français)"), 300)
    body_fr = _body(_l("Message (français)"))
    subject_ar = _line(_l("Objet (arabe)"), 300)
    body_ar = _body(_l("Message (arabe)"))


class CampaignForm(FlaskForm):
    template = SelectField(_l("Modèle"), validators=[DataRequired(_l("Choisissez un modèle."))], validate_choice=False)
    event = SelectField(_l("Événement"), validate_choice=False)
    status = MultiCheckboxField(_l("Statut des inscriptions"), validate_choice=False)
    benefit = MultiCheckboxField(_l("Prise en charge (tous les participants si aucune n'est cochée)"),
                                 validate_choice=False)
    workshop = MultiCheckboxField(_l("Ateliers (tous si aucun n'est coché)"), validate_choice=False)
    region = MultiCheckboxField(_l("Régions (toutes si aucune n'est cochée)"), validate_choice=False)
    kind = MultiCheckboxField(_l("Types d'institution (tous si aucun n'est coché)"), validate_choice=False)
    role = MultiCheckboxField(_l("Rôles (tous si aucun n'est coché)"), validate_choice=False)
    person_status = MultiCheckboxField(_l("Statuts (tous sauf « A décliné » si aucun n'est coché)"),
                                       validate_choice=False)
    # A person has no language of their own: the campaign says which version of the template they get.
    people_language = RadioField(_l("Langue des messages aux intervenants"), choices=TEMPLATE_LANGUAGE.choices(),
                                 default="fr", validate_choice=False)
    include_ics = BooleanField(_l("Joindre l'invitation de calendrier (.ics) de l'événement"))
    attachments = MultipleFileField(_l("Pièces jointes (programme, supports de communication)"))


class InvitationAnswerForm(FlaskForm):
    """An institution's answer to its invitation; who comes in its place when it delegates."""
    answer = RadioField(_l("Votre réponse"), choices=INVITATION_ANSWER.choices(),
                        validators=[DataRequired(_l("Choisissez une réponse."))])
    delegate_name = StringField(_l("Nom de la personne qui vous représentera"), filters=[strip_filter],
                                validators=[MaxLength(200), PlainText()])
    delegate_title = StringField(_l("Sa fonction"), filters=[strip_filter], validators=[MaxLength(200), PlainText()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.answer.data == "delegates":
            for field in (self.delegate_name, self.delegate_title):
                if not field.data:
                    field.errors = [*field.errors, _l("Indiquez-le quand vous vous faites représenter.")]
                    valid = False
        return valid
