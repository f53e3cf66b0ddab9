"""Importing a list of people into an event (CSV or XLSX), all or nothing, as the directory's import:
every row is checked with the coordinators' registration form (the public form's rules, email
optional), duplicates are looked for in the file and in the event, the workshops' seat limits are
counted row by row; one problem anywhere and nothing is imported, the page says which row and why.
The rows imported are marked "imported" by the coordinator (consent given to them, as on paper).

Messages use gettext, not lazy_gettext: they quote what the file holds (see spreadsheets.py)."""
import re

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from ..geo.queries import province_choices
from ..i18n import default_language, localized
from ..registration.assisted import find_duplicate, normalize_phone, register_on_behalf
from ..registration.assisted_forms import AssistedRegistrationForm
from ..registration.operations import DuplicateRegistration, WorkshopFull
from ..registration.queries import normalize_email
from ..registration.seats import workshop_seats_taken
from ..registration.vocabularies import ACCESS_NEED, AGE_BAND, GENDER, LANGUAGE, ORGANIZATION_TYPE
from ..spreadsheets import RowError, SheetRefused, csv_template, header_of, read_upload, records_of, rows_of

MAX_ROWS = 2000
REPORT_LIMIT = 200
# The registration form's field names (an interface, see README), in the form's order.
COLUMNS = ("first_name", "last_name", "email", "phone", "gender", "age_band", "guardian_consent", "organization_type",
           "organization", "province", "city", "workshop", "language", "access_needs", "access_needs_details",
           "consent_needs", "travel_support", "accommodation_support", "consent")
REQUIRED_COLUMNS = ("first_name", "last_name", "gender", "age_band", "organization_type", "province", "city",
                    "workshop", "consent")
BOOLEAN_COLUMNS = ("guardian_consent", "consent_needs", "travel_support", "accommodation_support", "consent")
CHOICE_COLUMNS = {"gender": GENDER, "age_band": AGE_BAND, "organization_type": ORGANIZATION_TYPE, "language": LANGUAGE}
YES = {"oui", "o", "yes", "y", "x", "1", "vrai", "true", "نعم"}
NO = {"", "non", "n", "no", "0", "faux", "false", "لا"}
_SHORT_PROVINCE = re.compile(r"^\d\.\d{3}$")
# A mobile number typed in a spreadsheet cell loses its leading zero (0612345678 → 612345678).
_PHONE_WITHOUT_ZERO = re.compile(r"^[5-7]\d{8}$")


def read_list(storage) -> bytes:
    return read_upload(storage, _("Choisissez un fichier CSV ou XLSX non vide."))


def template_csv(event) -> str:
    workshop = event.workshops[0].title_fr if event.workshops else ""
    example = ("Fatima", "Benali", "", "06 12 34 56 78", "female", "35_49", "", "association", "Association Amal",
               "02.411", "Oujda", workshop, "ar", "wheelchair", "", "oui", "oui", "non", "oui")
    return csv_template(COLUMNS, example)


def columns_help() -> list[tuple[str, bool, str]]:
    """(column, required, what it holds) for the import page."""
    def values(vocabulary):
        return ", ".join(f"{value} ({vocabulary[value]})" for value in vocabulary)
    yes_no = _("oui ou non (vide : non).")
    return [
        ("first_name", True, _("Le prénom.")), ("last_name", True, _("Le nom.")),
        ("email", False, _("L'adresse e-mail ; sans elle, le téléphone est obligatoire. Avec elle, la personne "
                           "reçoit l'accusé de réception et son lien de gestion.")),
        ("phone", False, _("Le téléphone (obligatoire sans adresse e-mail).")),
        ("gender", True, values(GENDER)), ("age_band", True, values(AGE_BAND)),
        ("guardian_consent", False, _("Moins de 18 ans : l'accord d'un parent ou du tuteur légal, oui ou non.")),
        ("organization_type", True, values(ORGANIZATION_TYPE)),
        ("organization", False, _("Le nom de l'organisation (vide pour « %(individual)s »).",
                                  individual=ORGANIZATION_TYPE["individual"])),
        ("province", True, _("Le code HCP de la province ou préfecture de résidence (par exemple 02.411 pour "
                             "Oujda-Angad), ou son nom.")),
        ("city", True, _("La ville ou commune.")),
        ("workshop", True, _("Le titre de l'atelier, tel qu'il est écrit sur la page de l'événement.")),
        ("language", False, _("La langue des messages, par son code : %(codes)s (%(default)s si la cellule est vide).",
                              codes=", ".join(LANGUAGE), default=default_language())),
        ("access_needs", False, _("Les besoins d'accessibilité, séparés par des points-virgules : %(values)s.",
                                  values=values(ACCESS_NEED))),
        ("access_needs_details", False, _("Précisions sur les besoins.")),
        ("consent_needs", False, _("Consentement oral au traitement des besoins déclarés : oui (obligatoire quand "
                                   "des besoins sont déclarés).")),
        ("travel_support", False, yes_no), ("accommodation_support", False, yes_no),
        ("consent", True, _("Consentement oral à la notice de confidentialité : oui.")),
    ]


