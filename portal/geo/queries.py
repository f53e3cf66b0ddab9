"""Regions and provinces for forms and pages, read once per app and kept in memory.

The 12 regions and 75 provinces are reference data: the migrations write them (0002, 0025), no
screen of the portal edits them. So the first request of an app (one per process in production,
one per database in the tests) reads both tables, and every later request uses the same
immutable rows and choices (per language), without a query. A migration that changes them is
followed by a restart, as every deployment is; `forget_reference(app)` drops the copy otherwise.
"""
from typing import NamedTuple

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..extensions import db, made_once
from ..i18n import content_language, localized
from .models import Province, Region

_KEY = "geo.reference"


class RegionRow(NamedTuple):
    """A region as the screens read it (localized(region, "name") works as on the table's row)."""
    code: str
    name_fr: str
    name_ar: str
    population_2024: int | None


class ProvinceRow(NamedTuple):
    code: str
    name_fr: str
    name_ar: str
    kind: str  # province | prefecture
    region_code: str
    population_2024: int | None


class Reference:
    """The rows of one database, in the order the screens list them, and their choices per language."""

    def __init__(self, regions: list[RegionRow], provinces: list[ProvinceRow]):
        self.regions = tuple(regions)  # by code
        self.provinces = tuple(provinces)  # region by region, by French name within one (the database's order)
        self.region_by_code = {region.code: region for region in self.regions}
        self.province_by_code = {province.code: province for province in self.provinces}
        self._choices: dict[tuple[str, str | None], tuple[SelectChoice, ...]] = {}

    def choices(self, region_code: str | None, language: str) -> tuple[SelectChoice, ...]:
        key = (language, region_code)
        found = self._choices.get(key)
        if found is None:  # computed at most once per language and region (a race computes it twice: same value)
            found = tuple(
                SelectChoice(p.code, localized(p, "name", language),
                             optgroup=localized(self.region_by_code[p.region_code], "name", language))
                for p in self.provinces if not region_code or p.region_code == region_code)
            self._choices[key] = found
        return found


def reference() -> Reference:
    """This app's copy, read from the database on first use."""
    return made_once(_KEY, _read_reference)


def _read_reference() -> Reference:
    regions = [RegionRow(r.code, r.name_fr, r.name_ar, r.population_2024)
               for r in db.session.scalars(select(Region).order_by(Region.code))]
    provinces = [ProvinceRow(p.code, p.name_fr, p.name_ar, p.kind, p.region_code, p.population_2024)
                 for p in db.session.scalars(select(Province).order_by(Province.region_code, Province.name_fr))]
    return Reference(regions, provinces)


def forget_reference(app) -> None:
    """Read the tables again at the next use (after changing them in a running process)."""
    app.extensions.pop(_KEY, None)


def all_regions() -> tuple[RegionRow, ...]:
    """The 12 regions, by code."""
    return reference().regions


def all_provinces() -> tuple[ProvinceRow, ...]:
    """The 75 provinces and prefectures, region by region, by French name."""
    return reference().provinces


def region(code: str | None) -> RegionRow | None:
    return reference().region_by_code.get(code) if code else None


def province(code: str | None) -> ProvinceRow | None:
    return reference().province_by_code.get(code) if code else None


def province_choices(region_code: str | None = None, language: str | None = None) -> list[SelectChoice]:
    """Provinces and prefectures as choices, in region order, each tagged with its region's name
    (rendered as <optgroup>, so the list works without JavaScript). Computed once per language;
    the list is the caller's own (the choices in it are immutable)."""
    return list(reference().choices(region_code or None, content_language(language)))
