"""The public registration form. Field names are part of the portal's interface (see models)."""
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp, ValidationError

from ..forms import (
    PHONE_EXAMPLES,
    PHONE_MESSAGE,
    MaxLength,
    MultiCheckboxField,
    PlainText,
    ReadOnceTranslations,
    choices,
    collapse_newlines,
    strip_filter,
)
from ..geo.queries import province_choices
from ..i18n import localized
from .seats import full_workshop_ids
from .vocabularies import (
    ACCESS_NEED,
    AGE_BAND,
    DIET,
    GENDER,
    HEALTH_DIETS,
    HEARD_FROM,
    LANGUAGE,
    NEEDS_MET,
    ORGANIZATION_TYPE,
    SCORE,
)


def _text(label, max_length, required=None, **kwargs):
    """`required`: the message when empty (what to enter, as the error summary lists it), or None."""
    # No Optional() for optional fields: it would also skip the validate_<field> rules.
    validators = [MaxLength(max_length), PlainText()]
    if required:
        validators.insert(0, DataRequired(required))
    return StringField(label, validators=validators, filters=[strip_filter], **kwargs)


class RegistrationForm(FlaskForm):
    Meta = ReadOnceTranslations
    PHONE_EXAMPLES = PHONE_EXAMPLES  # the hint under the phone field gives them
    first_name = _text(_l("Prénom"), 100, required=_l("Indiquez votre prénom."))
    last_name = _text(_l("Nom"), 100, required=_l("Indiquez votre nom."))
    email = StringField(_l("Adresse e-mail"), filters=[strip_filter],
                        validators=[DataRequired(_l("Indiquez votre adresse e-mail.")), MaxLength(254),
                                    PlainText()])
    phone = StringField(_l("Téléphone (facultatif)"), filters=[strip_filter], validators=[
        Optional(), MaxLength(30),
        Regexp(r"^\+?[0-9 ().-]{6,30}$", message=PHONE_MESSAGE)])
    gender = RadioField(_l("Genre"), choices=GENDER.choices(),
                        validators=[InputRequired(_l("Indiquez votre genre, ou « Je préfère ne pas le dire »."))])
    age_band = RadioField(_l("Tranche d'âge"), choices=AGE_BAND.choices(),
                          validators=[InputRequired(_l("Indiquez votre tranche d'âge."))])
    # Minors: only with the agreement of a parent or legal guardian (the privacy notice says so).
    # Nothing is stored: the rule is that an under-18 cannot register without ticking it.
    guardian_consent = BooleanField(_l("J'ai moins de 18 ans et l'un de mes parents ou mon tuteur légal "
                                       "est d'accord pour que je m'inscrive."))
    organization = _text(_l("Nom de votre organisation"), 200)
    organization_type = SelectField(_l("Type d'organisation"),
                                    choices=choices([("", _l("Choisissez…"))]) + ORGANIZATION_TYPE.choices(),
                                    validators=[DataRequired(_l("Choisissez le type de votre organisation."))],
                                    validate_choice=False)
    province = SelectField(_l("Province ou préfecture de résidence"),
                           validators=[DataRequired(_l("Choisissez votre province ou préfecture."))],
                           validate_choice=False)
    city = _text(_l("Ville ou commune"), 100, required=_l("Indiquez votre ville ou commune."))
    workshop = RadioField(_l("Atelier thématique souhaité"),
                          validators=[InputRequired(_l("Choisissez l'atelier auquel vous souhaitez participer."))],
                          validate_choice=False)
    language = RadioField(_l("Langue de vos e-mails"), choices=LANGUAGE.choices,
                          validators=[InputRequired(_l("Choisissez la langue de vos e-mails."))])
    access_needs = MultiCheckboxField(_l("Besoins d'accessibilité (facultatif)"),
                                      choices=ACCESS_NEED.choices(), validate_choice=False)
    access_needs_details = TextAreaField(
        _l("Précisions sur vos besoins (facultatif)"), filters=[strip_filter, collapse_newlines],
        validators=[MaxLength(1000), PlainText(multiline=True)])
    consent_needs = BooleanField(_l("J'accepte que les besoins d'accessibilité et le régime alimentaire que je "
                                    "déclare, qui sont des données de santé, soient utilisés uniquement pour "
                                    "organiser mon accueil."))
    # Dietary needs: "vegetarian" is kept as it is; the others are health data, kept only with consent_needs.
    diets = MultiCheckboxField(_l("Régime alimentaire pour les repas (facultatif)"),
                               choices=DIET.choices(), validate_choice=False)
    diet_details = _text(_l("Précisez votre régime (facultatif)"), 200)
    travel_support = BooleanField(_l("Je demande la prise en charge de mon déplacement"))
    accommodation_support = BooleanField(_l("Je demande la prise en charge de mon hébergement"))
    heard_from = RadioField(_l("Comment avez-vous connu cet événement ? (facultatif)"),
                            choices=HEARD_FROM.choices(), validate_choice=False)
    # The code of an organiser's registration link (?via=<code>), carried through the form's round trips.
    via = HiddenField(filters=[strip_filter])
    consent = BooleanField(_l("J'accepte que mes données soient utilisées pour organiser cet événement, "
                              "comme l'explique la notice de confidentialité."))

    def __init__(self, event, language, *args, full_workshops: set[int] | None = None, **kwargs):
        """`full_workshops`: full_workshop_ids(event) when the caller has it already."""
        super().__init__(*args, **kwargs)
        self.event = event
        provinces = province_choices(language=language)  # in memory (geo.queries): no query
        self.province.choices = choices([("", _l("Choisissez…"))]) + provinces
        self.workshop.choices = choices((str(w.id), localized(w, "title", language)) for w in event.workshops)
        # Shown as full (and refused); register() checks again under the workshop's lock.
        if full_workshops is None:
            full_workshops = full_workshop_ids(event)
        self.full_workshops = {str(workshop_id) for workshop_id in full_workshops}
        self.valid_provinces = {choice.value for choice in provinces}

    # --- rules beyond one field -----------------------------------------------------------------
    def validate_email(self, field):
        try:
            result = validate_email(field.data or "", check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(_l("Saisissez une adresse e-mail valide, par exemple %(example)s.", example="nom@exemple.ma"))
        field.data = result.normalized

    def validate_guardian_consent(self, field):
        if self.age_band.data == "under_18" and not field.data:
            raise ValidationError(_l("Vous avez moins de 18 ans : vous pouvez vous inscrire avec l'accord de l'un de "
                                     "vos parents ou de votre tuteur légal. Cochez cette case quand vous l'avez."))

    def validate_organization_type(self, field):
        if field.data not in ORGANIZATION_TYPE:
            raise ValidationError(_l("Choisissez le type de votre organisation."))

    def validate_organization(self, field):
        if not field.data and self.organization_type.data not in ("individual", "", None):
            raise ValidationError(_l("Indiquez le nom de votre organisation, ou choisissez « Citoyen ou citoyenne, "
                                     "sans organisation »."))

    def validate_province(self, field):
        if field.data not in self.valid_provinces:
            raise ValidationError(_l("Choisissez votre province ou préfecture dans la liste."))

    def validate_workshop(self, field):
        if field.data not in {choice.value for choice in self.workshop.choices}:
            raise ValidationError(_l("Choisissez un atelier de cet événement."))
        if field.data in self.full_workshops:
            raise ValidationError(_l("Cet atelier est complet : choisissez-en un autre."))

    def validate_access_needs(self, field):
        if any(value not in ACCESS_NEED for value in field.data or []):
            raise ValidationError(_l("Choisissez vos besoins dans la liste."))

    def validate_access_needs_details(self, field):
        if "other" in (self.access_needs.data or []) and not field.data:
            raise ValidationError(_l("Précisez votre besoin, puisque vous avez coché « Autre besoin »."))

    def validate_diets(self, field):
        if any(value not in DIET for value in field.data or []):
            raise ValidationError(_l("Choisissez votre régime dans la liste."))

    def validate_diet_details(self, field):
        if "other" in (self.diets.data or []) and not field.data:
            raise ValidationError(_l("Précisez votre régime, puisque vous avez coché « Autre régime »."))

    def validate_heard_from(self, field):
        if field.data and field.data not in HEARD_FROM:
            raise ValidationError(_l("Choisissez une réponse dans la liste."))

    def validate_consent_needs(self, field):
        if self.declares_needs() and not field.data:
            raise ValidationError(_l("Pour que nous tenions compte de vos besoins d'accessibilité, cochez cette "
                                     "case. Sinon, retirez les besoins déclarés."))
        if self.declares_health_diet() and not field.data:
            raise ValidationError(_l("Votre régime (sans gluten, adapté au diabète ou autre) est une donnée de santé : "
                                     "pour que nous en tenions compte, cochez cette case. Sinon, retirez-le."))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Pour vous inscrire, acceptez l'utilisation de vos données décrite dans la "
                                     "notice de confidentialité."))

    def declares_needs(self) -> bool:
        return bool(self.access_needs.data) or bool(self.access_needs_details.data)

    def declares_health_diet(self) -> bool:
        return any(diet in HEALTH_DIETS for diet in self.diets.data or [])


