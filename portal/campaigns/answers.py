"""The page behind an invitation's link: the institution answers (no account needed), once."""
from flask import Blueprint, abort, render_template, request

from ..clock import utcnow
from ..database import writing
from ..extensions import limiter
from ..i18n import localized
from ..security import keep_private
from .forms import InvitationAnswerForm
from .invitations import AlreadyAnswered, Expired, find_invitation, record_answer
from .vocabularies import INVITATION_ANSWER

bp = Blueprint("invitations", __name__, url_prefix="/invitations")
bp.after_request(keep_private)  # the URL is the key


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@writing()
def answer(token):
    """GET shows the invitation and the form; POST records the answer, once, before the link expires."""
    invitation = find_invitation(token, lock=request.method == "POST") or abort(404)
    form = InvitationAnswerForm()
    now, status, state = utcnow(), 200, None
    if invitation.answer is not None:
        state = "answered"
    elif now >= invitation.expires_at:
        state = "expired"
    if request.method == "POST" and state is None:
        if form.validate_on_submit():
            try:
                record_answer(invitation, form.answer.data, form.delegate_name.data, form.delegate_title.data, now)
            except (AlreadyAnswered, Expired):  # pragma: no cover (checked above, under the lock)
                abort(409)
            state = "recorded"
        else:
            status = 422
    elif request.method == "POST":
        status = 409 if state == "answered" else 410
        state = "already" if state == "answered" else state
    return render_template("invitations/answer.html", invitation=invitation, event=invitation.event,
                           institution_name=localized(invitation.institution, "name"), form=form, state=state,
                           answers=INVITATION_ANSWER), status
