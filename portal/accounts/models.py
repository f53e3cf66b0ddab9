"""Users, their roles, and single-use password reset tokens."""
import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Column, DateTime, ForeignKey, String, Table, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..events.models import Event, Organization
from ..extensions import db
from ..tokens import new_token
from .passwords import hash_password, needs_rehash, verify_password

ROLES = ("admin", "coordinator", "observer")

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
    # Changing it logs the user out everywhere (it is part of the session identifier).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    organization: Mapped[Organization | None] = relationship()
    observed_events: Mapped[list[Event]] = relationship(secondary=observer_event)

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)  # argon2id, salted
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    @property
    def password_needs_rehash(self) -> bool:
        return needs_rehash(self.password_hash)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active


class PasswordReset(db.Model):
    """A reset link: only the token's hash is stored; it works once, for a limited time."""
    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user: User, now: dt.datetime, valid_for: dt.timedelta) -> tuple["PasswordReset", str]:
        """The reset and the token of its link (only the hash is stored)."""
        token, stored = new_token()
        return cls(user=user, token_hash=stored, expires_at=now + valid_for), token
