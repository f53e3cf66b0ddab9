"""The unit costs of the cost estimate (issue 10, item 7) and the lines that organisers add by hand.

A unit cost (COST_ITEM, in whole dirhams: no floats for money) is set for the whole plan
(event_id NULL) and may be overridden for one event. The quantities come from registrations, grants
and the logistics sheet, which this floor cannot read: `portal.organizing.budget_lines` computes the
budget from them."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, String, select, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..forms import Refused
from .vocabularies import COST_ITEM

MAX_AMOUNT = 10_000_000  # MAD, per unit
MAX_QUANTITY = 100_000


class UnitCost(db.Model):
    __tablename__ = "unit_cost"
    __table_args__ = (
        Index("uq_unit_cost_plan", "item", unique=True,
              sqlite_where=text("event_id IS NULL"), postgresql_where=text("event_id IS NULL")),
        Index("uq_unit_cost_event", "event_id", "item", unique=True,
              sqlite_where=text("event_id IS NOT NULL"), postgresql_where=text("event_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int]  # MAD
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class OtherCost(db.Model):
    """A line of an event's budget entered by hand (a banner, a photographer...)."""
    __tablename__ = "other_cost"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_ar: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[int]
    unit_cost: Mapped[int]  # MAD
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_cost


def _rows(event_id: int | None) -> dict[str, UnitCost]:
    where = UnitCost.event_id.is_(None) if event_id is None else UnitCost.event_id == event_id
    return {row.item: row for row in db.session.scalars(select(UnitCost).where(where))}


def plan_costs() -> dict[str, int]:
    """item -> the plan's unit cost (items never priced are missing)."""
    return {item: row.amount for item, row in _rows(None).items()}


def event_overrides(event_id: int) -> dict[str, int]:
    return {item: row.amount for item, row in _rows(event_id).items()}


def priced_unit_costs(event_id: int) -> dict[str, int]:
    """item -> the unit cost that applies to the event: its own, else the plan's (items priced
    nowhere are missing: not known is not free)."""
    return plan_costs() | event_overrides(event_id)


def unit_costs(event_id: int) -> dict[str, int]:
    """item -> the unit cost that applies to the event: its own, else the plan's, else 0."""
    return {item: 0 for item in COST_ITEM} | priced_unit_costs(event_id)


def travel_flat_amount(costs: dict[str, int], zone: int | None) -> int | None:
    """The flat travel amount of a zone in these unit costs; None when it is not priced (or for
    zone 0, the venue's province, which has no travel cost item)."""
    return costs.get(f"travel_zone_{zone}") if zone is not None else None


def save_unit_costs(event_id: int | None, amounts: dict[str, int | None], user_id: int | None,
                    now: dt.datetime) -> None:
    """The plan's unit costs (event_id None) or an event's overrides; None removes a price (for an
    event: the plan's applies again)."""
    problems = {item: [_l("Indiquez un montant entier entre 0 et %(max)d MAD.", max=MAX_AMOUNT)]
                for item, amount in amounts.items() if amount is not None and not 0 <= amount <= MAX_AMOUNT}
    if any(item not in COST_ITEM for item in amounts):
        raise Refused({"item": [_l("Ce poste de coût n'existe pas.")]})
    if problems:
        raise Refused(problems)
    rows = _rows(event_id)
    for item, amount in amounts.items():
        row = rows.get(item)
        if amount is None:
            if row is not None:
                db.session.delete(row)
            continue
        row = row or UnitCost(event_id=event_id, item=item)
        row.amount, row.updated_at, row.updated_by_id = amount, now, user_id
        db.session.add(row)


def other_costs(event_id: int) -> list[OtherCost]:
    return list(db.session.scalars(select(OtherCost).where(OtherCost.event_id == event_id).order_by(OtherCost.id)))


def add_other_cost(event_id: int, label_fr: str, label_ar: str, quantity: int, unit_cost: int,
                   user_id: int | None, now: dt.datetime) -> OtherCost:
    problems = {}
    if not label_fr.strip():
        problems["label_fr"] = [_l("Indiquez l'intitulé en français.")]
    if not 0 <= quantity <= MAX_QUANTITY:
        problems["quantity"] = [_l("Indiquez une quantité entre 0 et %(max)d.", max=MAX_QUANTITY)]
    if not 0 <= unit_cost <= MAX_AMOUNT:
        problems["unit_cost"] = [_l("Indiquez un montant entier entre 0 et %(max)d MAD.", max=MAX_AMOUNT)]
    if problems:
        raise Refused(problems)
    line = OtherCost(event_id=event_id, label_fr=label_fr.strip(), label_ar=label_ar.strip(), quantity=quantity,
                     unit_cost=unit_cost, updated_at=now, updated_by_id=user_id)
    db.session.add(line)
    return line


def delete_other_cost(event_id: int, line_id: int) -> bool:
    line = db.session.get(OtherCost, line_id)
    if line is None or line.event_id != event_id:
        return False
    db.session.delete(line)
    return True
