"""Sign-in (password, then a second factor), logout, password change, reset and the invitation's
first password, the second factor's pages. The administrators' screens: admin.py."""
import datetime as dt
import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..clock import utcnow
from ..database import writing
from ..extensions import limiter
from ..i18n import current_language, format_timedelta
from ..security import keep_private
from ..security_log import security_event
from ..urls import local_path
from .forms import ChangePasswordForm, CodeForm, EnrolForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from .operations import (
    complete_sign_in,
    consume_reset,
    find_user_by_email,
    link_purpose,
    locked_user,
    password_accepted,
    queue_password_reset,
    set_new_password,
    valid_reset,
)
from .passwords import verify_password
from .queries import pending_user
from .session import current_token, end_session, sign_in_browser, start_session
from .throttle import normal_account, record_failure, wait_before_attempt
from .two_factor import enrol, grouped, new_secret, qr_data_uri, unused_recovery_codes, use_second_factor

bp = Blueprint("accounts", __name__)

PENDING_KEY, ENROL_KEY = "pending_sign_in", "enrol_secret"
PENDING_FOR = dt.timedelta(minutes=10)  # between the password and the code


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _client() -> str:
    return request.remote_addr or "unknown"


def _dashboard(next_path=None) -> str:
    return local_path(next_path, url_for("review.dashboard"))


def _wait_text(wait: dt.timedelta) -> str:
    """"45 secondes", "15 minutes": rounded up, in the page's language."""
    seconds = math.ceil(wait.total_seconds())
    shown = dt.timedelta(seconds=seconds) if seconds < 60 else dt.timedelta(minutes=math.ceil(seconds / 60))
    return format_timedelta(shown, granularity="second", threshold=1, add_direction=False)


def _throttled(field, wait: dt.timedelta, template: str, status_page: dict):
    """The attempt was not even checked: say how long to wait (the same for every account)."""
    if field.name == "code":
        field.data = ""  # a refused code is typed anew, not appended to
    field.errors.append(_("Trop de tentatives sur ce compte. Attendez %(wait)s avant de réessayer.",
                          wait=_wait_text(wait)))
    response = current_app.make_response((render_template(template, **status_page), 429))
    response.headers["Retry-After"] = str(math.ceil(wait.total_seconds()))
    return response


def _finish_sign_in(user_id: int, now: dt.datetime, next_path):
    with writing():
        user = locked_user(user_id)
        token = complete_sign_in(user, _client(), now)
    sign_in_browser(user, token, now)
    return redirect(_dashboard(next_path), 303)


# --- step 1: the password ---------------------------------------------------------------------
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])  # per client address (accounts: see throttle.py)
def login():
    """Sign in; the same messages for an unknown email and a wrong password."""
    form = LoginForm()
    if form.validate_on_submit():
        account, now = normal_account(form.email.data), utcnow()
        wait = wait_before_attempt(account, _client(), now)
        if wait is not None:
            security_event("sign_in_throttled", account=account, step="password")
            return _throttled(form.password, wait, "accounts/login.html", {"form": form})
        user = find_user_by_email(account)
        # Checked against a dummy hash when there is no such account: the same time either way.
        matches = verify_password(user.password_hash if user else None, form.password.data)
        if user is not None and user.is_active and matches:
            # The password is checked before the write lock is taken: argon2 is slow on purpose.
            with writing():
                password_accepted(user.id, form.password.data)
            if not (user.has_two_factor or user.needs_two_factor):
                return _finish_sign_in(user.id, now, request.args.get("next"))
            next_path = request.args.get("next")
            session.clear()
            session[PENDING_KEY] = {"user": user.id, "version": user.session_version,
                                    "since": int(now.replace(tzinfo=dt.UTC).timestamp()), "next": next_path}
            return redirect(url_for("accounts.second_factor" if user.has_two_factor else "accounts.enrol_at_sign_in"),
                            303)
        with writing():
            record_failure(account, _client(), now)
        security_event("sign_in_failed", account=account, known=user is not None)
        form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect."))
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


