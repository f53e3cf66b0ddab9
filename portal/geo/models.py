"""Reference data, loaded by a migration from portal/geo/data/ (see SOURCE.md there)."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Region(db.Model):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    population_2024: Mapped[int | None]

    provinces: Mapped[list["Province"]] = relationship(back_populates="region", order_by="Province.name_fr")


class Province(db.Model):
    """A province or a prefecture; both are a level-2 division, told apart by `kind`."""
    __tablename__ = "province"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12))  # province | prefecture
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    population_2024: Mapped[int | None]

    region: Mapped[Region] = relationship(back_populates="provinces")
