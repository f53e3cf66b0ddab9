"""The administrators' screens for people and organisations: the accounts list, invitations, an
account's role, organisation and events, disabling; the organisations. Routes of the accounts
blueprint (views.bp), every one for admins only."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import utcnow
from ..database import writing
from ..events.vocabularies import ORGANIZATION_KIND
from ..forms import ConfirmForm, Refused
from ..security import keep_private
from ..security_log import security_event
from .forms import AccountForm, InviteForm, OrganizationForm, ProfileChoices
from .operations import (
    change_account,
    invite_user,
    locked_user,
    reset_second_factor,
    set_account_active,
)
from .organizations import save_organization
from .permissions import admin_required
from .queries import account, all_accounts, all_organizations, members_by_organization, organization
from .views import bp
from .vocabularies import ACCOUNT_STATUS, ROLE

bp.after_request(keep_private)  # names, addresses and roles of the back office's people


def _one_of(name, vocabulary):
    value = request.args.get(name)
    return value if value in vocabulary else None




# --- accounts ---------------------------------------------------------------------------------
@bp.get("/accounts/")
@admin_required
def accounts_index():
    role, status = _one_of("role", ROLE), _one_of("status", ACCOUNT_STATUS)
    return render_template("accounts/accounts.html", accounts=all_accounts(role, status), roles=ROLE,
                           statuses=ACCOUNT_STATUS, role=role, status=status)


@bp.route("/accounts/invite", methods=["GET", "POST"])
@admin_required
@writing()
def invite():
    """A new account, mailed a link to choose its password (an account never signed in: again)."""
    form = InviteForm(ProfileChoices.load())
    if form.validate_on_submit():
        try:
            user, again = invite_user(form.email.data, form.language.data, form.profile(), utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            security_event("account_reinvited" if again else "account_invited", account=user.email, role=user.role,
                           organization=user.organization_id, by=current_user.email)
            message = (_("Nouvelle invitation envoyée à %(email)s ; les liens envoyés avant ne fonctionnent plus.",
                         email=user.email) if again else _("Invitation envoyée à %(email)s.", email=user.email))
            flash(message, "success")
            return redirect(url_for("accounts.accounts_index"), 303)
    return render_template("accounts/invite.html", form=form), 422 if form.errors else 200


@bp.route("/accounts/<id:user_id>/edit", methods=["GET", "POST"])
@admin_required
@writing()
def edit_account(user_id):
    """Name, role, organisation, an observer's events; the account's state and its switch."""
    user = (locked_user(user_id) if request.method == "POST" else account(user_id)) or abort(404)
    form = AccountForm(ProfileChoices.load(), data={
        "name": user.name, "role": user.role, "organization": str(user.organization_id or ""),
        "events": [str(event.id) for event in user.observed_events]})
    page_errors = []
    if form.validate_on_submit():
        try:
            changes = change_account(user, current_user, form.profile(), utcnow())
        except Refused as refused:
            page_errors = refused.show_on(form)
        else:
            if changes:
                security_event("account_changed", account=user.email, by=current_user.email,
                               changes={key: list(values) for key, values in changes.items()})
            flash(_("Compte modifié : %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.accounts_index"), 303)
    return _account_page(user, form, page_errors)


def _account_page(user, form, page_errors=()):
    refused = bool(form.errors or page_errors)
    return render_template("accounts/account.html", account=user, form=form, page_errors=page_errors,
                           confirm=ConfirmForm(), roles=ROLE, statuses=ACCOUNT_STATUS), 422 if refused else 200


def _switch(user_id, active: bool):
    if not ConfirmForm().validate():
        abort(400)
    user = locked_user(user_id) or abort(404)
    try:
        set_account_active(user, current_user, active, utcnow())
    except Refused as refused:
        form = AccountForm(ProfileChoices.load(), formdata=None, data={
            "name": user.name, "role": user.role, "organization": str(user.organization_id or ""),
            "events": [str(event.id) for event in user.observed_events]})
        return _account_page(user, form, refused.show_on(None))
    security_event("account_enabled" if active else "account_disabled", account=user.email, by=current_user.email)
    flash(_("Compte réactivé : %(email)s.", email=user.email) if active else
          _("Compte désactivé : %(email)s. Ses sessions sont fermées.", email=user.email), "success")
    return redirect(url_for("accounts.accounts_index"), 303)


@bp.post("/accounts/<id:user_id>/disable")
@admin_required
@writing()
def disable_account(user_id):
    """The account signs in no more; every open session of it ends at once."""
    return _switch(user_id, False)


@bp.post("/accounts/<id:user_id>/enable")
@admin_required
@writing()
def enable_account(user_id):
    return _switch(user_id, True)


@bp.post("/accounts/<id:user_id>/reset-two-factor")
@admin_required
@writing()
def reset_two_factor(user_id):
    """For a lost phone: the account signs in again and enrols a new second factor."""
    if not ConfirmForm().validate():
        abort(400)
    user = locked_user(user_id) or abort(404)
    reset_second_factor(user, utcnow())
    security_event("two_factor_reset", account=user.email, by=current_user.email)
    flash(_("Le second facteur de %(email)s est réinitialisé : ce compte en choisira un nouveau à sa prochaine "
            "connexion.", email=user.email), "success")
    return redirect(url_for("accounts.accounts_index"), 303)


# --- organisations ----------------------------------------------------------------------------
@bp.get("/accounts/organisations")
@admin_required
def organizations():
    return render_template("accounts/organizations.html", organizations=all_organizations(),
                           members=members_by_organization(), kinds=ORGANIZATION_KIND)


@bp.route("/accounts/organisations/new", methods=["GET", "POST"])
@admin_required
@writing()
def new_organization():
    return _organization_form(None, OrganizationForm())


@bp.route("/accounts/organisations/<id:organization_id>/edit", methods=["GET", "POST"])
@admin_required
@writing()
def edit_organization(organization_id):
    found = organization(organization_id) or abort(404)
    return _organization_form(found, OrganizationForm(data={
        "name": found.name, "name_ar": found.name_ar, "acronym": found.acronym, "kind": found.kind}))


def _organization_form(found, form):
    if form.validate_on_submit():
        try:
            saved = save_organization(found, form.values())
        except Refused as refused:
            refused.show_on(form)
        else:
            security_event("organization_changed" if found else "organization_created", organization=saved.id,
                           name=saved.name, by=current_user.email)
            flash(_("Organisation enregistrée : %(name)s.", name=saved.name), "success")
            return redirect(url_for("accounts.organizations"), 303)
    return render_template("accounts/organization_form.html", form=form, organization=found), \
        422 if form.errors else 200