class NeedsForm(FlaskForm):
    """What a registrant may change through the manage link."""
    access_needs = RegistrationForm.access_needs
    access_needs_details = RegistrationForm.access_needs_details
    consent_needs = RegistrationForm.consent_needs
    diets = RegistrationForm.diets
    diet_details = RegistrationForm.diet_details
    travel_support = RegistrationForm.travel_support
    accommodation_support = RegistrationForm.accommodation_support

    validate_access_needs = RegistrationForm.validate_access_needs
    validate_access_needs_details = RegistrationForm.validate_access_needs_details
    validate_diets = RegistrationForm.validate_diets
    validate_diet_details = RegistrationForm.validate_diet_details
    validate_consent_needs = RegistrationForm.validate_consent_needs
    declares_needs = RegistrationForm.declares_needs
    declares_health_diet = RegistrationForm.declares_health_diet



class FeedbackForm(FlaskForm):
    """The questionnaire after the event (feedback.py). Every question but the comment is required."""
    usefulness = RadioField(_l("L'événement vous a-t-il été utile ?"), choices=SCORE.choices(),
                            validators=[InputRequired(_l("Dites si l'événement vous a été utile, de 1 à 5."))])
    accessibility = RadioField(_l("L'événement vous a-t-il été accessible (lieu, documents, échanges) ?"),
                               choices=SCORE.choices(),
                               validators=[InputRequired(_l("Dites si l'événement vous a été accessible, de 1 à 5."))])
    needs_met = RadioField(_l("Vos besoins ont-ils été pris en compte ?"), choices=NEEDS_MET.choices(),
                           validators=[InputRequired(_l("Dites si vos besoins ont été pris en compte."))])
    comment = TextAreaField(
        _l("Commentaire (facultatif)"), filters=[strip_filter, collapse_newlines],
        validators=[MaxLength(2000), PlainText(multiline=True)])