class _Lookups:
    """What a cell may say for a province or a workshop (code, id, or name in either language)."""

    def __init__(self, event):
        self.provinces = {}
        for language in ("ar", "fr"):
            for choice in province_choices(language=language):
                self.provinces[choice.value.lower()] = choice.value
                self.provinces[str(choice.label).strip().lower()] = choice.value
        self.workshops = {}
        for workshop in event.workshops:
            for text in (str(workshop.id), workshop.title_fr, localized(workshop, "title", "ar")):
                if text:
                    self.workshops[text.strip().lower()] = str(workshop.id)
        self.seats_left = {str(w.id): (w.seat_limit - workshop_seats_taken(w.id)) if w.seat_limit is not None else None
                           for w in event.workshops}


def _formdata(values: dict, lookups: _Lookups) -> tuple[MultiDict | None, RowError | None]:
    pairs = []
    for name, text in values.items():
        if name in BOOLEAN_COLUMNS:
            if text.lower() in YES:
                pairs.append((name, "y"))
            elif text.lower() not in NO:
                return None, _("écrivez oui ou non.")
        elif name in CHOICE_COLUMNS:
            if not text:
                continue
            vocabulary = CHOICE_COLUMNS[name]
            by_label = {str(vocabulary[value]).lower(): value for value in vocabulary}
            pairs.append((name, text.lower() if text.lower() in vocabulary else by_label.get(text.lower(), text)))
        elif name == "province":
            code = "0" + text if _SHORT_PROVINCE.match(text) else text
            pairs.append((name, lookups.provinces.get(code.lower(), code)))
        elif name == "workshop":
            pairs.append((name, lookups.workshops.get(text.lower(), text)))
        elif name == "access_needs":
            pairs.extend((name, need.strip().lower()) for need in re.split(r"[;,]", text) if need.strip())
        elif name == "phone" and _PHONE_WITHOUT_ZERO.match(text):
            pairs.append((name, "0" + text))
        else:
            pairs.append((name, text))
    if "language" not in values or not values["language"]:
        pairs.append(("language", default_language()))
    return MultiDict(pairs), None


def check_list(event, data: bytes, language: str) -> tuple[list, list[RowError]]:
    """(the rows' forms, ready to import, the errors): import only when there is no error."""
    records = records_of(data, MAX_ROWS, ngettext("Le fichier compte plus de %(num)d personne : découpez-le en "
                                                  "plusieurs fichiers.",
                                                  "Le fichier compte plus de %(num)d personnes : découpez-le en "
                                                  "plusieurs fichiers.", MAX_ROWS))
    if not records:
        raise SheetRefused(_("Choisissez un fichier CSV ou XLSX non vide."))
    header = header_of(records[0], COLUMNS, REQUIRED_COLUMNS)
    lookups, seen, forms, errors = _Lookups(event), {}, [], []
    for number, values in rows_of(records, header):
        if values is None:
            errors.append(RowError(number, "—", _("Cette ligne a plus de cellules que l'en-tête de colonnes.")))
            continue
        formdata, problem = _formdata(values, lookups)
        if problem:
            column = next(n for n in BOOLEAN_COLUMNS if values.get(n, "").lower() not in YES | NO)
            errors.append(RowError(number, column, problem))
            continue
        form = AssistedRegistrationForm(event, language, formdata=formdata, meta={"csrf": False})
        if not form.validate():
            errors.extend(RowError(number, field.name, field.errors[0]) for field in form if field.errors)
            continue
        email, phone = form.email.data or "", form.phone.data or ""
        key = ("email", normalize_email(email)) if email else ("phone", normalize_phone(phone))
        column = "email" if email else "phone"
        if key in seen:
            errors.append(RowError(number, column, _("Doublon : la même personne est déjà à la ligne %(row)d "
                                                     "(même %(what)s).", row=seen[key],
                                                     what=_("adresse e-mail") if email else _("téléphone"))))
            continue
        seen[key] = number
        existing = find_duplicate(event.id, email, phone)
        if existing is not None:
            errors.append(RowError(number, column, _("Doublon : déjà inscrite à cet événement (%(name)s, référence "
                                                     "%(reference)s).", name=existing.full_name,
                                                     reference=existing.reference)))
            continue
        left = lookups.seats_left[form.workshop.data]
        if left is not None:
            if left <= 0:
                errors.append(RowError(number, "workshop", _("Cet atelier n'a plus de place pour cette ligne.")))
                continue
            lookups.seats_left[form.workshop.data] = left - 1
        forms.append(form)
    if not forms and not errors:
        raise SheetRefused(_("Le fichier ne contient aucune personne (seulement l'en-tête)."))
    return forms, errors


def import_rows(event, forms, coordinator, now) -> int:
    """Register every checked row, marked imported by the coordinator; inside the caller's writing()
    (a refusal here, from a change made since the check, rolls everything back)."""
    for form in forms:
        try:
            register_on_behalf(event, form, coordinator, now, channel="imported")
        except (DuplicateRegistration, WorkshopFull):
            raise SheetRefused(_("La liste a changé pendant l'import (une place ou une inscription) : rien n'a été "
                                 "importé. Envoyez le fichier à nouveau."), status=409)
    return len(forms)
