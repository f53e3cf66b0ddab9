"""Screens of an event: list, create, edit, clone, states, venue."""
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..accounts.models import User
from ..accounts.permissions import ADMINISTER, EDIT, admin_required, event_permission, may, visible_events
from ..campaigns.defaults import CHANGE_NOTICE_NAME
from ..campaigns.queries import template_named
from ..clock import utcnow
from ..database import writing
from ..directory.partners import copy_partners, partners_of, set_partners
from ..events.forms import CloneForm, VenueForm
from ..events.local_time import utc_to_local
from ..events.operations import (
    EditConflict,
    change_status,
    clone_event,
    create_event,
    free_slug,
    locked_event,
    save_event,
    save_venue,
)
from ..events.vocabularies import EVENT_STATUS, FACT_VALUE, NEXT_STATUSES, VENUE_FACT
from ..extensions import db
from ..forms import ConfirmForm, Refused
from ..i18n import format_time
from ..params import parse_int
from ..registration.operations import tell_registrants_event_cancelled
from ..registration.queries import active_registrations
from ..registration.seats import SeatBook
from ..security import keep_private
from .blueprint import bp
from .forms import event_form, event_values, partner_ids

bp.after_request(keep_private)  # registrants' counts, people's names and addresses
CHANGE_NOTICE = "organizing_change_notice"  # session key: the event whose registrants should be told




@bp.get("/")
@login_required
def index():
    """The events this user may edit, soonest first."""
    events = visible_events(current_user) if may(current_user, EDIT) else []
    return render_template("organizing/index.html", events=events, EVENT_STATUS=EVENT_STATUS,
                           may_administer=may(current_user, ADMINISTER))


@bp.route("/events/new", methods=["GET", "POST"])
@admin_required
@writing()
def new_event():
    """A new event, created as a draft (invisible to the public)."""
    form = event_form(None, administer=True)
    if form.validate_on_submit():
        try:
            event = create_event(event_values(form), form.slug.data, current_user.id, utcnow(),
                                 lead=current_user.organization)
        except Refused as refused:
            refused.show_on(form, whole=form.title_fr)
        else:
            set_partners(event.id, partner_ids(form))
            flash(_("Événement créé (brouillon) : %(title)s.", title=event.title_fr), "success")
            return redirect(url_for("organizing.overview", event_id=event.id), 303)
    return render_template("organizing/event_form.html", form=form, event=None, administer=True,
                           conflict=None), 422 if form.errors else 200


@bp.get("/events/<id:event_id>")
@event_permission(EDIT)
def overview(event):
    """The event's facts and state; the sections to fill in; the admins' state buttons."""
    notice = session.pop(CHANGE_NOTICE, None) == event.id
    template = template_named(CHANGE_NOTICE_NAME) if notice else None
    administer = may(current_user, ADMINISTER)
    return render_template(
        "organizing/overview.html", event=event, notice=notice, administer=administer,
        campaign_url=url_for("campaigns.new", event=event.id, **({"template": template.id} if template else {})),
        partners=partners_of(event.id), next_statuses=NEXT_STATUSES.get(event.status, ()),
        EVENT_STATUS=EVENT_STATUS, form=ConfirmForm(), opens=utc_to_local(event.registration_opens_at),
        closes=utc_to_local(event.registration_closes_at), section="overview")


