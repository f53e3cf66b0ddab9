"""The accessibility plan of an event: who may see health data reads it (observers: 403), who may
decide ticks its lines. Plain forms: every button works without JavaScript."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import DECIDE, SEE_HEALTH_DATA, event_permission
from ..clock import utcnow
from ..database import writing
from ..forms import ConfirmForm, Refused
from .accessibility import ACTION_KEYS, mark, plan

bp = Blueprint("accessibility", __name__, url_prefix="/review")


@bp.get("/events/<id:event_id>/accessibility")
@event_permission(SEE_HEALTH_DATA)
def plan_page(event):
    return render_template("review/accessibility_plan.html", event=event, lines=plan(event.id), form=ConfirmForm())


@bp.post("/events/<id:event_id>/accessibility/actions")
@event_permission(DECIDE)  # every role that may decide may see health data (observers neither)
@writing()
def tick(event):
    """Tick one line done (done=1) or undo it (done=0)."""
    if ConfirmForm().validate():
        key, done = request.form.get("action", ""), request.form.get("done") == "1"
        try:
            mark(event.id, key, done, current_user.id, utcnow())
        except Refused as refused:
            flash(str(refused.problems["action"][0]), "error")
        else:
            label = ACTION_KEYS[key].todo
            flash(_("Action faite : %(action)s.", action=label) if done
                  else _("Action remise à faire : %(action)s.", action=label), "success")
    return redirect(url_for("accessibility.plan_page", event_id=event.id), 303)
