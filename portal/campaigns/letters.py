"""The formal invitation letter (PDF), one per institution, in its language: the ministry's
letterhead (settings LETTERHEAD_FR / LETTERHEAD_AR, LETTERHEAD_<CODE> for another language), the date,
a reference number, the addressee, the opening, the body, the closing and the signature (courtesy.py;
setting LETTER_SIGNATURE_<LANG>); right to left in Arabic. WeasyPrint lays it out (it needs Pango: see README)."""
import datetime as dt

from flask import current_app, render_template
from flask_babel import force_locale

from ..i18n import format_date, format_event_day, localized, offered_or_default
from ..site import action_plan
from .courtesy import closing, opening, signature
from .invitations import LOCAL


def addressee(institution, language: str) -> list[str]:
    """The addressee block's lines: the contact's name and function when the directory has them,
    then the institution's name."""
    lines = [(institution.contact_name or "").strip(), (institution.contact_title or "").strip(),
             localized(institution, "name", language)]
    return [line for index, line in enumerate(lines) if line and line not in lines[:index]]


def reference_number(invitation) -> str:
    return f"{invitation.campaign_id}/{invitation.institution_id}"


def letter_language(institution) -> str:
    return offered_or_default(institution.language)


def letterhead(language: str) -> list[str]:
    """The letterhead's lines in the letter's language (LETTERHEAD_<CODE>), French when that
    language has no setting of its own."""
    config = current_app.config
    return (config.get(f"LETTERHEAD_{language.upper().replace('-', '_')}") or config["LETTERHEAD_FR"]).splitlines()


def letter_filename(invitation) -> str:
    return f"invitation-{invitation.campaign_id}-{invitation.institution_id}.pdf"


def letter_html(invitation, now: dt.datetime) -> str:
    institution, event = invitation.institution, invitation.event
    language = letter_language(institution)
    today = now.replace(tzinfo=dt.UTC).astimezone(LOCAL).date()
    with force_locale(language):
        return render_template(
            "campaigns/letter.html", language=language, invitation=invitation, event=event,
            letterhead=letterhead(language),
            date=format_date(today, "date", language=language), reference=reference_number(invitation),
            addressee=addressee(institution, language), institution_name=localized(institution, "name", language),
            opening=opening(institution, language), closing=closing(institution, language),
            signature=signature(language), plan=action_plan(language),
            event_title=localized(event, "title", language), event_city=localized(event, "city", language),
            event_date=format_event_day(event.starts_on, event.start_time, language=language))


def letter_pdf(invitation, now: dt.datetime) -> bytes:
    from weasyprint import HTML  # imported when a letter is made: Pango is loaded then, not at start-up
    return HTML(string=letter_html(invitation, now), base_url=None).write_pdf()
