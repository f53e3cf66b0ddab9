"""What the review adds to registrations: coordinators' notes and the export log."""
import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class InternalNote(db.Model):
    """A coordinators' note on a participant; never shown to the participant."""
    __tablename__ = "internal_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    body: Mapped[str] = mapped_column(Text)


class ExportLog(db.Model):
    """Every export: who, when, which event, which columns, which filters, how many rows."""
    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    file_format: Mapped[str] = mapped_column(String(4))
    column_set: Mapped[str] = mapped_column(String(10))
    query: Mapped[str] = mapped_column(Text, default="")
    row_count: Mapped[int | None]
