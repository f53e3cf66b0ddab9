"""The search texts of the directory (portal.text_search; their indexes: migration 0027)."""
from ..text_search import IndexedText
from .models import Institution, InstitutionEmail

INSTITUTION_TEXT = IndexedText(
    Institution.id, (Institution.name_fr, Institution.name_ar, Institution.contact_name, Institution.contact_title),
    "institution_search")
EMAIL_TEXT = IndexedText(InstitutionEmail.id, (InstitutionEmail.email,), "institution_email_search")
