"""Login and password forms; the administrators' invitation, account and organisation forms."""
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, ValidationError

from ..events.vocabularies import ORGANIZATION_KIND
from ..forms import MaxLength, MultiCheckboxField, PlainText, strip_filter
from ..i18n import LANGUAGES, current_language, format_date, localized
from ..params import parse_id
from .queries import all_events, all_organizations
from .vocabularies import ROLE

MIN_PASSWORD_LENGTH = 12


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez votre adresse e-mail.")), MaxLength(254)])
    password = PasswordField(_l("Mot de passe"),
                             validators=[DataRequired(_l("Saisissez votre mot de passe.")), MaxLength(200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez votre adresse e-mail.")), MaxLength(254)])


def _strong_enough(form, field):
    if len(field.data or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(lazy_ngettext("Choisissez un mot de passe d'au moins %(num)d caractère.",
                                             "Choisissez un mot de passe d'au moins %(num)d caractères.",
                                             MIN_PASSWORD_LENGTH))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Nouveau mot de passe"), validators=[
        DataRequired(_l("Choisissez un mot de passe.")), MaxLength(200), _strong_enough])
    confirm = PasswordField(_l("Confirmez le nouveau mot de passe"), validators=[
        EqualTo("password", _l("Les deux mots de passe ne sont pas identiques."))])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(_l("Saisissez votre mot de passe actuel."))])


class CodeForm(FlaskForm):
    """The second step of signing in: the code of the authenticator app, or a recovery code."""
    code = StringField(_l("Code de vérification"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez le code affiché par votre application.")),
                                   MaxLength(40)])


class EnrolForm(FlaskForm):
    code = StringField(_l("Code à 6 chiffres affiché par l'application"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez le code affiché par votre application.")),
                                   MaxLength(40)])


# --- administrators: invitations, accounts, organisations -----------------------------------------
# Messages that quote a value use gettext (a lazy string passes for safe markup in Jinja).
def _valid_address(form, field):
    try:
        field.data = validate_email(field.data or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError(_l("Saisissez une adresse e-mail valable, comme nom@exemple.ma.")) from None


def _name_field(label, required=True):
    validators = [MaxLength(200), PlainText()]
    if required:
        validators.insert(0, DataRequired(_l("Ce champ est obligatoire.")))
    return StringField(label, filters=[strip_filter], validators=validators)


@dataclass
class ProfileChoices:
    """The organisations and events offered on the invitation and account forms, read once."""
    organizations: list
    events: list

    @classmethod
    def load(cls) -> "ProfileChoices":
        arabic = current_language() == "ar"
        organizations = [SelectChoice("", _("Aucune organisation"))]
        for o in all_organizations():
            name = o.name_ar if arabic and o.name_ar else o.name
            organizations.append(SelectChoice(str(o.id), f"{name} ({o.acronym})" if o.acronym else name))
        events = [SelectChoice(str(e.id), f"{localized(e, 'title')} – {format_date(e.starts_on, 'date')}")
                  for e in all_events()]
        return cls(organizations, events)


class _ProfileChecks:
    """What the invitation and account forms share: choices set from the database, checked
    here with messages a person can act on (role, organisation of a coordinator, events)."""

    def _set_choices(self, choices: ProfileChoices) -> None:
        self.role.choices = ROLE.choices()
        self.organization.choices = choices.organizations
        self.events.choices = choices.events

    def validate_role(self, field):
        if field.data not in ROLE:
            raise ValidationError(_l("Choisissez un rôle dans la liste."))

    def validate_organization(self, field):
        if field.data and field.data not in {c.value for c in self.organization.choices}:
            raise ValidationError(_l("Choisissez une organisation dans la liste."))
        if not field.data and self.role.data == "coordinator":
            raise ValidationError(_l("Un compte de coordination appartient à une association : choisissez-la."))

    def validate_events(self, field):
        offered = {c.value for c in self.events.choices}
        if any(value not in offered for value in field.data or []):
            raise ValidationError(_l("Choisissez les événements dans la liste."))

    def profile(self) -> dict:
        """The checked values: role, organization_id (or None), event ids (an observer's only)."""
        return {"name": self.name.data, "role": self.role.data,
                "organization_id": parse_id(self.organization.data or ""),
                "event_ids": [parse_id(v) for v in self.events.data or []] if self.role.data == "observer" else []}


class InviteForm(_ProfileChecks, FlaskForm):
    email = EmailField(_l("Adresse e-mail"), filters=[strip_filter], validators=[
        DataRequired(_l("Saisissez l'adresse e-mail de la personne.")), MaxLength(254), _valid_address])
    name = _name_field(_l("Prénom et nom"))
    role = SelectField(_l("Rôle"), validate_choice=False, default="coordinator")
    organization = SelectField(_l("Organisation de rattachement"), validate_choice=False)
    events = MultiCheckboxField(_l("Événements qu'elle pourra consulter (observation)"), validate_choice=False)
    language = RadioField(_l("Langue du message d'invitation"), default="fr", validate_choice=False,
                          choices=LANGUAGES.choices)

    def __init__(self, choices: ProfileChoices, **kwargs):
        super().__init__(**kwargs)
        self._set_choices(choices)

    def validate_language(self, field):
        if field.data not in LANGUAGES:
            raise ValidationError(_l("Choisissez la langue du message."))


class AccountForm(_ProfileChecks, FlaskForm):
    name = _name_field(_l("Prénom et nom"))
    role = SelectField(_l("Rôle"), validate_choice=False)
    organization = SelectField(_l("Organisation de rattachement"), validate_choice=False)
    events = MultiCheckboxField(_l("Événements qu'elle peut consulter (observation)"), validate_choice=False)

    def __init__(self, choices: ProfileChoices, **kwargs):
        super().__init__(**kwargs)
        self._set_choices(choices)


class OrganizationForm(FlaskForm):
    name = _name_field(_l("Nom en français"))
    name_ar = _name_field(_l("Nom en arabe (facultatif)"), required=False)
    acronym = StringField(_l("Sigle (facultatif)"), filters=[strip_filter], validators=[
        MaxLength(40), PlainText()])
    kind = SelectField(_l("Type d'organisation"), validate_choice=False, choices=ORGANIZATION_KIND.choices(),
                       default="association")

    def validate_kind(self, field):
        if field.data not in ORGANIZATION_KIND:
            raise ValidationError(_l("Choisissez un type dans la liste."))

    def values(self) -> dict:
        return {"name": self.name.data, "name_ar": self.name_ar.data or "", "acronym": self.acronym.data or "",
                "kind": self.kind.data}
