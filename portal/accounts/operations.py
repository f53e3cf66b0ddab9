"""Account changes: creating users, password reset tokens."""
import datetime as dt

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..events.models import Organization
from ..extensions import db
from ..outbox import queue_message
from ..tokens import plausible, token_hash
from ..urls import public_url
from .models import ROLES, PasswordReset, User
from .passwords import hash_password

RESET_VALIDITY = dt.timedelta(hours=1)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def record_sign_in(user_id: int, password: str, now: dt.datetime) -> User:
    """Note when the user signed in (read again under the write lock), and bring an older
    password hash up to today's cost while the password is at hand."""
    user = db.session.get(User, user_id)
    user.last_login_at = now
    if user.password_needs_rehash:
        user.password_hash = hash_password(password)
    return user


def create_user(email: str, role: str, organization_name: str | None, password: str, name: str = "") -> User:
    """Raises ValueError with a message a person can act on."""
    email = email.strip().lower()
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if find_user_by_email(email):
        raise ValueError(f"a user with the email {email} exists already")
    organization = None
    if organization_name:
        organization = db.session.scalar(select(Organization).where(
            (Organization.name == organization_name) | (Organization.acronym == organization_name)))
        if organization is None:
            organization = Organization(name=organization_name)
            db.session.add(organization)
    if role == "coordinator" and organization is None:
        raise ValueError("a coordinator belongs to an organisation: give --organization")
    user = User(email=email, role=role, organization=organization, name=name)
    user.set_password(password)
    db.session.add(user)
    return user


def queue_password_reset(user: User, now: dt.datetime) -> None:
    reset, token = PasswordReset.issue(user, now, RESET_VALIDITY)
    db.session.add(reset)
    link = public_url("accounts.reset_password", token=token)
    with force_locale("fr"):
        context = {"user": user, "link": link, "hours": int(RESET_VALIDITY.total_seconds() // 3600)}
        queue_message(to_address=user.email, to_name=user.name, subject=_("Réinitialiser votre mot de passe"),
                      body_text=render_template("emails/password_reset.txt", **context),
                      body_html=render_template("emails/password_reset.html", **context))


def purge_resets(now: dt.datetime) -> int:
    """Reset links used or expired more than TOKEN_RETENTION_DAYS ago."""
    before = now - dt.timedelta(days=int(current_app.config["TOKEN_RETENTION_DAYS"]))
    return db.session.execute(delete(PasswordReset).where(
        PasswordReset.expires_at < before)).rowcount


def valid_reset(token: str, now: dt.datetime) -> PasswordReset | None:
    if not plausible(token):
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at < now or not reset.user.active:
        return None
    return reset


def consume_reset(token: str, password: str, now: dt.datetime) -> bool:
    """Set the password once; a second use of the same link finds it used."""
    reset = valid_reset(token, now)
    if reset is None:
        return False
    reset.used_at = now
    reset.user.set_password(password)
    return True
