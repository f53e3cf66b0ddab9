"""Look-ups of regions and provinces for forms and pages."""
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..i18n import localized
from .models import Province, Region


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))


def province_choices(region_code: str | None = None, language: str | None = None) -> list[SelectChoice]:
    """Provinces and prefectures as choices, in region order, each tagged with its region's name
    (rendered as <optgroup>, so the list works without JavaScript)."""
    # The region comes with its provinces in the one query (no lazy load per region).
    query = (select(Province).join(Province.region).options(contains_eager(Province.region))
             .order_by(Region.code, Province.name_fr))
    if region_code:
        query = query.where(Province.region_code == region_code)
    return [
        SelectChoice(province.code, localized(province, "name", language),
                     optgroup=localized(province.region, "name", language))
        for province in db.session.scalars(query)
    ]
