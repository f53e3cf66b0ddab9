"""The coordinators' screens of an event's proposals (admins and the event's coordinators: EDIT):
the lists per workshop, recording and editing, moderating registrants' proposals, sending the
rapporteurs' links; and the ministry's reasoned response (admins only: ADMINISTER)."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import ADMINISTER, EDIT, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..events.people import role_of
from ..forms import ConfirmForm, Refused
from ..params import parse_id
from ..security import keep_private
from ..security_log import security_event
from .forms import ModerationForm, ProposalForm, ResponseForm
from .notifications import queue_rapporteur_link
from .operations import (
    accept,
    answer,
    consenting_registrants,
    issue_rapporteur_link,
    merge,
    proposal_of,
    publish,
    rapporteurs,
    record_proposal,
    sent_links,
    set_aside,
    unpublish,
    update_proposal,
    workshop_of,
)
from .queries import event_proposals, labels

bp = Blueprint("proposals", __name__, url_prefix="/proposals")
bp.after_request(keep_private)


def actor() -> str:
    """How the history names the signed-in person (in French, as every history line)."""
    role = {"admin": "administrateur(rice)", "coordinator": "coordinateur(rice)"}.get(current_user.role, "")
    return f"{current_user.name or current_user.email} ({role})"


def _page(template, status=200, **context):
    return make_response(render_template(f"proposals/{template}", **labels(), **context), status)


@bp.get("/events/<id:event_id>")
@event_permission(EDIT)
def index(event):
    proposals = event_proposals(event)
    return _page("index.html", event=event, proposals=proposals, form=ConfirmForm(),
                 pending=[p for p in proposals if p.moderation == "pending"],
                 rapporteurs=rapporteurs(event), links=sent_links(event), now=utcnow(),
                 may_answer=may(current_user, ADMINISTER))


@bp.route("/events/<id:event_id>/workshops/<id:workshop_id>/new", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def new(event, workshop_id):
    workshop = workshop_of(event, workshop_id) or abort(404)
    form = ProposalForm(consenting_registrants(event))
    if form.validate_on_submit():
        try:
            record_proposal(workshop, form.values(), actor(), utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Proposition enregistrée."), "success")
            return redirect(url_for("proposals.index", event_id=event.id, _anchor=f"workshop-{workshop.id}"), 303)
    return _page("form.html", 422 if form.errors else 200, event=event, workshop=workshop, form=form,
                 proposal=None, action=url_for("proposals.new", event_id=event.id, workshop_id=workshop.id),
                 back=url_for("proposals.index", event_id=event.id), workspace=True)


@bp.route("/events/<id:event_id>/<id:proposal_id>", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def edit(event, proposal_id):
    proposal = proposal_of(event, proposal_id, for_update=request.method == "POST") or abort(404)
    form = ProposalForm(consenting_registrants(event), data=ProposalForm.data_of(proposal))
    if form.validate_on_submit():
        try:
            update_proposal(proposal, form.values(), actor(), utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Modifications enregistrées."), "success")
            return redirect(url_for("proposals.index", event_id=event.id, _anchor=f"proposal-{proposal.id}"), 303)
    return _page("form.html", 422 if form.errors else 200, event=event, workshop=proposal.workshop, form=form,
                 proposal=proposal, action=url_for("proposals.edit", event_id=event.id, proposal_id=proposal.id),
                 back=url_for("proposals.index", event_id=event.id), workspace=True)


@bp.route("/events/<id:event_id>/<id:proposal_id>/moderate", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def moderate(event, proposal_id):
    proposal = proposal_of(event, proposal_id, for_update=request.method == "POST") or abort(404)
    others = [p for p in event_proposals(event) if p.id != proposal.id and p.moderation == "accepted"]
    form = ModerationForm(event.workshops, others, data={"workshop_id": str(proposal.workshop_id)})
    if form.validate_on_submit():
        now = utcnow()
        try:
            if form.decision.data == "merge":
                other = proposal_of(event, parse_id(form.merged_into_id.data) or 0, for_update=True)
                merge(proposal, other, actor(), now)
            elif form.decision.data == "set_aside":
                set_aside(proposal, form.reason.data, actor(), now)
            else:
                accept(proposal, workshop_of(event, parse_id(form.workshop_id.data)), actor(), now)
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Décision enregistrée : %(title)s.", title=proposal.title), "success")
            return redirect(url_for("proposals.index", event_id=event.id, _anchor=f"proposal-{proposal.id}"), 303)
    return _page("moderate.html", 422 if form.errors else 200, event=event, proposal=proposal, form=form,
                 workspace=True)


@bp.post("/events/<id:event_id>/rapporteurs/<id:role_id>/send")
@event_permission(EDIT)
@writing()
def send_link(event, role_id):
    link = role_of(event, role_id) or abort(404)
    if not ConfirmForm().validate():
        abort(400)
    try:
        token = issue_rapporteur_link(link, utcnow())
    except Refused as refused:
        for message in refused.show_on(None):
            flash(message, "error")
    else:
        queue_rapporteur_link(link, token)
        # A secret link handed out: who sent it, to which role (never the token).
        security_event("secret_link_sent", user=current_user.id, event_id=event.id, role_id=link.id, link="rapporteur")
        flash(_("Lien envoyé à %(name)s.", name=link.person.name_fr), "success")
    return redirect(url_for("proposals.index", event_id=event.id, _anchor="rapporteurs"), 303)


# --- the reasoned response: admins only ---------------------------------------------------------
@bp.route("/events/<id:event_id>/<id:proposal_id>/response", methods=["GET", "POST"])
@event_permission(ADMINISTER)
@writing()
def respond(event, proposal_id):
    proposal = proposal_of(event, proposal_id, for_update=request.method == "POST") or abort(404)
    form = ResponseForm(obj=proposal)
    if form.validate_on_submit():
        try:
            answer(proposal, {name: getattr(form, name).data for name in
                              ("response", "commitment", "reason_fr", "reason_ar")}, actor(), utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Réponse enregistrée."), "success")
            return redirect(url_for("proposals.respond", event_id=event.id, proposal_id=proposal.id), 303)
    return _page("respond.html", 422 if form.errors else 200, event=event, proposal=proposal, form=form,
                 confirm=ConfirmForm(), workspace=True)


@bp.post("/events/<id:event_id>/<id:proposal_id>/publish")
@event_permission(ADMINISTER)
@writing()
def publish_response(event, proposal_id):
    proposal = proposal_of(event, proposal_id, for_update=True) or abort(404)
    if not ConfirmForm().validate():
        abort(400)
    try:
        if request.form.get("withdraw"):
            unpublish(proposal, actor(), utcnow())
            flash(_("La réponse n'est plus publiée."), "success")
        else:
            publish(proposal, actor(), utcnow())
            flash(_("Réponse publiée."), "success")
    except Refused as refused:
        for message in refused.show_on(None):
            flash(message, "error")
    return redirect(url_for("proposals.respond", event_id=event.id, proposal_id=proposal.id), 303)