def _pending():
    """The account whose password was given in this browser a moment ago, or None."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, None
    now = utcnow()
    since = dt.datetime.fromtimestamp(int(pending.get("since", 0)), dt.UTC).replace(tzinfo=None)
    if now - since > PENDING_FOR:
        return None, None
    return pending_user(pending.get("user"), pending.get("version")), pending.get("next")


# --- step 2: the second factor ----------------------------------------------------------------
@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def second_factor():
    user, next_path = _pending()
    if user is None:
        flash(_("Connectez-vous pour accéder à cette page."), "info")
        return redirect(url_for("accounts.login"), 303)
    if not user.has_two_factor:
        return redirect(url_for("accounts.enrol_at_sign_in"), 303)
    form = CodeForm()
    if form.validate_on_submit():
        now = utcnow()
        wait = wait_before_attempt(user.email, _client(), now)
        if wait is not None:
            security_event("sign_in_throttled", account=user.email, step="code")
            return _throttled(form.code, wait, "accounts/second_factor.html", {"form": form})
        with writing():
            locked = locked_user(user.id)
            kind = use_second_factor(locked, form.code.data, now)
            if kind:
                token = complete_sign_in(locked, _client(), now)
            else:
                record_failure(user.email, _client(), now)
        if kind:
            if kind == "recovery":
                security_event("recovery_code_used", account=user.email)
            sign_in_browser(locked, token, now)
            return redirect(_dashboard(next_path), 303)
        security_event("second_factor_failed", account=user.email)
        form.code.data = ""  # typed anew, not appended to
        form.code.errors.append(_("Ce code n'est pas valable. Saisissez le code affiché maintenant par votre "
                                  "application, ou un code de secours que vous n'avez pas encore utilisé."))
    return render_template("accounts/second_factor.html", form=form), 422 if form.errors else 200


def _enrol_secret() -> str:
    secret = session.get(ENROL_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[ENROL_KEY] = new_secret()
    return secret


def _enrol_page(template, form, secret, email, status):
    response = current_app.make_response((render_template(
        template, form=form, secret=grouped(secret), qr=qr_data_uri(secret, email)), status))
    return keep_private(response)


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol_at_sign_in():
    """An admin or coordinator without a second factor sets one up before going further."""
    user, next_path = _pending()
    if user is None:
        flash(_("Connectez-vous pour accéder à cette page."), "info")
        return redirect(url_for("accounts.login"), 303)
    if user.has_two_factor:
        return redirect(url_for("accounts.second_factor"), 303)
    secret, form = _enrol_secret(), EnrolForm()
    if form.validate_on_submit():
        now = utcnow()
        wait = wait_before_attempt(user.email, _client(), now)
        if wait is not None:
            security_event("sign_in_throttled", account=user.email, step="enrolment")
            return _throttled(form.code, wait, "accounts/enrol.html",
                              {"form": form, "secret": grouped(secret), "qr": qr_data_uri(secret, user.email)})
        with writing():
            locked = locked_user(user.id)
            codes = enrol(locked, secret, form.code.data, now)
            if codes:
                token = complete_sign_in(locked, _client(), now)
            else:
                record_failure(user.email, _client(), now)
        if codes:
            security_event("two_factor_enrolled", account=user.email)
            sign_in_browser(locked, token, now)
            return keep_private(current_app.make_response(
                render_template("accounts/recovery_codes.html", codes=codes, next=_dashboard(next_path))))
        form.code.data = ""
        form.code.errors.append(_code_refused())
    return _enrol_page("accounts/enrol.html", form, secret, user.email, 422 if form.errors else 200)


def _code_refused() -> str:
    return _("Ce code ne correspond pas. Vérifiez que l'heure de votre téléphone est juste, puis saisissez "
             "le code affiché maintenant.")


# --- the account's own pages ------------------------------------------------------------------
@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """The second factor of one's account: its state; enrolment for an observer who wants one."""
    if current_user.has_two_factor:
        return render_template("accounts/two_factor.html", unused=unused_recovery_codes(current_user))
    secret, form = _enrol_secret(), EnrolForm()
    if form.validate_on_submit():
        now = utcnow()
        with writing():
            locked = locked_user(current_user.id)
            codes = enrol(locked, secret, form.code.data, now)
        if codes:
            session.pop(ENROL_KEY, None)
            security_event("two_factor_enrolled", account=locked.email)
            return keep_private(current_app.make_response(
                render_template("accounts/recovery_codes.html", codes=codes, next=url_for("review.dashboard"))))
        form.code.data = ""
        form.code.errors.append(_code_refused())
    return _enrol_page("accounts/two_factor.html", form, secret, current_user.email, 422 if form.errors else 200)


@bp.post("/logout")
def logout():
    token = current_token()
    if token:
        with writing():
            end_session(token, utcnow())  # a copy of this cookie dies with it
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté(e)."), "success")
    return redirect(url_for("catalogue.home"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Ce n'est pas votre mot de passe actuel."))
        else:
            now = utcnow()
            with writing():
                user = locked_user(current_user.id)
                set_new_password(user, form.password.data, now)  # every session ends, reset links too
                token = start_session(user, now)  # this browser goes on, in a new session
            sign_in_browser(user, token, now)
            flash(_("Votre mot de passe est changé."), "success")
            return redirect(url_for("review.dashboard"), 303)
    return render_template("accounts/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@writing()
def forgot_password():
    """Always the same answer, so the form does not tell which addresses have an account, nor
    that the account's reset mails of the hour are spent."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.is_active and not queue_password_reset(user, utcnow(), current_language()):
            security_event("password_reset_limited", account=user.email)
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@writing()
def reset_password(token):
    """A reset link, or an invitation's link to choose a first password (the same single-use
    machinery; the wording follows the link's purpose)."""
    reset = valid_reset(token, utcnow())
    if reset is None:
        return render_template("accounts/reset_invalid.html", invitation=link_purpose(token) == "invite"), 404
    invitation, email = reset.purpose == "invite", reset.user.email
    form = NewPasswordForm()
    if form.validate_on_submit():
        if consume_reset(token, form.password.data, utcnow()):
            if invitation:
                security_event("invitation_accepted", account=email)
                flash(_("Votre mot de passe est choisi. Connectez-vous avec votre adresse e-mail et ce mot de "
                        "passe."), "success")
            else:
                flash(_("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success")
            return redirect(url_for("accounts.login"), 303)
        return render_template("accounts/reset_invalid.html", invitation=invitation), 404
    return render_template("accounts/reset_password.html", form=form, invitation=invitation, email=email), \
        422 if form.errors else 200
