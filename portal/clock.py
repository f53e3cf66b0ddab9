"""The one clock of the portal: every module asks utcnow() here, never datetime.now().

Datetimes are stored naive, in UTC. Tests move time with set_clock() (the `clock` fixture),
which reaches every caller because they all come through this function.
"""
import datetime as dt
from collections.abc import Callable

_source: Callable[[], dt.datetime] | None = None


def utcnow() -> dt.datetime:
    """Now, as naive UTC."""
    if _source is not None:
        return _source()
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def set_clock(source: Callable[[], dt.datetime] | None) -> None:
    """Replace the clock (a function returning naive UTC), or give back the real one with None."""
    global _source
    _source = source
