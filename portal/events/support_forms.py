"""The admins' forms of an event's support: the rules, and moving one province to another zone.
The province choices (a table) are set by the view."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..forms import MultiCheckboxField, choices
from .support import MAX_CAP, MAX_NIGHTS
from .vocabularies import SUPPORT_PRIORITY, TRAVEL_ZONE


def _priority(label):
    return SelectField(label, choices=SUPPORT_PRIORITY.choices())


class SupportRulesForm(FlaskForm):
    travel_zones = MultiCheckboxField(_l("Déplacement pris en charge pour les zones"), choices=TRAVEL_ZONE.choices())
    accommodation_zones = MultiCheckboxField(_l("Hébergement pris en charge pour les zones"),
                                             choices=TRAVEL_ZONE.choices())
    nights = IntegerField(_l("Nombre de nuits d'hébergement"), validators=[
        InputRequired(_l("Indiquez un nombre de nuits (0 : pas d'hébergement).")),
        NumberRange(min=0, max=MAX_NIGHTS, message=_l(
            "Indiquez un nombre de nuits entre 0 et %(max)d (0 : pas d'hébergement).", max=MAX_NIGHTS))])
    cap = IntegerField(_l("Nombre maximum de bénéficiaires (facultatif)"), validators=[
        Optional(), NumberRange(min=1, max=MAX_CAP, message=_l(
            "Le plafond est d'au moins 1 bénéficiaire ; laissez le champ vide pour ne pas "
            "limiter le nombre de bénéficiaires."))])
    priority_1 = _priority(_l("En premier"))
    priority_2 = _priority(_l("Ensuite"))
    priority_3 = _priority(_l("Enfin"))

    def values(self) -> dict:
        return {"travel_zones": self.travel_zones.data or [], "accommodation_zones": self.accommodation_zones.data or [],
                "nights": self.nights.data, "cap": self.cap.data,
                "priority": [self.priority_1.data, self.priority_2.data, self.priority_3.data]}


def rules_form_data(rules, defaults: dict) -> dict:
    """The form's values read from the saved rules, or the defaults when none were saved."""
    if rules is None:
        travel, accommodation, nights, cap, priority = (defaults["travel_zones"], defaults["accommodation_zones"],
                                                        defaults["nights"], defaults["cap"], defaults["priority"])
    else:
        travel, accommodation, nights, cap, priority = (rules.travel, rules.accommodation, rules.nights, rules.cap,
                                                        rules.priorities)
    data = {"travel_zones": [str(z) for z in travel], "accommodation_zones": [str(z) for z in accommodation],
            "nights": nights, "cap": cap}
    data.update({f"priority_{i}": value for i, value in enumerate(priority, start=1)})
    return data


class ZoneOverrideForm(FlaskForm):
    province_code = SelectField(_l("Province ou préfecture"), validate_choice=False)
    zone = SelectField(_l("Zone pour cet événement"), choices=choices(
        [("", _l("Zone par défaut (données de référence)"))]) + TRAVEL_ZONE.choices())
