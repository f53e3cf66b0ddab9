"""The .ics invitation of an event (RFC 5545), in Morocco's time zone."""
import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..events.program import agenda_hours
from ..urls import public_url

TIMEZONE = ZoneInfo("Africa/Casablanca")


def event_ics(event, now: dt.datetime) -> bytes:
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
    entry.add("summary", event.title_fr)
    place = (event.venue.name_fr, event.venue.address_fr) if event.venue else ()
    venue = ", ".join(part for part in (*place, event.city_fr) if part)
    entry.add("location", venue)
    entry.add("description", f"{event.summary_fr}\n{public_url('catalogue.event', slug=event.slug)}")
    entry.add("url", public_url("catalogue.event", slug=event.slug))
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
