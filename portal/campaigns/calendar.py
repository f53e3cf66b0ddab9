"""The .ics invitation of an event (RFC 5545), in Morocco's time zone and in its recipient's
language (title, place and a description opening with the day and time written in that language)."""
import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..events.program import agenda_hours
from ..i18n import format_event_day, localized
from ..urls import public_url

TIMEZONE = ZoneInfo("Africa/Casablanca")


def event_ics(event, now: dt.datetime, language: str = "fr") -> bytes:
    starts, ends = agenda_hours(event)  # the event's own times, else its agenda's first and last
    starts, ends = starts or dt.time(9, 0), ends or dt.time(17, 0)
    calendar = Calendar()
    calendar.add("prodid", "-//Portail de co-creation//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}-{event.slug}@cocreation-portal")
    entry.add("dtstamp", now.replace(tzinfo=dt.UTC))
    entry.add("dtstart", dt.datetime.combine(event.starts_on, starts, tzinfo=TIMEZONE))
    entry.add("dtend", dt.datetime.combine(event.starts_on, ends, tzinfo=TIMEZONE))
    entry.add("summary", localized(event, "title", language))
    place = (localized(event.venue, "name", language), localized(event.venue, "address", language)) if event.venue else ()
    venue = ", ".join(part for part in (*place, localized(event, "city", language)) if part)
    entry.add("location", venue)
    when = format_event_day(event.starts_on, starts, language=language)
    lines = (when, localized(event, "summary", language), public_url("catalogue.event", slug=event.slug))
    entry.add("description", "\n".join(line for line in lines if line))
    entry.add("url", public_url("catalogue.event", slug=event.slug))
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
