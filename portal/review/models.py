"""What the review adds to registrations: coordinators' notes, the export log, the inclusion targets,
the ticked lines of the accessibility plan."""
import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, text
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


class InclusionTarget(db.Model):
    """A share (in %) of one inclusion group that admins aim at: for the whole plan (event_id NULL)
    or for one event, where it overrides the plan's. Groups are registration.groups.GROUP."""
    __tablename__ = "inclusion_target"
    __table_args__ = (
        # One target per group for the plan and one per group and event (NULLs are distinct in a plain
        # unique constraint, hence two partial indexes).
        Index("uq_inclusion_target_plan", "group_name", unique=True,
              sqlite_where=text("event_id IS NULL"), postgresql_where=text("event_id IS NULL")),
        Index("uq_inclusion_target_event", "event_id", "group_name", unique=True,
              sqlite_where=text("event_id IS NOT NULL"), postgresql_where=text("event_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    group_name: Mapped[str] = mapped_column(String(20))
    percent: Mapped[int]
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class AccessibilityActionDone(db.Model):
    """A line of an event's accessibility plan that a coordinator ticked done: which line
    (review.accessibility.ACTIONS), when and by whom. No health data: the counts are computed live."""
    __tablename__ = "accessibility_action_done"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    action: Mapped[str] = mapped_column(String(32), primary_key=True)
    done_at: Mapped[dt.datetime] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
