"""What the programme screens (workshops, agenda, people) share: the permission pair, refusals
carried back to a form, and the move buttons' parameter."""
from flask import request

from ..events.program import DOWN, UP


def show_refusal(form, refused) -> None:
    """Put an operation's problems on the form's fields (those of the whole object on the first)."""
    for field, messages in refused.problems.items():
        target = form[field] if field in form._fields else next(iter(form))
        target.errors = list(target.errors or []) + list(messages)


def direction() -> str | None:
    value = request.form.get("direction")
    return value if value in (UP, DOWN) else None
