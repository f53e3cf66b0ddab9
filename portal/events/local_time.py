"""Events happen in Morocco: organisers type times in Africa/Casablanca time, the database keeps
naive UTC (portal.clock). These two functions are the one place where one becomes the other."""
import datetime as dt
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Africa/Casablanca")


def local_to_utc(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """A local date and time as naive UTC; None when the date is missing (a missing time is 00:00)."""
    if day is None:
        return None
    local = dt.datetime.combine(day, time or dt.time(0, 0), tzinfo=TIMEZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def utc_to_local(moment: dt.datetime | None) -> dt.datetime | None:
    """Naive UTC as a naive local (Casablanca) date and time, for the forms and messages."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC).astimezone(TIMEZONE).replace(tzinfo=None)
