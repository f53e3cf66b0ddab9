"""The support decisions of an event (coordinators of the event and admins: DECIDE): the grants
proposed from the rules to the approved participants, confirmed in bulk or overridden one by one
with a reason. Observers have no access (403): the room's reason is health-derived."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.permissions import DECIDE, SEE_HEALTH_DATA, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..events.support import rules_of
from ..events.vocabularies import TRAVEL_ZONE
from ..extensions import db
from ..forms import ConfirmForm, Refused
from ..params import parse_id, parse_int
from ..registration.grants import confirm_proposals, event_grants, override_grant
from ..registration.models import Registration
from ..registration.vocabularies import GRANT_STATUS, ROOM, TRAVEL_MODE
from .blueprint import bp
from .forms import GrantOverrideForm


def _page(event, override_form=None, status=200):
    grants = event_grants(event)
    if override_form is None:
        override_form = GrantOverrideForm(formdata=None)
    override_form.set_people(grants or [])
    return render_template(
        "organizing/grants.html", event=event, grants=grants, rules=rules_of(event.id),
        confirm_form=ConfirmForm(), override_form=override_form, GRANT_STATUS=GRANT_STATUS, ROOM=ROOM, TRAVEL_MODE=TRAVEL_MODE,
        TRAVEL_ZONE=TRAVEL_ZONE, see_health=may(current_user, SEE_HEALTH_DATA),
        proposed=sum(1 for grant in grants or [] if grant.status == "proposed"), section="grants"), status


@bp.get("/events/<id:event_id>/grants")
@event_permission(DECIDE)
def grants(event):
    """Who gets travel and accommodation, computed now from the rules and the approvals."""
    return _page(event)


@bp.post("/events/<id:event_id>/grants/confirm")
@event_permission(DECIDE)
@writing()
def confirm_grants(event):
    """Confirm every proposal as it stands."""
    if not ConfirmForm().validate_on_submit():
        return _page(event, status=400)
    count = confirm_proposals(event, current_user.id, utcnow())
    flash(ngettext("%(num)d prise en charge confirmée.", "%(num)d prises en charge confirmées.", count), "success")
    return redirect(url_for("organizing.grants", event_id=event.id), 303)


@bp.post("/events/<id:event_id>/grants/override")
@event_permission(DECIDE)
@writing()
def override_support(event):
    """Set one approved person's support by hand, with a reason (kept in their history)."""
    form = GrantOverrideForm()
    form.set_people(event_grants(event) or [])
    if form.validate_on_submit():
        registration_id = parse_id(form.registration_id.data or "")
        registration = db.session.get(Registration, registration_id) if registration_id else None
        try:
            if registration is None or registration.event_id != event.id:
                raise Refused({"registration_id": [_("Choisissez une personne de la liste.")]})
            override_grant(event, registration, bool(form.travel.data), parse_int(form.nights.data or "", 0, 99),
                           form.reason.data or "", current_user.id, utcnow(), form.mode.data or "")
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Prise en charge modifiée pour %(name)s.", name=registration.full_name), "success")
            return redirect(url_for("organizing.grants", event_id=event.id), 303)
    return _page(event, form, 422)
