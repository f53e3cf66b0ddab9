"""Institutions and their email addresses."""
import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import Province, Region

# An event's local partners (a wilaya, a region council): institutions of the directory.
event_partner = Table(
    "event_partner",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True),
)


class Institution(db.Model):
    __tablename__ = "institution"
    __table_args__ = (UniqueConstraint("kind", "reference_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # For the institutions pre-filled from the reference data: the official code of their region
    # (wilaya, region council) or province (province, prefecture). None for the others.
    reference_code: Mapped[str | None] = mapped_column(String(12))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str] = mapped_column(String(200), default="")
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"), index=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_title: Mapped[str] = mapped_column(String(200), default="")
    # How letters and mails open (« Monsieur le Wali », "السيد والي جهة الشرق"), in `language`;
    # empty: a generic opening (portal.campaigns.courtesy).
    salutation: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(16), default="fr")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    region: Mapped[Region | None] = relationship()
    province: Mapped[Province | None] = relationship()
    emails: Mapped[list["InstitutionEmail"]] = relationship(
        cascade="all, delete-orphan", order_by="InstitutionEmail.id", back_populates="institution")

    @property
    def addresses(self) -> list[str]:
        return [row.email for row in self.emails]


class InstitutionEmail(db.Model):
    __tablename__ = "institution_email"
    __table_args__ = (UniqueConstraint("institution_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))

    institution: Mapped[Institution] = relationship(back_populates="emails")
