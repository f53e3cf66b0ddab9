"""Which regions border each other (data/region_borders.csv, see SOURCE.md there), read once and
kept in memory: the zones of an event's travel support start from it."""
from functools import cache

from .reference import read_rows

# The travel zones of a province relative to an event's venue: 0 the venue's province, 1 another
# province of its region, 2 a province of a bordering region, 3 elsewhere.
VENUE_PROVINCE, VENUE_REGION, BORDERING_REGION, ELSEWHERE = 0, 1, 2, 3
ZONES = (VENUE_PROVINCE, VENUE_REGION, BORDERING_REGION, ELSEWHERE)


@cache
def _borders() -> dict[str, frozenset[str]]:
    neighbours: dict[str, set[str]] = {}
    for row in read_rows("region_borders.csv"):
        one, other = row["region_code"], row["borders_region_code"]
        neighbours.setdefault(one, set()).add(other)
        neighbours.setdefault(other, set()).add(one)
    return {code: frozenset(codes) for code, codes in neighbours.items()}


def bordering_regions(region_code: str) -> frozenset[str]:
    return _borders().get(region_code, frozenset())


def default_zone(venue_province: str, venue_region: str, province: str, region: str) -> int:
    """The zone of `province` (in `region`) for a venue in `venue_province` (in `venue_region`)."""
    if province == venue_province:
        return VENUE_PROVINCE
    if region == venue_region:
        return VENUE_REGION
    if region in bordering_regions(venue_region):
        return BORDERING_REGION
    return ELSEWHERE
