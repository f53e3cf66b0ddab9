"""Login, logout, password change and reset by emailed single-use link."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..clock import utcnow
from ..database import writing
from ..extensions import limiter
from ..security_log import security_event
from ..urls import local_path
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from .operations import consume_reset, find_user_by_email, queue_password_reset, record_sign_in, valid_reset
from .passwords import verify_password

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _submitted_email() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])  # per client address
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email)  # per account, from anywhere
def login():
    """Sign in; the same message for an unknown email and a wrong password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        # Checked against a dummy hash when there is no such account: the same time either way.
        matches = verify_password(user.password_hash if user else None, form.password.data)
        if user is not None and user.is_active and matches:
            # The password is checked before the write lock is taken: argon2 is slow on purpose.
            with writing():
                user = record_sign_in(user.id, form.password.data, utcnow())
            login_user(user)
            return redirect(local_path(request.args.get("next"), url_for("review.dashboard")), 303)
        security_event("sign_in_failed", account=form.email.data.strip().lower()[:254],
                       known=user is not None)
        form.password.errors.append(_("Adresse e-mail ou mot de passe incorrect."))
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("Vous êtes déconnecté·e."), "success")
    return redirect(url_for("catalogue.home"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("Ce n'est pas votre mot de passe actuel."))
        else:
            with writing():
                current_user.set_password(form.password.data)
            login_user(current_user)  # the new session identifier; other sessions are logged out
            flash(_("Votre mot de passe est changé."), "success")
            return redirect(url_for("review.dashboard"), 303)
    return render_template("accounts/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@writing()
def forgot_password():
    """Always the same answer, so the form does not tell which addresses have an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            queue_password_reset(user, utcnow())
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@writing()
def reset_password(token):
    reset = valid_reset(token, utcnow())
    if reset is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        if consume_reset(token, form.password.data, utcnow()):
            flash(_("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success")
            return redirect(url_for("accounts.login"), 303)
        return render_template("accounts/reset_invalid.html"), 404
    return render_template("accounts/reset_password.html", form=form), 422 if form.errors else 200
