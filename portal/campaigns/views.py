"""Campaigns: compose (template + audience + files), preview for any recipient, send, follow."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.permissions import admin_required
from ..clock import utcnow
from ..database import writing
from ..directory.vocabularies import INSTITUTION_KIND
from ..events.vocabularies import PERSON_ROLE, PERSON_STATUS
from ..forms import ConfirmForm, choices
from ..geo.queries import all_regions
from ..htmx import is_htmx
from ..i18n import LANGUAGES, localized
from ..outbox import failures, progress
from ..registration.vocabularies import ACTIVE_STATUSES, BENEFIT, STATUS
from ..security import keep_private
from .audiences import Criteria, participants_without_address, recipients_of, without_address
from .forms import CampaignForm
from .invitations import campaign_invitations
from .operations import (
    WARN_ATTACHMENTS_BYTES,
    Refused,
    create_campaign,
    is_invitation,
    lacking_values,
    render_for,
    retry_campaign_failures,
    send,
    template_problems,
)
from .placeholders import MissingValues
from .queries import (
    all_events,
    all_templates,
    authors_of,
    campaign_by_id,
    event_by_id,
    recent_campaigns,
    template_by_id,
)
from .vocabularies import AUDIENCE, INVITATION_ANSWER

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
bp.after_request(keep_private)  # recipients' names and addresses


@bp.get("/")
@admin_required
def index():
    """The campaign log: who, when, to whom, how many."""
    campaigns = recent_campaigns()
    return render_template("campaigns/index.html", campaigns=campaigns, users=authors_of(campaigns),
                           progress={c.id: progress(c.batch_key) for c in campaigns}, audiences=AUDIENCE)


def _campaign_form() -> tuple[CampaignForm, object]:
    """The form with the choices of the moment, and the event chosen in it (or None)."""
    form = CampaignForm()
    if request.method == "GET":
        _prefill(form)
    form.template.choices = choices([("", _("Choisissez…"))] + [
        (str(t.id), f"{t.name} ({AUDIENCE.label(t.audience_kind)})") for t in all_templates()])
    none = _("Aucun (institutions sans événement, intervenants de tous les événements)")
    form.event.choices = choices([("", none)] + [
        (str(e.id), localized(e, "title")) for e in all_events()])
    form.status.choices = STATUS.choices(only=[s for s in STATUS if s != "cancelled"])
    form.benefit.choices = BENEFIT.choices()
    event = event_by_id(form.event.data)
    form.workshop.choices = choices((str(w.id), localized(w, "title")) for w in event.workshops) if event else []
    form.region.choices = choices((r.code, localized(r, "name")) for r in all_regions())
    form.kind.choices = INSTITUTION_KIND.choices()
    form.role.choices = PERSON_ROLE.choices()
    form.person_status.choices = PERSON_STATUS.choices()
    return form, event


def _prefill(form: CampaignForm) -> None:
    """Chosen by a link (?event=&template=, e.g. from an event whose date changed): that event,
    that template, and its registrants who hold or may get a seat."""
    event = event_by_id(request.args.get("event", ""))
    template = template_by_id(request.args.get("template", ""))
    if event is not None:
        form.event.data = str(event.id)
        form.status.data = list(ACTIVE_STATUSES)
    if template is not None:
        form.template.data = str(template.id)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
@writing()
def new():
    """Compose a campaign; it is only created here, never sent (the next page previews it)."""
    form, event = _campaign_form()
    if request.form.get("refresh"):  # the event changed: show its workshops, create nothing
        return render_template("campaigns/new.html", form=form)
    if request.form.get("event_regions"):  # one click: the regions of the chosen event, create nothing
        if event is None:
            form.event.errors = [_("Choisissez d'abord l'événement dont les régions sont à retenir.")]
            return render_template("campaigns/new.html", form=form), 422
        form.region.data = [region.code for region in event.regions]
        return render_template("campaigns/new.html", form=form, regions_of=event)
    if form.validate_on_submit():
        uploads = [f for f in request.files.getlist(form.attachments.name) if f and f.filename]
        files = [(f.filename, f.read()) for f in uploads]
        criteria = Criteria(statuses=form.status.data, workshops=form.workshop.data or [],
                            regions=form.region.data, kinds=form.kind.data, roles=form.role.data,
                            person_statuses=form.person_status.data, benefits=form.benefit.data or [],
                            language=form.people_language.data or "")
        try:
            campaign = create_campaign(template_by_id(form.template.data), event, criteria,
                                       form.include_ics.data, files, current_user.id)
        except Refused as refused:
            refused.show_on(form)
        else:
            return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)
    return render_template("campaigns/new.html", form=form), 422 if form.errors else 200


def _campaign_or_404(campaign_id):
    return campaign_by_id(campaign_id) or abort(404)


@bp.get("/<id:campaign_id>")
@admin_required
def show(campaign_id):
    """Recipients and a preview before sending; progress and failures after."""
    campaign = _campaign_or_404(campaign_id)
    recipients = recipients_of(campaign)
    chosen = request.args.get("preview") or (recipients[0].key if recipients else None)
    preview_recipient = next((r for r in recipients if r.key == chosen), recipients[0] if recipients else None)
    preview, preview_missing = None, []
    if preview_recipient:
        try:
            preview = render_for(campaign.template, preview_recipient)
        except MissingValues as missing:
            preview_missing = missing.names
    total = sum(a.size for a in campaign.attachments)
    state = progress(campaign.batch_key)
    return render_template(
        "campaigns/show.html", campaign=campaign, recipients=recipients, preview=preview,
        preview_recipient=preview_recipient, preview_missing=preview_missing,
        lacking=lacking_values(campaign.template, recipients), progress=state, step=_step(state),
        failures=failures(campaign.batch_key), form=ConfirmForm(), attachments_total=total,
        attachments_warning=total > WARN_ATTACHMENTS_BYTES, problems=template_problems(campaign.template),
        criteria=Criteria.parse(campaign.audience), status_labels=STATUS, benefit_labels=BENEFIT, kind_labels=INSTITUTION_KIND,
        role_labels=PERSON_ROLE, person_status_labels=PERSON_STATUS, language_labels=LANGUAGES,
        without_address=without_address(campaign), to_call=participants_without_address(campaign),
        invitations=campaign_invitations(campaign.id), answers=INVITATION_ANSWER, is_invitation=is_invitation(campaign))


@bp.post("/<id:campaign_id>/send")
@admin_required
@writing()
def send_campaign(campaign_id):
    """Queue the messages (again is harmless: nobody gets a second one). The button's CSRF token,
    its only field, is checked for every POST by CSRFProtect."""
    campaign = _campaign_or_404(campaign_id)
    try:
        queued = send(campaign.id, current_user.id, utcnow())
    except Refused:
        abort(409)  # the page said why and offered no button
    return _back_to(campaign, ngettext("%(num)d message mis en file d'envoi.", "%(num)d messages mis en file d'envoi.",
                                      queued))


def _back_to(campaign, message: str):
    flash(message, "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)


@bp.get("/<id:campaign_id>/progress")
@admin_required
def progress_panel(campaign_id):
    """The self-refreshing progress component (htmx polls it while messages are on their way)."""
    campaign = _campaign_or_404(campaign_id)
    state = progress(campaign.batch_key)
    announced = request.args.get("announced", "")
    step = _step(state)
    return render_template("campaigns/_progress.html", campaign=campaign, progress=state,
                           failures=failures(campaign.batch_key), form=ConfirmForm(), step=step,
                           announce=is_htmx() and step != announced)


def _step(state) -> str:
    """What is worth announcing: every quarter, and the end."""
    if state.finished:
        return "done"
    return str(state.percent // 25 * 25)


@bp.post("/<id:campaign_id>/retry")
@admin_required
@writing()
def retry(campaign_id):
    """Failed messages go back to the queue for a fresh series of attempts."""
    count = retry_campaign_failures(_campaign_or_404(campaign_id), utcnow())
    return _back_to(campaign_by_id(campaign_id), ngettext("%(num)d message en échec remis en file d'envoi.",
                                                             "%(num)d messages en échec remis en file d'envoi.", count))