def conflict_message(conflict: EditConflict) -> str:
    user = db.session.get(User, conflict.updated_by_id) if conflict.updated_by_id else None
    who = (user.name or user.email) if user else _("quelqu'un")
    when = format_time(conflict.updated_at, "time") if conflict.updated_at else "?"
    return _("Modifié par %(who)s à %(time)s depuis que vous l'avez ouvert. Vos saisies sont conservées "
             "ci-dessous : vérifiez-les puis enregistrez à nouveau pour remplacer cette version.", who=who, time=when)


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def edit_event(event):
    """Texts, date and place (admins and the event's coordinators); capacity, registration window
    and co-organisers (admins). A save made on an outdated version is refused, input kept."""
    administer = may(current_user, ADMINISTER)
    form = event_form(event, administer)
    conflict, status = None, 200
    if form.validate_on_submit():
        event = locked_event(event.id)
        now = utcnow()
        try:
            changed = save_event(event, event_values(form), seen_version=parse_int(form.version.data, 1),
                                 approved_seats=SeatBook(event, now).approved, user_id=current_user.id, now=now)
        except EditConflict as stale:
            conflict, status = conflict_message(stale), 409
            form.version.data = str(stale.version)  # saving again, knowingly, replaces that version
        except Refused as refused:
            refused.show_on(form, whole=form.title_fr)
        else:
            set_partners(event.id, partner_ids(form))
            if changed and event.status == "published":
                session[CHANGE_NOTICE] = event.id
            flash(_("Modifications enregistrées."), "success")
            return redirect(url_for("organizing.overview", event_id=event.id), 303)
    if form.errors:
        status = 422
    return render_template("organizing/event_form.html", form=form, event=event, administer=administer,
                           conflict=conflict, section="details", opens=utc_to_local(event.registration_opens_at),
                           closes=utc_to_local(event.registration_closes_at)), status


@bp.route("/events/<id:event_id>/clone", methods=["GET", "POST"])
@event_permission(ADMINISTER)
@writing()
def clone(event):
    """A new draft from this event: texts, regions, organisers, partners, venue, workshops, agenda
    and people (to invite again); never its registrations."""
    form = CloneForm(data=None if request.method == "POST" else {
        "title_fr": event.title_fr, "title_ar": event.title_ar, "starts_on": event.starts_on,
        "slug": free_slug(event.title_fr)})
    if form.validate_on_submit():
        try:
            copy = clone_event(event, form.title_fr.data, form.title_ar.data, form.starts_on.data,
                               form.slug.data, current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=form.title_fr)
        else:
            copy_partners(event.id, copy.id)
            flash(_("Copie créée (brouillon). Vérifiez ses dates d'inscription."), "success")
            return redirect(url_for("organizing.overview", event_id=copy.id), 303)
    return render_template("organizing/clone.html", form=form, event=event,
                           section="overview"), 422 if form.errors else 200


@bp.post("/events/<id:event_id>/status")
@event_permission(ADMINISTER)
@writing()
def change_event_status(event):
    """Move the event to the state posted; cancelling asks for a confirmation first (it mails
    every registrant)."""
    target = request.form.get("status", "")
    if target not in EVENT_STATUS:
        abort(400)
    if target == "cancelled" and request.form.get("confirmed") != "yes":
        return render_template("organizing/confirm_cancel.html", event=event, form=ConfirmForm(),
                               registrants=len(active_registrations(event.id)), section="overview")
    event = locked_event(event.id)
    try:
        change_status(event, target, current_user.id, utcnow())
    except Refused:
        flash(_("Ce changement d'état n'est pas possible depuis l'état actuel (%(state)s).",
                state=EVENT_STATUS.label(event.status)), "error")
        return redirect(url_for("organizing.overview", event_id=event.id), 303)
    if target == "cancelled":
        told = tell_registrants_event_cancelled(event)
        flash(ngettext("Événement annulé. %(num)d personne inscrite prévenue par e-mail.",
                        "Événement annulé. %(num)d personnes inscrites prévenues par e-mail.", told), "success")
    else:
        flash(_("Nouvel état : %(state)s.", state=EVENT_STATUS.label(target)), "success")
    return redirect(url_for("organizing.overview", event_id=event.id), 303)


@bp.route("/events/<id:event_id>/venue", methods=["GET", "POST"])
@event_permission(EDIT)
@writing()
def venue(event):
    """Name, address, map link and the accessibility facts (yes / no / not yet known)."""
    venue = event.venue
    form = VenueForm(obj=venue if request.method != "POST" else None)
    if form.validate_on_submit():
        try:
            moved = save_venue(event, form.data, current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=form.title_fr)
        else:
            if moved and event.status == "published":
                session[CHANGE_NOTICE] = event.id
            flash(_("Lieu enregistré."), "success")
            return redirect(url_for("organizing.overview", event_id=event.id), 303)
    return render_template("organizing/venue.html", form=form, event=event, VENUE_FACT=VENUE_FACT,
                           FACT_VALUE=FACT_VALUE, section="venue"), 422 if form.errors else 200
