"""The forms of registrations a coordinator enters: the public form's questions and rules, email
optional (a phone number then), consents given orally; and the walk-in's short form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp, ValidationError

from ..forms import PHONE_MESSAGE, MaxLength, PlainText, choices, strip_filter
from ..geo.queries import province_choices
from ..i18n import localized
from .forms import RegistrationForm
from .seats import full_workshop_ids
from .vocabularies import AGE_BAND, GENDER, LANGUAGE

PHONE_PATTERN = r"^\+?[0-9 ().-]{6,30}$"


class AssistedRegistrationForm(RegistrationForm):
    """The public form, filled in by a coordinator for the person (same fields, same checks), except:
    the email is optional and without it a phone number is required; the consents are the person's,
    given orally to the coordinator (the history records it, with the date and the coordinator)."""
    assisted = True  # the template: no inline check against the public form, the coordinator's wording

    email = StringField(_l("Adresse e-mail (facultatif)"), filters=[strip_filter],
                        validators=[MaxLength(254), PlainText()])
    phone = StringField(_l("Téléphone (obligatoire sans adresse e-mail)"), filters=[strip_filter],
                        validators=[MaxLength(30)])
    guardian_consent = BooleanField(_l("La personne a moins de 18 ans et l'un de ses parents ou son tuteur légal "
                                       "est d'accord pour qu'elle s'inscrive."))
    language = RadioField(_l("Langue des messages"), choices=LANGUAGE.choices,
                          validators=[InputRequired(_l("Choisissez la langue des messages."))])
    consent_needs = BooleanField(_l("La personne accepte oralement que les besoins d'accessibilité déclarés, qui sont "
                                    "des données de santé, soient utilisés uniquement pour organiser son accueil."))
    consent = BooleanField(_l("La personne accepte oralement que ses données soient utilisées pour organiser cet "
                              "événement, comme l'explique la notice de confidentialité, qui lui a été lue ou remise."))

    def validate_email(self, field):
        if field.data:
            super().validate_email(field)

    def validate_phone(self, field):
        if not field.data:
            if not self.email.data:
                raise ValidationError(_l("Sans adresse e-mail, indiquez un numéro de téléphone : c'est par lui que "
                                         "l'équipe joindra la personne."))
            return
        Regexp(PHONE_PATTERN, message=PHONE_MESSAGE)(self, field)

    def validate_guardian_consent(self, field):
        if self.age_band.data == "under_18" and not field.data:
            raise ValidationError(_l("La personne a moins de 18 ans : elle peut s'inscrire avec l'accord de l'un de "
                                     "ses parents ou de son tuteur légal. Cochez cette case quand elle l'a."))

    def validate_consent_needs(self, field):
        if self.declares_needs() and not field.data:
            raise ValidationError(_l("Pour tenir compte des besoins déclarés, la personne doit y consentir : "
                                     "cochez cette case, ou retirez les besoins."))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Sans le consentement oral de la personne à la notice de confidentialité, "
                                     "l'inscription ne peut pas être enregistrée."))


class WalkInForm(FlaskForm):
    """At the door, in thirty seconds: who, and the few figures the reports count."""
    first_name = StringField(_l("Prénom"), filters=[strip_filter], validators=[
        DataRequired(_l("Indiquez le prénom.")), MaxLength(100), PlainText()])
    last_name = StringField(_l("Nom"), filters=[strip_filter], validators=[
        DataRequired(_l("Indiquez le nom.")), MaxLength(100), PlainText()])
    gender = RadioField(_l("Genre"), choices=GENDER.choices(),
                        validators=[InputRequired(_l("Indiquez le genre, ou « Je préfère ne pas le dire »."))])
    age_band = RadioField(_l("Tranche d'âge"), choices=AGE_BAND.choices(),
                          validators=[InputRequired(_l("Indiquez la tranche d'âge."))])
    guardian_consent = AssistedRegistrationForm.guardian_consent
    validate_guardian_consent = AssistedRegistrationForm.validate_guardian_consent
    province = SelectField(_l("Province ou préfecture de résidence"), validate_choice=False,
                           validators=[DataRequired(_l("Choisissez la province ou préfecture."))])
    organization = StringField(_l("Organisation (facultatif)"), filters=[strip_filter],
                               validators=[MaxLength(200), PlainText()])
    phone = StringField(_l("Téléphone (facultatif)"), filters=[strip_filter], validators=[
        Optional(), MaxLength(30), Regexp(PHONE_PATTERN, message=PHONE_MESSAGE)])
    workshop = SelectField(_l("Atelier"), validate_choice=False,
                           validators=[DataRequired(_l("Choisissez l'atelier."))])
    consent = BooleanField(_l("La personne accepte oralement l'utilisation de ses données pour cet événement "
                              "(notice de confidentialité)."))

    def __init__(self, event, language, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = province_choices(language=language)
        self.province.choices = choices([("", _l("Choisissez…"))]) + provinces
        self.valid_provinces = {choice.value for choice in provinces}
        full = {str(workshop_id) for workshop_id in full_workshop_ids(event)}
        self.workshop.choices = choices((str(w.id), localized(w, "title", language)) for w in event.workshops
                                        if str(w.id) not in full)
        self.registrant_language = language

    def validate_province(self, field):
        if field.data not in self.valid_provinces:
            raise ValidationError(_l("Choisissez la province ou préfecture dans la liste."))

    def validate_workshop(self, field):
        if field.data not in {choice.value for choice in self.workshop.choices}:
            raise ValidationError(_l("Choisissez un atelier de cet événement qui a encore des places."))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Sans le consentement oral de la personne, elle ne peut pas être inscrite."))

    def values(self) -> dict:
        return {name: self[name].data for name in ("first_name", "last_name", "gender", "age_band", "province",
                                                   "organization", "phone", "workshop")} | {"language": self.registrant_language}
