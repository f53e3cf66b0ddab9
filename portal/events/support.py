"""Travel and accommodation support of an event: the travel zones of the provinces relative to its
venue (by default from the reference data, an admin may move a province for one event) and the
rules (which zones get travel or accommodation, for how many nights, an optional cap on the
beneficiaries and the order of priority when it bites). Shown in plain words to the public."""
import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..forms import Refused
from ..geo.borders import ZONES, bordering_regions, default_zone
from ..geo.queries import ProvinceRow, RegionRow, all_provinces, all_regions, province, region
from .models import Event
from .vocabularies import SUPPORT_PRIORITY

MAX_NIGHTS = 7
MAX_CAP = 100000
# Until an admin saves the event's rules, the form offers these: travel from outside the venue's
# province, and the night before for those who come from beyond the venue's region.
DEFAULT_RULES = {"travel_zones": [1, 2, 3], "accommodation_zones": [2, 3], "nights": 1, "cap": None,
                 "priority": list(SUPPORT_PRIORITY)}


class SupportRules(db.Model):
    """An event's support rules; the row exists once an admin saved them (then the public sees them)."""
    __tablename__ = "support_rules"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    travel_zones: Mapped[str] = mapped_column(String(8), default="")  # zone digits, e.g. "123"
    accommodation_zones: Mapped[str] = mapped_column(String(8), default="")
    nights: Mapped[int] = mapped_column(default=1)
    cap: Mapped[int | None]  # None: no cap
    priority: Mapped[str] = mapped_column(String(80))  # SUPPORT_PRIORITY values, comma-separated, in order
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    @property
    def travel(self) -> list[int]:
        return [int(zone) for zone in self.travel_zones]

    @property
    def accommodation(self) -> list[int]:
        return [int(zone) for zone in self.accommodation_zones]

    @property
    def priorities(self) -> list[str]:
        return [value for value in self.priority.split(",") if value]


class ZoneOverride(db.Model):
    """A province moved by an admin to another zone than its default one, for one event."""
    __tablename__ = "zone_override"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), primary_key=True)
    zone: Mapped[int]


def rules_of(event_id: int) -> SupportRules | None:
    return db.session.get(SupportRules, event_id)


def overrides_of(event_id: int) -> dict[str, int]:
    rows = db.session.scalars(select(ZoneOverride).where(ZoneOverride.event_id == event_id))
    return {row.province_code: row.zone for row in rows}


def event_zones(event: Event) -> dict[str, int] | None:
    """province code -> zone for this event; None when the venue's province is not set (no zones)."""
    venue = province(event.province_code)
    if venue is None:
        return None
    moved = overrides_of(event.id)
    return {p.code: moved.get(p.code, default_zone(venue.code, venue.region_code, p.code, p.region_code))
            for p in all_provinces()}


def provinces_by_zone(event: Event) -> list[tuple[int, list[tuple[ProvinceRow, bool]]]] | None:
    """[(zone, [(province, moved by an admin?)])] for the zones table; None without a venue province."""
    zones = event_zones(event)
    if zones is None:
        return None
    moved = overrides_of(event.id)
    return [(zone, [(p, p.code in moved) for p in all_provinces() if zones[p.code] == zone]) for zone in ZONES]


# --- changes (inside writing()) ------------------------------------------------------------------

def save_rules(event: Event, values: dict, user_id: int, now: dt.datetime) -> SupportRules:
    """Save the rules after checking them as a whole; Refused (nothing changed) when they make no sense."""
    travel, accommodation = _zones(values, "travel_zones"), _zones(values, "accommodation_zones")
    nights, cap, priority = values.get("nights"), values.get("cap"), list(values.get("priority") or [])
    problems: dict[str, list] = {}
    if not isinstance(nights, int) or not 0 <= nights <= MAX_NIGHTS:
        problems["nights"] = [_l("Indiquez un nombre de nuits entre 0 et %(max)d (0 : pas d'hébergement).",
                                 max=MAX_NIGHTS)]
    elif accommodation and nights == 0:
        problems["nights"] = [_l("Indiquez au moins une nuit, ou ne cochez aucune zone pour l'hébergement.")]
    if cap is not None and (not isinstance(cap, int) or not 1 <= cap <= MAX_CAP):
        problems["cap"] = [_l("Le plafond est d'au moins 1 bénéficiaire ; laissez le champ vide pour ne pas "
                              "limiter le nombre de bénéficiaires.")]
    if sorted(priority) != sorted(SUPPORT_PRIORITY):
        problems["priority_1"] = [_l("Classez chacun des trois critères une fois, sans le répéter.")]
    if travel is None:
        problems["travel_zones"] = [_l("Choisissez parmi les zones 0 à 3.")]
    if accommodation is None:
        problems["accommodation_zones"] = [_l("Choisissez parmi les zones 0 à 3.")]
    if problems:
        raise Refused(problems)
    rules = rules_of(event.id)
    if rules is None:
        rules = SupportRules(event_id=event.id)
        db.session.add(rules)
    rules.travel_zones = "".join(str(zone) for zone in travel)
    rules.accommodation_zones = "".join(str(zone) for zone in accommodation)
    rules.nights, rules.cap, rules.priority = nights, cap, ",".join(priority)
    rules.updated_at, rules.updated_by_id = now, user_id
    return rules


def _zones(values: dict, name: str) -> list[int] | None:
    zones = set()
    for value in values.get(name) or []:
        if str(value) not in {str(zone) for zone in ZONES}:
            return None
        zones.add(int(value))
    return sorted(zones)


def move_province(event: Event, province_code: str, zone: int | None) -> None:
    """Put a province in another zone for this event; zone None gives it back its default zone."""
    if province(province_code) is None:
        raise Refused({"province_code": [_l("Choisissez une province de la liste.")]})
    if zone is not None and zone not in ZONES:
        raise Refused({"zone": [_l("Choisissez une zone de 0 à 3.")]})
    override = db.session.get(ZoneOverride, (event.id, province_code))
    if zone is None:
        if override is not None:
            db.session.delete(override)
    elif override is None:
        db.session.add(ZoneOverride(event_id=event.id, province_code=province_code, zone=zone))
    else:
        override.zone = zone


# --- the rules in plain words (public page, registration form) -------------------------------------

@dataclass
class SupportSummary:
    rules: SupportRules
    province: ProvinceRow
    region: RegionRow
    neighbours: list[RegionRow]
    moved: list[tuple[ProvinceRow, int]]


_NOT_READ = object()


def published_support(event: Event, rules=_NOT_READ) -> SupportSummary | None:
    """What the public reads: the saved rules, when the venue's province (hence the zones) is known.
    `rules`: the event's SupportRules row (or None) when the caller read it already."""
    venue = province(event.province_code)
    if venue is None:
        return None
    rules = rules_of(event.id) if rules is _NOT_READ else rules
    if rules is None:
        return None
    venue_region = region(venue.region_code)
    neighbours = [r for r in all_regions() if r.code in bordering_regions(venue_region.code)]
    moved = overrides_of(event.id)
    provinces = [p for p in all_provinces() if p.code in moved]
    return SupportSummary(rules, venue, venue_region, neighbours, [(p, moved[p.code]) for p in provinces])
