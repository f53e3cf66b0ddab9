"""Reads for the account screens."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..events.models import Event, Organization
from ..extensions import db
from ..params import parse_id, parse_int
from .models import User

# The SQL condition of each account status (vocabularies.ACCOUNT_STATUS; User.status in Python).
_STATUS_WHERE = {
    "disabled": User.active.is_(False),
    "invited": User.active.is_(True) & User.last_login_at.is_(None),
    "active": User.active.is_(True) & User.last_login_at.is_not(None),
}


def all_accounts(role: str | None = None, status: str | None = None) -> list[User]:
    """Every account (of one role, one status, when given): administrators first, then by e-mail."""
    query = select(User).options(selectinload(User.organization)).order_by(User.role, User.email)
    if role is not None:
        query = query.where(User.role == role)
    if status is not None:
        query = query.where(_STATUS_WHERE[status])
    return list(db.session.scalars(query))


def account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def all_organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


def organization(organization_id: int) -> Organization | None:
    return db.session.get(Organization, organization_id)


def members_by_organization() -> dict[int, int]:
    """{organisation id: number of accounts}."""
    rows = db.session.execute(select(User.organization_id, func.count()).where(User.organization_id.is_not(None))
                              .group_by(User.organization_id))
    return dict(rows.all())


def all_events() -> list[Event]:
    """Every event, soonest first (to give an observer theirs)."""
    return list(db.session.scalars(select(Event).order_by(Event.starts_on, Event.id)))


def pending_user(user_id, version) -> User | None:
    """The account of a sign-in half done (password given), if it is still as it was then."""
    user_id, version = parse_id(str(user_id)), parse_int(str(version))
    if user_id is None or version is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
