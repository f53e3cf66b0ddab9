"""The private manage link: view one's registration, update needs, cancel, download or erase it.
No account needed."""
import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..clock import utcnow
from ..database import writing
from ..forms import ConfirmForm, Refused
from ..security import keep_private
from ..security_log import security_event
from .erasure import erase
from .feedback import FEEDBACK_DAYS, answer_of, closes_on, give_feedback, may_answer, opens_on, period
from .forms import FeedbackForm, NeedsForm
from .grants import decided_support
from .links import registration_by_token
from .operations import cancel, personal_data, update_needs

bp = Blueprint("manage", __name__, url_prefix="/manage")


def _registration_or_404(token):
    return registration_by_token(token, utcnow()) or abort(404)


bp.after_request(keep_private)  # the URL is the key

_SECTIONS = "registration.manage_sections"


def add_manage_section(app, section) -> None:
    """A package above adds a section to the manage page: `section(registration, token)` gives
    {"title", "text", "url", "label"} (a link to its own page under /manage/<token>/), or None."""
    app.extensions.setdefault(_SECTIONS, []).append(section)


def _sections(registration, token) -> list[dict]:
    found = (section(registration, token) for section in current_app.extensions.get(_SECTIONS, []))
    return [section for section in found if section]


@bp.get("/<token>")
def show(token):
    """Everything the person entered, with a form to update needs and a way to cancel."""
    registration = _registration_or_404(token)
    form = NeedsForm(obj=registration)
    form.consent_needs.data = registration.consent_needs_at is not None
    return render_template("registration/manage.html", registration=registration, form=form, token=token,
                           support=decided_support(registration), sections=_sections(registration, token))


@bp.post("/<token>")
@writing()
def update(token):
    registration = _registration_or_404(token)
    form = NeedsForm()
    if registration.status == "cancelled":
        abort(409)
    if not form.validate():
        return render_template("registration/manage.html", registration=registration, form=form, token=token,
                               support=decided_support(registration), sections=_sections(registration, token)), 422
    update_needs(registration, form, utcnow())
    flash(_("Vos besoins ont été mis à jour."), "success")
    return redirect(url_for("manage.show", token=token), 303)


@bp.route("/<token>/cancel", methods=["GET", "POST"])
@writing()
def cancel_registration(token):
    """GET asks for confirmation; POST cancels and frees the seat."""
    form = ConfirmForm()
    registration = _registration_or_404(token)
    if form.validate_on_submit():
        cancel(registration, utcnow())  # a second click finds it cancelled and changes nothing
        flash(_("Votre inscription est annulée. Un e-mail vous le confirme."), "success")
        return redirect(url_for("manage.show", token=token), 303)
    return render_template("registration/cancel.html", registration=registration, form=form, token=token)


@bp.get("/<token>/data.json")
def download(token):
    """The person's own copy of everything kept about this registration."""
    registration = _registration_or_404(token)
    body = json.dumps(personal_data(registration), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="inscription-{registration.reference}.json"'})


@bp.route("/<token>/erase", methods=["GET", "POST"])
@writing()
def erase_registration(token):
    """GET asks for confirmation; POST deletes the registration and all its data for good."""
    form = ConfirmForm()
    registration = _registration_or_404(token)
    if form.validate_on_submit():
        reference = registration.reference
        erase(registration, utcnow())  # a freed seat is offered to the waiting list
        security_event("erasure", by="registrant", reference=reference)
        return render_template("registration/erased.html")
    return render_template("registration/erase.html", registration=registration, form=form, token=token)


@bp.route("/<token>/feedback", methods=["GET", "POST"])
@writing()
def feedback(token):
    """The questionnaire after the event: open from the event's date until FEEDBACK_DAYS after it,
    for approved participants. The answer is stored apart from the registration (feedback.py)."""
    registration = _registration_or_404(token)
    answer = answer_of(token)
    state = period(registration.event, utcnow())
    if not may_answer(registration):
        state = "not_participant"
    elif registration.feedback_given and answer is None:
        state = "answered_elsewhere"
    if request.method == "GET":
        form = FeedbackForm(data={"usefulness": str(answer.usefulness), "accessibility": str(answer.accessibility),
                                  "needs_met": answer.needs_met, "comment": answer.comment} if answer else None)
        return _feedback_page(registration, token, form, state, answer)
    form = FeedbackForm()
    if state != "open":
        return _feedback_page(registration, token, form, state, answer, 409)
    if not form.validate():
        return _feedback_page(registration, token, form, state, answer, 422)
    try:
        give_feedback(registration, token, {name: form[name].data for name in
                                            ("usefulness", "accessibility", "needs_met", "comment")}, utcnow())
    except Refused as refused:
        problems = refused.show_on(form)
        return _feedback_page(registration, token, form, state, answer, 409, problems=problems)
    flash(_("Merci : votre réponse est enregistrée, sans lien avec votre inscription.") if answer is None
          else _("Votre réponse est modifiée."), "success")
    return redirect(url_for("manage.feedback", token=token), 303)


def _feedback_page(registration, token, form, state, answer, status=200, problems=()):
    event = registration.event
    return render_template("registration/feedback.html", registration=registration, event=event, token=token,
                           form=form, state=state, answer=answer, problems=problems, opens_on=opens_on(event),
                           closes_on=closes_on(event), days=FEEDBACK_DAYS), status
