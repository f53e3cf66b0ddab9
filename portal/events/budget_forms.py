"""The forms of the cost estimate: the unit costs (one field per COST_ITEM) and a line by hand."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..forms import MaxLength
from .budget import MAX_AMOUNT, MAX_QUANTITY
from .vocabularies import COST_ITEM

_AMOUNT = _l("Indiquez un montant entier entre 0 et %(max)d MAD.", max=MAX_AMOUNT)


class UnitCostsForm(FlaskForm):
    """Every unit cost, empty when not set (for an event: the plan's price applies)."""

    def amounts(self) -> dict[str, int | None]:
        return {item: self[item].data for item in COST_ITEM}


for _item, _label in COST_ITEM.items():
    setattr(UnitCostsForm, _item, IntegerField(_label, validators=[
        Optional(), NumberRange(min=0, max=MAX_AMOUNT, message=_AMOUNT)]))


class OtherCostForm(FlaskForm):
    label_fr = StringField(_l("Intitulé (français)"), validators=[
        InputRequired(_l("Indiquez l'intitulé en français.")), MaxLength(200)])
    label_ar = StringField(_l("Intitulé (arabe)"), validators=[Optional(), MaxLength(200)])
    quantity = IntegerField(_l("Quantité"), validators=[
        InputRequired(_l("Indiquez la quantité.")),
        NumberRange(min=0, max=MAX_QUANTITY, message=_l("Indiquez une quantité entre 0 et %(max)d.", max=MAX_QUANTITY))])
    unit_cost = IntegerField(_l("Coût unitaire (MAD)"), validators=[
        InputRequired(_l("Indiquez le coût unitaire.")), NumberRange(min=0, max=MAX_AMOUNT, message=_AMOUNT)])
