"""The support screen of an event (admins): the travel and accommodation rules, and the zones of
the provinces relative to the venue, with the form that moves one province to another zone."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import ADMINISTER, event_permission
from ..clock import utcnow
from ..database import writing
from ..events.support import DEFAULT_RULES, move_province, provinces_by_zone, published_support, rules_of, save_rules
from ..events.support_forms import SupportRulesForm, ZoneOverrideForm, rules_form_data
from ..events.vocabularies import TRAVEL_ZONE
from ..forms import Refused, choices
from ..geo.queries import province_choices
from ..params import parse_int
from .blueprint import bp


def _override_form() -> ZoneOverrideForm:
    form = ZoneOverrideForm()
    form.province_code.choices = choices([("", _("Choisissez…"))]) + province_choices()
    return form




def _page(event, rules_form, override_form, status=200):
    return render_template(
        "organizing/support.html", event=event, form=rules_form, override_form=override_form,
        saved=rules_of(event.id) is not None, zones=provinces_by_zone(event), TRAVEL_ZONE=TRAVEL_ZONE,
        summary=published_support(event), section="support"), status


@bp.route("/events/<id:event_id>/support", methods=["GET", "POST"])
@event_permission(ADMINISTER)
@writing()
def support(event):
    """Which zones get travel or accommodation (and how many nights), the cap, the priority."""
    form = SupportRulesForm(data=None if request.method == "POST" else rules_form_data(rules_of(event.id),
                                                                                          DEFAULT_RULES))
    if form.validate_on_submit():
        try:
            save_rules(event, form.values(), current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Règles de prise en charge enregistrées."), "success")
            return redirect(url_for("organizing.support", event_id=event.id), 303)
    return _page(event, form, _override_form(), 422 if form.errors else 200)


@bp.post("/events/<id:event_id>/support/zones")
@event_permission(ADMINISTER)
@writing()
def move_zone(event):
    """Put one province in another zone for this event (or back in its default zone)."""
    form = _override_form()
    if form.validate_on_submit():
        zone = parse_int(form.zone.data, 0, 3) if form.zone.data else None
        try:
            move_province(event, form.province_code.data or "", zone)
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Zone de la province enregistrée pour cet événement."), "success")
            return redirect(url_for("organizing.support", event_id=event.id) + "#zones-title", 303)
    rules_form = SupportRulesForm(data=rules_form_data(rules_of(event.id), DEFAULT_RULES), formdata=None)
    return _page(event, rules_form, form, 422 if form.errors else 200)
