"""Reads for the day itself (issue 11, items 3 and 4): the check-in search, the badges and the
attendance sheets. Only approved participants come to the door; nothing here reads health data."""
import re

import segno
from markupsafe import Markup
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..registration.models import Registration
from ..text_search import escape_like

SEARCH_LIMIT = 30


def _approved(event_id: int):
    return select(Registration).where(Registration.event_id == event_id, Registration.status == "approved")


def _by_name(query):
    return query.order_by(func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id)


def search(event_id: int, q: str, limit: int = SEARCH_LIMIT) -> tuple[list[Registration], bool]:
    """The approved participants matching `q` (a name, a reference with or without "CC-", a phone
    number whatever its spaces), sorted by name; and whether there were more than `limit`."""
    query = _approved(event_id)
    for word in q.split()[:5]:
        pattern = escape_like(word)
        conditions = [func.lower(Registration.first_name).like(pattern, escape="\\"),
                      func.lower(Registration.last_name).like(pattern, escape="\\"),
                      func.lower(Registration.reference).like(pattern, escape="\\")]
        digits = re.sub(r"\D", "", word)
        # A phone is typed as digits and separators; the digits of a reference ("cc-7k2p5566")
        # are not a phone number, and matched someone's by chance.
        if len(digits) >= 3 and not re.search(r"[^\d\s+().-]", word):
            phone = func.replace(func.replace(func.replace(Registration.phone, " ", ""), "-", ""), ".", "")
            conditions.append(phone.like(f"%{digits}%"))
        query = query.where(or_(*conditions))
    rows = list(db.session.scalars(_by_name(query).options(selectinload(Registration.workshop)).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def participants(event_id: int, workshop_id: int | None = None) -> list[Registration]:
    """The approved participants of the event (of one workshop), sorted by name."""
    query = _approved(event_id)
    if workshop_id is not None:
        query = query.where(Registration.workshop_id == workshop_id)
    return list(db.session.scalars(_by_name(query).options(selectinload(Registration.workshop))))


def qr_svg(reference: str) -> Markup:
    """The reference as a QR code (a regular one, not a Micro QR: cameras read those), inline SVG
    drawn with paths (no style attribute: the CSP allows none). Hidden from screen readers: the
    reference is printed beside it."""
    svg = segno.make_qr(reference, error="m").svg_inline(scale=4, border=2, svgclass="qr")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
