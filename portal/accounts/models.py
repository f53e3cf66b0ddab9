"""Users, their roles, their sign-in sessions, second factor, and single-use password reset tokens."""
import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Table, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..events.models import Event, Organization
from ..extensions import db
from ..tokens import new_token
from .passwords import hash_password, needs_rehash, verify_password
from .vocabularies import ROLE

ROLES = ROLE.values
# Roles that sign in with a second factor (TOTP) always; the others may choose to.
TWO_FACTOR_ROLES = ("admin", "coordinator")

# The events an observer is given (read-only); coordinators see their organisation's events.
observer_event = Table(
    "observer_event",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(12))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Changing it logs the user out everywhere (it is part of the session identifier): a new
    # password, a disabled account, a new role, a reset second factor.
    session_version: Mapped[int] = mapped_column(default=1)
    # The second factor: the TOTP secret (base32, kept in clear: it is needed to check a code),
    # and the last time step a code was accepted for (a code is accepted once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization | None] = relationship()
    observed_events: Mapped[list[Event]] = relationship(secondary=observer_event)

    def set_password(self, password: str) -> None:
        """The hash only: a change of password goes through operations.set_new_password, which
        also ends the sessions and the open reset links."""
        self.password_hash = hash_password(password)  # argon2id, salted

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    @property
    def status(self) -> str:
        """A value of vocabularies.ACCOUNT_STATUS."""
        if not self.active:
            return "disabled"
        return "invited" if self.last_login_at is None else "active"

    @property
    def password_needs_rehash(self) -> bool:
        return needs_rehash(self.password_hash)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def needs_two_factor(self) -> bool:
        """Admins and coordinators may not sign in without a second factor."""
        return self.role in TWO_FACTOR_ROLES

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active


class PasswordReset(db.Model):
    """A reset link, or an invitation's link to set a first password (purpose "invite"): only the
    token's hash is stored; it works once, for a limited time."""
    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(8), default="reset")  # reset | invite
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # counts the mails of the last hour

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user: User, now: dt.datetime, valid_for: dt.timedelta,
              purpose: str = "reset") -> tuple["PasswordReset", str]:
        """The reset and the token of its link (only the hash is stored)."""
        token, stored = new_token()
        return cls(user=user, purpose=purpose, token_hash=stored, created_at=now, expires_at=now + valid_for), token


class UserSession(db.Model):
    """One signed-in browser. The cookie carries the token; only its hash is stored. A session
    ends at logout (ended_at), and every session of a user ends when their session_version moves."""
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code that replaces the TOTP code once (a lost phone); only its hash is stored."""
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SignInFailure(db.Model):
    """A failed password or code, by the account typed (known or not: the same rules) and the
    client's address: the throttle counts them (tables, not memory: several processes share them)."""
    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_account_at", "account", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(254))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
