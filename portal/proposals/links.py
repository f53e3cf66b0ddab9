"""The pages reached by a secret link, no account: a rapporteur's (their workshop's proposals only,
until a month after the event) and a registrant's (their manage link: their own proposals and
their consent to be named)."""
import datetime as dt

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import utcnow
from ..database import writing
from ..extensions import db
from ..forms import Refused
from ..registration.links import registration_by_token
from ..security import keep_private
from .forms import NamingConsentForm, ProposalForm, RegistrantProposalForm
from .models import Proposal
from .operations import (
    consenting_registrants,
    link_expiry,
    named_consent,
    own_proposals,
    rapporteur_by_token,
    record_proposal,
    registrant_window_open,
    set_naming_consent,
    submit_proposal,
    update_proposal,
)
from .queries import labels

rapporteur_bp = Blueprint("rapporteur", __name__, url_prefix="/rapporteur")
rapporteur_bp.after_request(keep_private)  # the URL is the key
registrant_bp = Blueprint("registrant_proposals", __name__, url_prefix="/manage")
registrant_bp.after_request(keep_private)


def _rapporteur_or_404(token):
    return rapporteur_by_token(token, utcnow()) or abort(404)


def _actor(link) -> str:
    return f"{link.person.name_fr} (rapporteur(e), par son lien)"


def _workshop_list(link) -> list[Proposal]:
    return [p for p in _all_of_workshop(link) if p.moderation == "accepted"]


def _all_of_workshop(link) -> list[Proposal]:
    return list(db.session.scalars(select(Proposal).where(Proposal.workshop_id == link.workshop_id)
                                   .order_by(Proposal.id)))


@rapporteur_bp.route("/<token>", methods=["GET", "POST"])
@writing()
def show(token):
    """The workshop's list and a form to add a proposal to it."""
    link = _rapporteur_or_404(token)
    form = ProposalForm(consenting_registrants(link.event))
    if form.validate_on_submit():
        try:
            record_proposal(link.workshop, form.values(), _actor(link), utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Proposition enregistrée."), "success")
            return redirect(url_for("rapporteur.show", token=token), 303)
    return make_response(render_template("proposals/rapporteur.html", link=link, token=token, form=form,
                                         proposals=_workshop_list(link), expires_on=link_expiry(link.event).date() - dt.timedelta(days=1),
                                         **labels()), 422 if form.errors else 200)


@rapporteur_bp.route("/<token>/<id:proposal_id>", methods=["GET", "POST"])
@writing()
def edit(token, proposal_id):
    """One of the workshop's proposals (any other: 404)."""
    link = _rapporteur_or_404(token)
    proposal = next((p for p in _workshop_list(link) if p.id == proposal_id), None) or abort(404)
    form = ProposalForm(consenting_registrants(link.event), data=ProposalForm.data_of(proposal))
    if form.validate_on_submit():
        try:
            update_proposal(proposal, form.values(), _actor(link), utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Modifications enregistrées."), "success")
            return redirect(url_for("rapporteur.show", token=token), 303)
    return make_response(render_template(
        "proposals/form.html", event=link.event, workshop=link.workshop, form=form, proposal=proposal,
        action=url_for("rapporteur.edit", token=token, proposal_id=proposal.id),
        back=url_for("rapporteur.show", token=token), **labels()), 422 if form.errors else 200)


# --- a registrant's proposals, from their manage link ------------------------------------------
def _registration_or_404(token):
    return registration_by_token(token, utcnow()) or abort(404)


def _registrant_page(registration, token, form, consent_form, status=200):
    return make_response(render_template(
        "proposals/registrant.html", registration=registration, token=token, form=form, consent_form=consent_form,
        proposals=own_proposals(registration), window_open=registrant_window_open(registration, utcnow()),
        consent=named_consent(registration), **labels()), status)


@registrant_bp.route("/<token>/proposals", methods=["GET", "POST"])
@writing()
def registrant(token):
    registration = _registration_or_404(token)
    form = RegistrantProposalForm()
    consent_form = NamingConsentForm(formdata=None, agreed=named_consent(registration) is not None)
    if form.validate_on_submit():
        try:
            submit_proposal(registration, form.values(), utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Merci : votre proposition est reçue. Les coordinateurs la relisent avant de l'ajouter à la "
                    "liste de l'atelier."), "success")
            return redirect(url_for("registrant_proposals.registrant", token=token), 303)
    return _registrant_page(registration, token, form, consent_form, 422 if form.errors else 200)


@registrant_bp.post("/<token>/proposals/naming")
@writing()
def naming(token):
    registration = _registration_or_404(token)
    consent_form = NamingConsentForm()
    if not consent_form.validate():
        abort(400)
    set_naming_consent(registration, bool(consent_form.agreed.data), utcnow())
    flash(_("Votre choix est enregistré : votre nom peut être cité.") if consent_form.agreed.data
          else _("Votre choix est enregistré : votre nom n'est pas cité."), "success")
    return redirect(url_for("registrant_proposals.registrant", token=token), 303)


def manage_section(registration, token):
    """The manage page's link to this page (registration.manage's hook), saying the current choice."""
    choice = (_("Vous avez accepté d'être cité(e).") if named_consent(registration) is not None
              else _("Vous n'avez pas accepté d'être cité(e)."))
    return {"title": _("Propositions"),
            "text": _("Déposez une proposition pour le plan d'action, et dites si votre nom peut être cité parmi "
                      "celles et ceux qui ont porté les propositions de votre atelier.") + " " + choice,
            "url": url_for("registrant_proposals.registrant", token=token),
            "label": _("Mes propositions et mon accord pour être cité(e)")}
