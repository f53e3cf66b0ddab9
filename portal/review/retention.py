"""What the review forgets with a registration (notes, the search terms of export logs that
found the person), and the export logs it deletes when their period is over."""
import datetime as dt
from urllib.parse import parse_qsl, urlencode

from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..registration.links import add_months
from ..registration.models import Registration
from .models import ExportLog, InternalNote

ERASED = "[effacé]"


def forget_registration(registration: Registration) -> None:
    db.session.execute(delete(InternalNote).where(InternalNote.registration_id == registration.id))
    person = [value.lower() for value in (registration.first_name, registration.last_name, registration.email,
                                          registration.full_name, registration.phone) if value]
    for entry in db.session.scalars(select(ExportLog).where(ExportLog.event_id == registration.event_id,
                                                             ExportLog.query.contains("q="))):
        args = parse_qsl(entry.query, keep_blank_values=True)
        if any(name == "q" and _names_the_person(value, person) for name, value in args):
            entry.query = urlencode([(name, ERASED if name == "q" and _names_the_person(value, person) else value)
                                     for name, value in args])


def _names_the_person(search: str, person: list[str]) -> bool:
    """The list's search matches a person when it is part of their name or address (as the list
    searches) or holds one of them."""
    search = search.strip().lower()
    return bool(search) and any(search in value or value in search for value in person)


def purge_export_logs(now: dt.datetime) -> int:
    before = dt.datetime.combine(add_months(now.date(), -int(current_app.config["LOG_RETENTION_MONTHS"])), dt.time())
    return db.session.execute(delete(ExportLog).where(ExportLog.created_at < before)).rowcount
