"""Account changes: creating and inviting users, signing in, passwords and reset links, disabling,
roles. The administrators' changes raise Refused (field by field) before changing anything."""
import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from ..database import add_unless_duplicate, for_update
from ..events.models import Event, Organization
from ..extensions import db
from ..forms import Refused
from ..tokens import plausible, token_hash
from ..urls import public_url
from .models import ROLES, PasswordReset, User
from .notifications import queue_invitation, queue_password_reset_mail
from .passwords import UNUSABLE, hash_password
from .session import end_all_sessions, start_session
from .throttle import forget_failures
from .two_factor import remove_second_factor
from .vocabularies import ACCOUNT_STATUS

RESET_VALIDITY = dt.timedelta(hours=1)
INVITE_VALIDITY = dt.timedelta(hours=72)


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


def queue_password_reset(user: User, now: dt.datetime, language: str) -> bool:
    """Queue a reset mail in `language` (the one of the page where it was asked for), unless the
    account had PASSWORD_RESET_MAILS_PER_HOUR already this hour (a flood of mails to someone's
    inbox); False then."""
    locked_user(user.id)  # two requests for one account count one after the other
    sent = db.session.scalar(select(func.count()).select_from(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.purpose == "reset",
        PasswordReset.created_at > now - dt.timedelta(hours=1)))
    if sent >= int(current_app.config["PASSWORD_RESET_MAILS_PER_HOUR"]):
        return False
    reset, token = PasswordReset.issue(user, now, RESET_VALIDITY)
    db.session.add(reset)
    queue_password_reset_mail(user, public_url("accounts.reset_password", token=token), language,
                              hours=int(RESET_VALIDITY.total_seconds() // 3600))
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


def link_purpose(token: str) -> str | None:
    """"reset" or "invite" for a link of ours, valid or not (its page says which has expired)."""
    if not plausible(token):
        return None
    return db.session.scalar(select(PasswordReset.purpose).where(PasswordReset.token_hash == token_hash(token)))


def consume_reset(token: str, password: str, now: dt.datetime) -> bool:
    """Set the password once; this link and every other open one of the account die with it."""
    reset = valid_reset(token, now)
    if reset is None:
        return False
    set_new_password(reset.user, password, now)
    return True


# --- administrators: invitations and changes to an account -----------------------------------
def invite_user(email: str, language: str, profile: dict, now: dt.datetime) -> tuple[User, bool]:
    """Create the account without a usable password and mail it a single-use link to choose one
    (valid INVITE_VALIDITY). An address whose account has never signed in is invited again: its
    details are those of this form, and its earlier links stop working. Returns (user, again)."""
    email = email.strip().lower()
    user = find_user_by_email(email)
    if user is not None and user.status != "invited":
        raise Refused({"email": [_("Un compte existe déjà pour %(email)s (%(status)s) : modifiez-le depuis la "
                                   "liste des comptes.", email=email, status=_status_label(user))]})
    organization, events = _checked_profile(profile)
    again = user is not None
    if user is None:
        user = User(email=email, password_hash=UNUSABLE)
        _apply_profile(user, profile, organization, events, now)
        # The database decides: two administrators inviting one address at once make one account.
        if not add_unless_duplicate(user):
            raise Refused({"email": [_("Un compte vient d'être créé pour %(email)s : modifiez-le depuis la "
                                       "liste des comptes.", email=email)]})
    else:
        _apply_profile(user, profile, organization, events, now)
    db.session.flush()  # the account's id, for its link
    _end_open_resets(user, now)
    invitation, token = PasswordReset.issue(user, now, INVITE_VALIDITY, purpose="invite")
    db.session.add(invitation)
    queue_invitation(user, public_url("accounts.reset_password", token=token), language, invitation.expires_at)
    return user, again


def _status_label(user: User) -> str:
    return str(ACCOUNT_STATUS[user.status]).lower()


def change_account(user: User, acting: User, profile: dict, now: dt.datetime) -> dict[str, tuple]:
    """Name, role, organisation and an observer's events; a new role ends the account's sessions.
    Returns {what: (before, after)} for each change (for the security log)."""
    organization, events = _checked_profile(profile)
    if user.role == "admin" and profile["role"] != "admin":
        _keep_an_admin(user, acting, _("Vous ne pouvez pas retirer votre propre rôle d'administration."), "role")
    before = {"name": user.name, "role": user.role, "organization": user.organization_id,
              "events": sorted(e.id for e in user.observed_events)}
    _apply_profile(user, profile, organization, events, now)
    after = {"name": user.name, "role": user.role, "organization": user.organization_id,
             "events": sorted(e.id for e in user.observed_events)}
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


def set_account_active(user: User, acting: User, active: bool, now: dt.datetime) -> None:
    """Disable (every session ends at once) or enable an account again."""
    if active:
        user.active = True
        return
    if user.role == "admin":
        _keep_an_admin(user, acting, _("Vous ne pouvez pas désactiver votre propre compte."))
    disable_user(user, now)


def _keep_an_admin(user: User, acting: User, own_message: str, field: str = "") -> None:
    """Refuse to take `user`'s administration away when it is the acting one's own account, or the
    last active one (the portal would have nobody left to manage it)."""
    if user.id == acting.id:
        raise Refused({field: [own_message]})
    others = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id))
    if not others:
        raise Refused({field: [_("Il doit rester au moins un compte d'administration actif.")]})


def _checked_profile(profile: dict) -> tuple[Organization | None, list[Event]]:
    """The organisation and events named by the profile, or Refused (the form checked them: this
    catches what changed in between, such as an organisation deleted meanwhile)."""
    if profile["role"] not in ROLES:
        raise Refused({"role": [_("Choisissez un rôle dans la liste.")]})
    organization = None
    if profile["organization_id"] is not None:
        organization = db.session.get(Organization, profile["organization_id"])
        if organization is None:
            raise Refused({"organization": [_("Choisissez une organisation dans la liste.")]})
    if profile["role"] == "coordinator" and organization is None:
        raise Refused({"organization": [_("Un compte de coordination appartient à une association : "
                                          "choisissez-la.")]})
    wanted = set(profile["event_ids"])
    events = list(db.session.scalars(select(Event).where(Event.id.in_(wanted)))) if wanted else []
    if len(events) != len(wanted):
        raise Refused({"events": [_("Choisissez les événements dans la liste.")]})
    return organization, events


def _apply_profile(user: User, profile: dict, organization, events, now: dt.datetime) -> None:
    user.name = profile["name"]
    user.organization = organization
    user.observed_events = events if profile["role"] == "observer" else []
    if user.id is None:
        user.role = profile["role"]
    elif user.role != profile["role"]:
        set_role(user, profile["role"], now)  # signs the account out everywhere
