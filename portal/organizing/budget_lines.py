"""The cost estimate of an event and of the plan (issue 10, item 7): quantity × unit cost, line by
line, with the quantities read live from the approvals, the decided grants, the logistics sheet
(rooms, equipment, meals with their overrides) and the declared needs.

Here on the top floor because it reads registrations, grants and the sheet. Every amount is an int
of MAD. Each line has two figures: "estimated" (from the approvals and grants) and, after the day
when attendance was recorded (registration.attendance), "committed": the lines that depend on who
came count the present instead of the approved (travel and nights: the decided grants of people
marked present; a meal's computed head count: the present instead of the approved, a head count set
by hand stays as set, the caterer was ordered that many); the others (rooms, equipment, interpreter,
printing done before the day, lines by hand) are committed as estimated. Before the day, or with no
attendance recorded, `committed` is None and the page says so.

Rules:
- a room counts when the sheet gives its seats (a room whose seats are not known is not booked yet);
  rooms and equipment per day, and an event lasts one day (`Event.starts_on`);
- the support counts only the grants a coordinator confirmed or overrode (a proposal may still move
  with the cap): travel at the flat amount of the person's zone (zone 0, in the venue's province, has
  none), nights at the price of a night;
- the interpreter line is one interpreter for the day when at least one approved participant declared
  sign language, with consent to keep it (health data: the budget is for those who may see it);
- printing per approved participant."""
import datetime as dt
from dataclasses import dataclass, field

from ..events.budget import OtherCost, other_costs, unit_costs
from ..events.models import AgendaItem, Event
from ..events.vocabularies import COST_ITEM, ROOM_EQUIPMENT
from ..registration.attendance import attendance_recorded, present_ids
from ..registration.grants import event_grants
from ..review.accessibility import need_counts
from .logistics_counts import logistics_sheet

DAYS = 1
DECIDED = ("confirmed", "overridden")


@dataclass
class Line:
    item: str  # a COST_ITEM value, or "other"
    quantity: int
    unit_cost: int
    meal: AgendaItem | None = None  # the agenda's meal a meal line counts
    other: OtherCost | None = None
    committed_quantity: int | None = None  # after the day, from attendance; None: not known yet

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_cost

    @property
    def committed_amount(self) -> int | None:
        return None if self.committed_quantity is None else self.committed_quantity * self.unit_cost


@dataclass
class Budget:
    event: Event
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def committed(self) -> bool:
        """True once the day is over and attendance was recorded: the committed figures are known."""
        return any(line.committed_quantity is not None for line in self.lines)

    @property
    def committed_total(self) -> int | None:
        return sum(line.committed_amount for line in self.lines) if self.committed else None


def event_budget(event: Event, today: dt.date | None = None) -> Budget:
    """`today` (the portal's clock's date) decides whether the day is over; None: estimate only."""
    costs = unit_costs(event.id)
    sheet = logistics_sheet(event)
    budget = Budget(event)
    attended = (today is not None and event.starts_on < today and bool(attendance_recorded([event.id])))
    present = present_ids(event.id) if attended else set()

    def add(line: Line, committed: int | None = None) -> None:
        if attended:
            line.committed_quantity = line.quantity if committed is None else committed
        budget.lines.append(line)

    rooms = [room for room in sheet.rooms if room.seats is not None]
    add(Line("room_day", len(rooms) * DAYS, costs["room_day"]))
    for value in ROOM_EQUIPMENT:
        count = sum(1 for room in rooms if value in room.equipment)
        if count:
            add(Line(f"equipment_{value}", count * DAYS, costs[f"equipment_{value}"]))
    for meal in sheet.meals:
        item = f"meal_{meal.item.kind}"
        came = meal.head_count if meal.override is not None else meal.computed - sheet.approved + len(present)
        add(Line(item, meal.head_count, costs[item], meal=meal.item), came)
    decided = [grant for grant in event_grants(event) or [] if grant.status in DECIDED]
    came = [grant for grant in decided if grant.registration.id in present]
    for zone in (1, 2, 3):
        travellers = sum(1 for grant in decided if grant.travel and grant.zone == zone)
        add(Line(f"travel_zone_{zone}", travellers, costs[f"travel_zone_{zone}"]),
            sum(1 for grant in came if grant.travel and grant.zone == zone))
    add(Line("night", sum(grant.nights for grant in decided), costs["night"]), sum(grant.nights for grant in came))
    signers = need_counts(event.id).get("sign_language", 0)
    add(Line("interpreter_day", DAYS if signers else 0, costs["interpreter_day"]))
    add(Line("printing", sheet.approved, costs["printing"]))
    for other in other_costs(event.id):
        add(Line("other", other.quantity, other.unit_cost, other=other))
    return budget


def plan_budget(events: list[Event], today: dt.date | None = None) -> tuple[list[Budget], int]:
    """The events' budgets side by side, and their estimated total."""
    budgets = [event_budget(event, today) for event in events]
    return budgets, sum(budget.total for budget in budgets)


def committed_plan_total(budgets: list[Budget]) -> int:
    """The plan's committed total: the committed amount of the events held with attendance, the
    estimate of the others (not held yet, or without attendance)."""
    return sum(budget.committed_total if budget.committed else budget.total for budget in budgets)


def line_label(line: Line, language: str) -> str:
    if line.other is not None:
        return line.other.label_ar if language == "ar" and line.other.label_ar else line.other.label_fr
    label = str(COST_ITEM[line.item])
    if line.meal is not None:
        title = line.meal.title_ar if language == "ar" and line.meal.title_ar else line.meal.title_fr
        label = f"{label} – {title}"
    return label
