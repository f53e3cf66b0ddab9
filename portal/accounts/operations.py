"""Account changes: creating users, signing in, passwords and reset links, disabling, roles."""
import datetime as dt

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from ..database import for_update
from ..events.models import Organization
from ..extensions import db
from ..outbox import queue_message
from ..tokens import plausible, token_hash
from ..urls import public_url
from .models import ROLES, PasswordReset, User
from .passwords import hash_password
from .session import end_all_sessions, start_session
from .throttle import forget_failures
from .two_factor import remove_second_factor

RESET_VALIDITY = dt.timedelta(hours=1)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def locked_user(user_id: int) -> User | None:
    """The user read again under the write lock (its row locked on PostgreSQL)."""
    return db.session.scalar(for_update(select(User).where(User.id == user_id)).execution_options(
        populate_existing=True))


def password_accepted(user_id: int, password: str) -> None:
    """Bring an older password hash up to today's cost while the password is at hand."""
    user = locked_user(user_id)
    if user.password_needs_rehash:
        user.password_hash = hash_password(password)


def complete_sign_in(user: User, client: str, now: dt.datetime) -> str:
    """The last step of signing in: note it, forget this client's failures on the account, and
    start a session; returns its token for the cookie."""
    user.last_login_at = now
    forget_failures(user.email, client)
    return start_session(user, now)


def set_new_password(user: User, password: str, now: dt.datetime) -> None:
    """A new password ends every session of the user and every open reset link."""
    user.set_password(password)
    end_all_sessions(user, now)
    _end_open_resets(user, now)


def _end_open_resets(user: User, now: dt.datetime) -> None:
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                   PasswordReset.used_at.is_(None)).values(used_at=now))


def disable_user(user: User, now: dt.datetime) -> None:
    user.active = False
    end_all_sessions(user, now)


def set_role(user: User, role: str, now: dt.datetime) -> None:
    """Raises ValueError with a message a person can act on."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if role == "coordinator" and user.organization is None:
        raise ValueError("a coordinator belongs to an organisation, and this account has none")
    user.role = role
    end_all_sessions(user, now)


def reset_second_factor(user: User, now: dt.datetime) -> None:
    """The account signs in again and, if its role needs one, enrols a new second factor."""
    remove_second_factor(user)
    end_all_sessions(user, now)


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


def queue_password_reset(user: User, now: dt.datetime) -> bool:
    """Queue a reset mail, unless the account had PASSWORD_RESET_MAILS_PER_HOUR already this hour
    (a flood of mails to someone's inbox); False then."""
    locked_user(user.id)  # two requests for one account count one after the other
    sent = db.session.scalar(select(func.count()).select_from(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.created_at > now - dt.timedelta(hours=1)))
    if sent >= int(current_app.config["PASSWORD_RESET_MAILS_PER_HOUR"]):
        return False
    reset, token = PasswordReset.issue(user, now, RESET_VALIDITY)
    db.session.add(reset)
    link = public_url("accounts.reset_password", token=token)
    with force_locale("fr"):
        context = {"user": user, "link": link, "hours": int(RESET_VALIDITY.total_seconds() // 3600)}
        queue_message(to_address=user.email, to_name=user.name, subject=_("Réinitialiser votre mot de passe"),
                      body_text=render_template("emails/password_reset.txt", **context),
                      body_html=render_template("emails/password_reset.html", **context))
    return True


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
    """Set the password once; this link and every other open one of the account die with it."""
    reset = valid_reset(token, now)
    if reset is None:
        return False
    set_new_password(reset.user, password, now)
    return True
