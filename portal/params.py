"""Reading numbers and dates from URLs and forms strictly: ASCII digits only (no superscripts,
no Arabic-Indic or full-width digits sneaking through str.isdigit), within bounds that the
database accepts, dates within a sensible range. Anything else is "no value", never a 500."""
import datetime as dt
import re

from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL's integer
_DIGITS = re.compile(r"[0-9]{1,10}")
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def parse_int(value, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The integer written in `value` (ASCII digits) when it lies within bounds, else None."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A database id: 1 to 2**31 - 1."""
    return parse_int(value, 1, MAX_ID)


def parse_date(value) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) between 2000 and 2100, else None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return date if FIRST_DATE <= date <= LAST_DATE else None


def parse_text(value, max_length: int) -> str:
    """Free text for a search: control characters (NUL, which PostgreSQL refuses in text, among
    them) dropped, spaces collapsed, at most `max_length` characters."""
    if not isinstance(value, str):
        return ""
    return " ".join(_CONTROL.sub(" ", value).split())[:max_length]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class IdConverter(BaseConverter):
    """<id:name> in a route: ASCII digits of a database id; anything else is a 404."""
    regex = r"[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))
