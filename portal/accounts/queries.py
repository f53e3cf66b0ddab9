"""Reads for the account screens."""
from sqlalchemy import select

from ..extensions import db
from ..params import parse_id, parse_int
from .models import User


def all_accounts() -> list[User]:
    """Every account, administrators first, then by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))


def pending_user(user_id, version) -> User | None:
    """The account of a sign-in half done (password given), if it is still as it was then."""
    user_id, version = parse_id(str(user_id)), parse_int(str(version))
    if user_id is None or version is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
