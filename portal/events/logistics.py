"""The logistics sheet of an event (issue 10, item 5): its rooms (the plenary and one per workshop)
with their seats and equipment, the organising team's head count, and the head counts set by hand
for some meals. The figures computed from registrations and invitations are read by the organisers'
screen (`portal.organizing.logistics_counts`): this floor knows only the event's own data."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, String, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..forms import Refused
from .models import AgendaItem, Event, Workshop
from .vocabularies import MEAL_KINDS, ROOM_EQUIPMENT

MAX_SEATS = 100000
MAX_HEADS = 100000


class LogisticsSheet(db.Model):
    """What the sheet adds to the event as a whole: the organising team's head count."""
    __tablename__ = "logistics_sheet"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    team_count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class LogisticsRoom(db.Model):
    """A room of the event: the plenary (workshop_id None) or a workshop's (named by Workshop.room)."""
    __tablename__ = "logistics_room"
    # One plenary room per event, one room per workshop (partial unique indexes).
    __table_args__ = (
        Index("uq_logistics_room_plenary", "event_id", unique=True,
              sqlite_where=text("workshop_id IS NULL"), postgresql_where=text("workshop_id IS NULL")),
        Index("uq_logistics_room_workshop", "workshop_id", unique=True,
              sqlite_where=text("workshop_id IS NOT NULL"), postgresql_where=text("workshop_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")  # the plenary's room; a workshop's is Workshop.room
    seats: Mapped[int | None]  # None: not yet known
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    equipment_rows: Mapped[list["RoomEquipment"]] = relationship(cascade="all, delete-orphan",
                                                                 order_by="RoomEquipment.equipment")

    @property
    def equipment(self) -> list[str]:
        """ROOM_EQUIPMENT values, in the vocabulary's order."""
        present = {row.equipment for row in self.equipment_rows}
        return [value for value in ROOM_EQUIPMENT if value in present]


class RoomEquipment(db.Model):
    """One piece of equipment present in a room (ROOM_EQUIPMENT): a row each."""
    __tablename__ = "room_equipment"

    room_id: Mapped[int] = mapped_column(ForeignKey("logistics_room.id", ondelete="CASCADE"), primary_key=True)
    equipment: Mapped[str] = mapped_column(String(24), primary_key=True)


class MealOverride(db.Model):
    """A meal's head count set by hand; it replaces the computed one (shown beside it)."""
    __tablename__ = "meal_override"

    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), primary_key=True)
    head_count: Mapped[int]
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


def team_count_of(event_id: int) -> int:
    sheet = db.session.get(LogisticsSheet, event_id)
    return sheet.team_count if sheet else 0


def rooms_of(event: Event) -> list[tuple[Workshop | None, LogisticsRoom | None]]:
    """The plenary first, then each workshop, in the workshops' order, with their saved room if any."""
    saved = {room.workshop_id: room for room in db.session.scalars(
        select(LogisticsRoom).where(LogisticsRoom.event_id == event.id))}
    return [(None, saved.get(None))] + [(workshop, saved.get(workshop.id)) for workshop in event.workshops]


def meals_of(event_id: int) -> list[AgendaItem]:
    """The agenda's coffee breaks and meals, in the day's order."""
    return list(db.session.scalars(select(AgendaItem).where(
        AgendaItem.event_id == event_id, AgendaItem.kind.in_(MEAL_KINDS)).order_by(
        AgendaItem.starts_at, AgendaItem.position, AgendaItem.id)))


def overrides_of(event_id: int) -> dict[int, int]:
    """agenda item id -> the head count set by hand."""
    rows = db.session.execute(select(MealOverride.agenda_item_id, MealOverride.head_count).join(
        AgendaItem, AgendaItem.id == MealOverride.agenda_item_id).where(AgendaItem.event_id == event_id))
    return {item_id: count for item_id, count in rows}


def save_team_count(event: Event, team_count: int, user_id: int | None, now: dt.datetime) -> None:
    if not 0 <= team_count <= MAX_HEADS:
        raise Refused({"team_count": [_l("Indiquez un nombre entre 0 et %(max)d.", max=MAX_HEADS)]})
    sheet = db.session.get(LogisticsSheet, event.id) or LogisticsSheet(event_id=event.id)
    sheet.team_count, sheet.updated_at, sheet.updated_by_id = team_count, now, user_id
    db.session.add(sheet)


def save_room(event: Event, workshop_id: int | None, name: str, seats: int | None, equipment: list[str],
              user_id: int | None, now: dt.datetime) -> None:
    """The plenary's room (workshop_id None) or a workshop's: its seats and equipment."""
    if workshop_id is not None and workshop_id not in {workshop.id for workshop in event.workshops}:
        raise Refused({"room": [_l("Cette salle n'est pas une salle de l'événement.")]})
    if seats is not None and not 0 <= seats <= MAX_SEATS:
        raise Refused({"seats": [_l("Indiquez un nombre de places entre 0 et %(max)d.", max=MAX_SEATS)]})
    unknown = [value for value in equipment if value not in ROOM_EQUIPMENT]
    if unknown:
        raise Refused({"equipment": [_l("Choisissez l'équipement dans la liste.")]})
    room = db.session.scalar(select(LogisticsRoom).where(
        LogisticsRoom.event_id == event.id, LogisticsRoom.workshop_id.is_(None) if workshop_id is None
        else LogisticsRoom.workshop_id == workshop_id)) or LogisticsRoom(event_id=event.id, workshop_id=workshop_id)
    room.name = name if workshop_id is None else ""
    room.seats, room.updated_at, room.updated_by_id = seats, now, user_id
    room.equipment_rows = [RoomEquipment(equipment=value) for value in ROOM_EQUIPMENT if value in set(equipment)]
    db.session.add(room)


def save_meal_override(event: Event, agenda_item_id: int, head_count: int | None, user_id: int | None,
                       now: dt.datetime) -> None:
    """Set a meal's head count by hand, or (None) go back to the computed figure."""
    if agenda_item_id not in {item.id for item in meals_of(event.id)}:
        raise Refused({"meal": [_l("Ce moment n'est pas un repas ou une pause de l'événement.")]})
    if head_count is not None and not 0 <= head_count <= MAX_HEADS:
        raise Refused({"head_count": [_l("Indiquez un nombre entre 0 et %(max)d.", max=MAX_HEADS)]})
    override = db.session.get(MealOverride, agenda_item_id)
    if head_count is None:
        if override is not None:
            db.session.delete(override)
        return
    override = override or MealOverride(agenda_item_id=agenda_item_id)
    override.head_count, override.updated_at, override.updated_by_id = head_count, now, user_id
    db.session.add(override)
