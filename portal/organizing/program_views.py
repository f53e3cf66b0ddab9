"""What the programme screens (workshops, agenda, people) share: the move buttons' parameter."""
from flask import request

from ..events.program import DOWN, UP


def direction() -> str | None:
    value = request.form.get("direction")
    return value if value in (UP, DOWN) else None
