"""The private manage links: issued one per mail, stored as hashes, valid until the retention
period after the event has run out (RETENTION_MONTHS)."""
import datetime as dt

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..tokens import plausible
from ..urls import public_url
from .models import ManageLink, Registration


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def retention_end(event) -> dt.datetime:
    """When the personal data of an event's registrations may be kept no longer."""
    return dt.datetime.combine(add_months(event.starts_on, int(current_app.config["RETENTION_MONTHS"])), dt.time())


def issue_manage_link(registration: Registration, now: dt.datetime) -> str:
    """A new link to the registration's manage page (in the caller's transaction)."""
    link, token = ManageLink.issue(now, retention_end(registration.event))
    registration.manage_links.append(link)
    return public_url("manage.show", token=token)


def registration_by_token(token: str, now: dt.datetime) -> Registration | None:
    """The registration a manage link opens, while the link is valid."""
    if not plausible(token):
        return None
    return db.session.scalar(
        select(Registration).join(ManageLink, ManageLink.registration_id == Registration.id)
        .where(ManageLink.opened_by(token, now)))
