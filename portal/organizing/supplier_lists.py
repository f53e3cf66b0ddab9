"""The lists for suppliers (issue 10, item 4): the hotel list and the transport list of an event.

Only decided support counts: the grants a coordinator confirmed or set by hand (a hotel books what
is confirmed; a mere proposal may still move with the cap or an approval). Two versions of each:
"full" for those who may see health data (admins, the event's coordinators), and "partners", for
observers and for sharing, with no health information at all. On the hotel list that means no
room needs and no room type either: a room is single only because of an access need, so the type
alone would tell who declared one.
"""
import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _

from ..events.vocabularies import TRAVEL_ZONE
from ..i18n import format_date, localized
from ..registration.grants import Grant, event_grants
from ..registration.vocabularies import ROOM, ROOM_NEED, TRAVEL_MODE


def decided_grants(event) -> tuple[list[Grant], int]:
    """The confirmed or overridden grants that give something, sorted by name; and how many
    proposals are still waiting for a decision (not on the lists)."""
    grants = event_grants(event) or []
    decided = [grant for grant in grants if grant.granted and grant.status != "proposed"]
    waiting = sum(1 for grant in grants if grant.status == "proposed")
    decided.sort(key=lambda grant: (grant.registration.last_name.casefold(), grant.registration.first_name.casefold(),
                                    grant.registration.id))
    return decided, waiting


def arrival_date(event) -> dt.date:
    """Support pays the night before the event (the rules' default): arrival the day before; more
    nights (a longer event) run on from there, so departure is arrival + nights."""
    return event.starts_on - dt.timedelta(days=1)


def room_needs(grant: Grant) -> list[str]:
    """What the room needs for this person's access needs; nothing without their consent to the
    processing of their needs (health data)."""
    registration = grant.registration
    if registration.consent_needs_at is None:
        return []
    labels = []
    for need in registration.access_needs:
        if need in ROOM_NEED and str(ROOM_NEED[need]) not in labels:
            labels.append(str(ROOM_NEED[need]))
    return labels


@dataclass
class SupplierList:
    name: str  # "hotel" | "transport"
    column_set: str  # "full" | "partners"
    header: list[str]
    rows: list[list[str]]
    waiting: int  # proposals not yet decided, left out


def hotel_list(event, column_set: str) -> SupplierList:
    grants, waiting = decided_grants(event)
    full = column_set == "full"
    header = [_("Prénom et nom"), _("Téléphone"), _("Nuits"), _("Date d'arrivée"), _("Date de départ")]
    if full:
        header += [_("Type de chambre"), _("Besoins de la chambre")]
    rows = []
    for grant in grants:
        if grant.nights <= 0:
            continue
        arrival = arrival_date(event)
        row = [grant.registration.full_name, grant.registration.phone or "", str(grant.nights),
               format_date(arrival, "short"), format_date(arrival + dt.timedelta(days=grant.nights), "short")]
        if full:
            row += [str(ROOM[grant.room]) if grant.room else "", ", ".join(room_needs(grant))]
        rows.append(row)
    return SupplierList("hotel", column_set, header, rows, waiting)


def travel_amount(grant: Grant) -> str:
    """The estimated amount in MAD, or "to estimate" when the zone's flat amount is not priced
    (never a 0 that nobody set). Not health data: the partners' version keeps it."""
    return _("à estimer") if grant.amount is None else str(grant.amount)


def transport_list(event, column_set: str) -> SupplierList:
    grants, waiting = decided_grants(event)
    header = [_("Prénom et nom"), _("Téléphone"), _("Province"), _("Zone"), _("Mode"), _("Montant estimé (MAD)")]
    rows = [[grant.registration.full_name, grant.registration.phone or "",
             localized(grant.registration.province, "name"),
             str(TRAVEL_ZONE[str(grant.zone)]) if grant.zone is not None else "—",
             str(TRAVEL_MODE[grant.mode]), travel_amount(grant)]
            for grant in grants if grant.travel]
    return SupplierList("transport", column_set, header, rows, waiting)


def supplier_list(event, name: str, column_set: str) -> SupplierList:
    return (hotel_list if name == "hotel" else transport_list)(event, column_set)
