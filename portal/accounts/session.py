"""Sign-in sessions: a server-side row per signed-in browser, and Flask-Login's wiring to it.

The signed Flask cookie carries the session's token (the `user_session` row keeps its hash) and
the time of the last request. Flask-Login's user loader accepts the cookie only while
- its row exists and has not ended (logout ends it: a copy of the cookie dies with it);
- the user is active and their session_version is the one signed in with (a new password, a
  disabled account, a new role or a reset second factor moves it: every session ends);
- an admin or coordinator has a second factor;
- it is younger than PERMANENT_SESSION_LIFETIME and was used within SESSION_IDLE_MINUTES.
The last-activity time lives in the cookie, refreshed at each request: reading a page writes
nothing to the database.
"""
import datetime as dt

from flask import current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import select, update

from ..extensions import db
from ..params import parse_id, parse_int
from ..tokens import new_token, plausible, token_hash

TOKEN_KEY, SEEN_KEY = "session_token", "seen_at"


def init_login(app, login_manager):
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"  # "strong" clears cookies on every anonymous visit

    @login_manager.user_loader
    def load_user(identifier: str):
        from ..clock import utcnow
        user_id, _, version = identifier.partition(":")
        user_id, version = parse_id(user_id), parse_int(version)
        if user_id is None or version is None:
            return None
        row = _session_row(session.get(TOKEN_KEY))
        now = utcnow()
        if row is None or row.ended_at is not None or row.user_id != user_id or not _fresh(row, now):
            return None
        user = row.user
        if not user.active or user.session_version != version or (user.needs_two_factor and not user.has_two_factor):
            return None
        session[SEEN_KEY] = _epoch(now)
        return user


def _session_row(token):
    from .models import UserSession
    if not isinstance(token, str) or not plausible(token):
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))


def _fresh(row, now: dt.datetime) -> bool:
    if now - row.created_at > current_app.permanent_session_lifetime:
        return False
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int):
        return False
    idle = dt.timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))
    return _epoch(now) - seen <= idle.total_seconds()


def _epoch(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=dt.UTC).timestamp())


# --- changes (inside writing()) -------------------------------------------------------------
def start_session(user, now: dt.datetime) -> str:
    """A new session row for `user`; returns the token for the cookie (see sign_in_browser)."""
    from .models import UserSession
    token, stored = new_token()
    db.session.add(UserSession(user_id=user.id, token_hash=stored, created_at=now))
    return token


def end_session(token, now: dt.datetime) -> None:
    row = _session_row(token)
    if row is not None and row.ended_at is None:
        row.ended_at = now


def end_all_sessions(user, now: dt.datetime) -> None:
    """Every session of the user ends, this one included (the caller may start a new one)."""
    from .models import UserSession
    user.session_version = (user.session_version or 0) + 1
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                       .values(ended_at=now))


def purge_sessions(now: dt.datetime) -> int:
    """Session rows older than TOKEN_RETENTION_DAYS (they ended long ago: 8 hours at most)."""
    from sqlalchemy import delete

    from .models import UserSession
    before = now - dt.timedelta(days=int(current_app.config["TOKEN_RETENTION_DAYS"]))
    return db.session.execute(delete(UserSession).where(UserSession.created_at < before)).rowcount


# --- the browser's side (after the commit) --------------------------------------------------
def sign_in_browser(user, token: str, now: dt.datetime) -> None:
    """A fresh cookie session for the new row: nothing of the session before sign-in survives
    (its identifier, a pending step, a flash), so a session fixed by someone else is useless."""
    session.clear()
    session[TOKEN_KEY] = token
    session[SEEN_KEY] = _epoch(now)
    login_user(user)


def current_token():
    return session.get(TOKEN_KEY)
