"""The institution form. Its field names are the CSV columns, so a CSV row is checked by the same
form (and the same messages) as the screen: one set of rules for both ways in."""
import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..bidi import join_list
from ..forms import MaxLength, PlainText, choices, collapse_newlines, strip_filter
from ..geo.queries import all_regions, province_choices
from ..i18n import LANGUAGES, localized
from .vocabularies import INSTITUTION_KIND

MAX_EMAILS = 20
# Addresses are split on line breaks, spaces, ";" and ",": none of them can occur in an address
# email-validator accepts, so a CR/LF can never reach a mail header.
_EMAIL_SEPARATORS = re.compile(r"[\s;,]+")


@dataclass
class GeoChoices:
    """Regions and provinces read once per request (a CSV import checks thousands of rows)."""
    regions: list
    provinces: list
    province_region: dict[str, str]

    @classmethod
    def load(cls) -> "GeoChoices":
        provinces = province_choices()
        regions = choices((r.code, localized(r, "name")) for r in all_regions())
        return cls(regions, provinces, {c.value: c.value.split(".")[0] for c in provinces})


def parse_emails(text: str) -> tuple[list[str], list[str]]:
    """(valid addresses normalised and without duplicates, refused values)."""
    kept, seen, refused = [], set(), []
    for value in _EMAIL_SEPARATORS.split(text or ""):
        if not value:
            continue
        try:
            address = validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError:
            refused.append(value)
            continue
        if address.lower() not in seen:
            seen.add(address.lower())
            kept.append(address)
    return kept, refused


def _text(label, max_length, required=False):
    validators = [MaxLength(max_length), PlainText()]
    if required:
        validators.insert(0, DataRequired(_l("Ce champ est obligatoire.")))
    return StringField(label, filters=[strip_filter], validators=validators)


class InstitutionForm(FlaskForm):
    # Messages that quote a value use gettext, never lazy_gettext: a lazy string passes for safe
    # markup (it has __html__), so Jinja would not escape what it quotes.
    kind = SelectField(_l("Type d'institution"), validate_choice=False)
    name_fr = _text(_l("Nom en français"), 200, required=True)
    name_ar = _text(_l("Nom en arabe (facultatif)"), 200)
    region_code = SelectField(_l("Région (facultatif)"), validate_choice=False, filters=[strip_filter])
    province_code = SelectField(_l("Province ou préfecture (facultatif)"), validate_choice=False,
                                filters=[strip_filter])
    emails = TextAreaField(_l("Adresses e-mail"), filters=[strip_filter, collapse_newlines],
                           validators=[MaxLength(6000), PlainText(multiline=True)])
    contact_name = _text(_l("Personne de contact (facultatif)"), 200)
    contact_title = _text(_l("Fonction de la personne de contact (facultatif)"), 200)
    salutation = _text(_l("Formule d'appel des lettres (facultatif)"), 200)
    language = RadioField(_l("Langue des messages"), default="fr", validate_choice=False,
                          choices=LANGUAGES.choices)
    notes = TextAreaField(_l("Notes internes (facultatif)"), filters=[strip_filter, collapse_newlines],
                          validators=[MaxLength(2000), PlainText(multiline=True)])

    def __init__(self, *args, geo: GeoChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.geo = geo
        self.kind.choices = choices([("", _l("Choisissez…"))]) + INSTITUTION_KIND.choices()
        self.region_code.choices = choices([("", _l("Non précisée"))]) + geo.regions
        self.province_code.choices = choices([("", _l("Non précisée"))]) + geo.provinces
        self.addresses: list[str] = []

    def validate_kind(self, field):
        if not field.data:
            raise ValidationError(_("Choisissez le type d'institution."))
        if field.data not in INSTITUTION_KIND:
            raise ValidationError(_("Type d'institution inconnu ; valeurs possibles : %(kinds)s.",
                                    kinds=join_list(INSTITUTION_KIND)))

    def validate_region_code(self, field):
        if field.data and field.data not in {choice.value for choice in self.geo.regions}:
            raise ValidationError(_("Région inconnue : indiquez un code HCP de région, par exemple 02."))

    def validate_province_code(self, field):
        if not field.data:
            return
        region = self.geo.province_region.get(field.data)
        if region is None:
            raise ValidationError(_("Province inconnue : indiquez un code HCP de province ou de préfecture, "
                                     "par exemple 02.411."))
        if self.region_code.data and region != self.region_code.data:
            raise ValidationError(_("Cette province n'appartient pas à la région choisie."))

    def validate_emails(self, field):
        addresses, refused = parse_emails(field.data)
        if refused:
            shown = refused[:5]
            raise ValidationError(ngettext("Adresse e-mail non valide : %(values)s.",
                                           "Adresses e-mail non valides : %(values)s.", len(shown),
                                           values=join_list(value[:80] for value in shown)))
        if not addresses:
            raise ValidationError(_("Indiquez au moins une adresse e-mail."))
        if len(addresses) > MAX_EMAILS:
            raise ValidationError(ngettext("%(num)d adresse au maximum.", "%(num)d adresses au maximum.", MAX_EMAILS))
        self.addresses = addresses

    def validate_language(self, field):
        if field.data not in LANGUAGES:
            raise ValidationError(_("Choisissez la langue, par son code : %(codes)s.", codes=", ".join(LANGUAGES)))

    def values(self) -> dict:
        """The cleaned values, ready for the model (the region follows from the province)."""
        province = self.province_code.data or None
        return {
            "kind": self.kind.data, "name_fr": self.name_fr.data, "name_ar": self.name_ar.data or "",
            "region_code": self.geo.province_region[province] if province else (self.region_code.data or None),
            "province_code": province, "contact_name": self.contact_name.data or "",
            "contact_title": self.contact_title.data or "", "salutation": self.salutation.data or "",
            "language": self.language.data,
            "notes": self.notes.data or "", "emails": self.addresses,
        }


class ImportForm(FlaskForm):
    file = FileField(_l("Fichier CSV"))
