"""Campaigns: compose (template + audience + files), preview for any recipient, send, follow."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import User
from ..accounts.permissions import admin_required
from ..database import begin_write
from ..directory.forms import KIND_LABELS
from ..directory.models import INSTITUTION_KINDS
from ..events.models import Event
from ..events.queries import utcnow
from ..extensions import db
from ..forms import choices
from ..geo.queries import all_regions
from ..htmx import is_htmx
from ..i18n import localized
from ..outbox.worker import wake_worker
from ..registration.models import STATUSES
from ..review.labels import STATUS_LABELS
from ..security import keep_private
from .audiences import Criteria, recipients_of
from .forms import AUDIENCE_LABELS, CampaignForm, ConfirmForm
from .models import Campaign, CampaignAttachment, MessageTemplate
from .operations import (
    MAX_ATTACHMENTS_BYTES,
    WARN_ATTACHMENTS_BYTES,
    failures,
    progress,
    render_for,
    retry_failed,
    send,
    template_problems,
)

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
bp.after_request(keep_private)  # recipients' names and addresses


@bp.get("/")
@admin_required
def index():
    """The campaign log: who, when, to whom, how many."""
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(200)).all()
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({c.sent_by for c in campaigns} | {c.created_by for c in campaigns})))}
    return render_template("campaigns/index.html", campaigns=campaigns, users=users,
                           progress={c.id: progress(c) for c in campaigns}, audiences=AUDIENCE_LABELS)


def _campaign_form():
    form = CampaignForm()
    templates = db.session.scalars(select(MessageTemplate).order_by(MessageTemplate.name)).all()
    events = db.session.scalars(select(Event).order_by(Event.starts_on)).all()
    form.template.choices = choices([("", _("Choisissez…"))] + [
        (str(t.id), f"{t.name} ({AUDIENCE_LABELS[t.audience_kind]})") for t in templates])
    form.event.choices = choices([("", _("Aucun (invitations sans événement)"))] + [
        (str(e.id), localized(e, "title")) for e in events])
    form.status.choices = choices((s, STATUS_LABELS[s]) for s in STATUSES if s != "cancelled")
    chosen_event = db.session.get(Event, int(form.event.data)) if (form.event.data or "").isdigit() else None
    form.workshop.choices = choices((str(w.id), localized(w, "title")) for w in chosen_event.workshops) \
        if chosen_event else []
    form.region.choices = choices((r.code, localized(r, "name")) for r in all_regions())
    form.kind.choices = choices((k, KIND_LABELS[k]) for k in INSTITUTION_KINDS)
    return form, {str(t.id): t for t in templates}, chosen_event


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    form, templates, event = _campaign_form()
    if request.form.get("refresh"):  # the event changed: show its workshops, create nothing
        return render_template("campaigns/new.html", form=form)
    if form.validate_on_submit():
        template = templates.get(form.template.data)
        files = [f for f in request.files.getlist(form.attachments.name) if f and f.filename]
        datas = [(f.filename[-200:], f.mimetype or "application/octet-stream", f.read()) for f in files]
        total = sum(len(data) for *_, data in datas)
        if template is None:
            form.template.errors.append(_("Choisissez un modèle de la liste."))
        elif template.audience_kind == "participants" and event is None:
            form.event.errors.append(_("Choisissez l'événement dont les participants recevront le message."))
        if total > MAX_ATTACHMENTS_BYTES:
            form.attachments.errors.append(_("Les pièces jointes dépassent 5 Mo en tout (%(size)s Mo).",
                                             size=f"{total / 1e6:.1f}"))
        if not form.errors:
            begin_write()
            criteria = Criteria(statuses=_known(form.status.data, STATUSES), workshops=form.workshop.data or [],
                                regions=_known(form.region.data, {r.code for r in all_regions()}),
                                kinds=_known(form.kind.data, INSTITUTION_KINDS))
            campaign = Campaign(template_id=template.id, event_id=event.id if event else None,
                                audience_kind=template.audience_kind, audience=criteria.to_query(),
                                include_ics=bool(form.include_ics.data and event), created_by=current_user.id)
            campaign.attachments = [CampaignAttachment(filename=name, content_type=kind, size=len(data), data=data)
                                    for name, kind, data in datas]
            db.session.add(campaign)
            db.session.commit()
            return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)
    return render_template("campaigns/new.html", form=form), 422 if form.errors else 200


def _known(values, allowed):
    return [value for value in values or [] if value in set(allowed)]


def _campaign_or_404(campaign_id) -> Campaign:
    return db.session.get(Campaign, campaign_id) or abort(404)


@bp.get("/<int:campaign_id>")
@admin_required
def show(campaign_id):
    """Recipients and a preview before sending; progress and failures after."""
    campaign = _campaign_or_404(campaign_id)
    recipients = recipients_of(campaign)
    chosen = request.args.get("preview") or (recipients[0].key if recipients else None)
    preview_recipient = next((r for r in recipients if r.key == chosen), recipients[0] if recipients else None)
    preview = render_for(campaign.template, preview_recipient) if preview_recipient else None
    total = sum(a.size for a in campaign.attachments)
    state = progress(campaign)
    return render_template(
        "campaigns/show.html", campaign=campaign, recipients=recipients, preview=preview,
        preview_recipient=preview_recipient, progress=state, step=_step(state), failures=failures(campaign),
        form=ConfirmForm(), attachments_total=total, attachments_warning=total > WARN_ATTACHMENTS_BYTES,
        problems=template_problems(campaign.template), criteria=Criteria.parse(campaign.audience),
        status_labels=STATUS_LABELS, kind_labels=KIND_LABELS)


@bp.post("/<int:campaign_id>/send")
@admin_required
def send_campaign(campaign_id):
    """Queue the messages (again is harmless: nobody gets a second one)."""
    ConfirmForm().validate() or abort(400)
    begin_write()
    campaign = _campaign_or_404(campaign_id)
    if template_problems(campaign.template):
        abort(409)
    queued = send(campaign.id, current_user.id, utcnow())
    db.session.commit()
    wake_worker()
    flash(_("%(n)d message(s) mis en file d'envoi.", n=queued), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)


@bp.get("/<int:campaign_id>/progress")
@admin_required
def progress_panel(campaign_id):
    """The self-refreshing progress component (htmx polls it while messages are on their way)."""
    campaign = _campaign_or_404(campaign_id)
    state = progress(campaign)
    announced = request.args.get("announced", "")
    step = _step(state)
    return render_template("campaigns/_progress.html", campaign=campaign, progress=state,
                           failures=failures(campaign), form=ConfirmForm(), step=step,
                           announce=is_htmx() and step != announced)


def _step(state) -> str:
    """What is worth announcing: every quarter, and the end."""
    if state.finished:
        return "done"
    return str(state.percent // 25 * 25)


@bp.post("/<int:campaign_id>/retry")
@admin_required
def retry(campaign_id):
    ConfirmForm().validate() or abort(400)
    begin_write()
    campaign = _campaign_or_404(campaign_id)
    count = retry_failed(campaign, utcnow())
    db.session.commit()
    wake_worker()
    flash(_("%(n)d message(s) en échec remis en file d'envoi.", n=count), "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)
