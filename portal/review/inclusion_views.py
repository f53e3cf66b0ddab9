"""The inclusion report's pages: one event (whoever may view it), the whole plan and its targets (admins).

Coordinators read the report of each of their events; the plan's page adds up every event of the
ministry's plan and sets the targets, so it is the ministry's (admins only)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import SEE_HEALTH_DATA, VIEW, admin_required, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..i18n import format_percent
from ..params import parse_id
from ..registration.groups import GROUP
from .forms import TargetsForm
from .inclusion import event_targets, plan_events, plan_targets, report, set_targets

bp = Blueprint("inclusion", __name__, url_prefix="/review")


def _percent(value: int) -> str:
    """A share in the page's language (60 %, or 60% in Arabic)."""
    return format_percent(value / 100)


@bp.get("/events/<id:event_id>/inclusion")
@event_permission(VIEW)
def event_report(event):
    targets = event_targets(event.id)
    return render_template("review/inclusion_event.html", event=event, percent=_percent, groups=GROUP,
                           report=report([event.id], targets, may(current_user, SEE_HEALTH_DATA)))


@bp.get("/inclusion")
@admin_required
def plan_report():
    return _plan_page(TargetsForm(plan_events(), data=plan_targets()))


def _plan_page(form, status=200):
    events = plan_events()
    by_event = [(event, report([event.id], event_targets(event.id), True)) for event in events]
    return render_template("review/inclusion_plan.html", events=events, form=form, percent=_percent, groups=GROUP,
                           report=report([event.id for event in events], plan_targets(), True),
                           by_event=by_event), status


@bp.post("/inclusion/targets")
@admin_required
@writing()
def save_targets():
    """The targets of the plan or, when an event is chosen, that event's own."""
    form = TargetsForm(plan_events())
    if not form.validate():
        return _plan_page(form, 422)
    event_id = parse_id(form.event.data)  # "" (the plan) or one of the events: validated above
    set_targets(event_id, form.wanted(), current_user.id, utcnow())
    flash(_("Cibles enregistrées."), "success")
    return redirect(url_for("inclusion.plan_report"), 303)
