"""The search text of a registration (portal.text_search; its index: migration 0027)."""
from ..text_search import IndexedText
from .models import Registration

REGISTRATION_TEXT = IndexedText(
    Registration.id,
    ((Registration.first_name, Registration.last_name), Registration.email, Registration.organization,
     Registration.phone,  # people registered without an email are known by their phone
     Registration.reference),
    "registration_search")
