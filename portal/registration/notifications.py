"""Every mail the registration domain sends, rendered in the registrant's language and queued."""
import datetime as dt

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..clock import utcnow
from ..i18n import localized
from ..outbox import queue_message
from ..urls import public_url
from .links import issue_manage_link
from .models import Registration, WaitlistOffer


def _queue(registration: Registration, template: str, subject: str, dedup_key: str | None = None,
           with_manage_link: bool = False, **extra):
    """Render the mail in the registrant's language and queue it; with_manage_link: the mail
    carries a new link to the manage page (each mail its own, stored hashed). A person registered
    without an email (by a coordinator) gets nothing: the coordinators reach them by phone."""
    if not registration.email:
        return None
    context = {
        "registration": registration,
        "event": registration.event,
        "event_title": localized(registration.event, "title", registration.language),
        "workshop_title": localized(registration.workshop, "title", registration.language),
        "manage_url": issue_manage_link(registration, utcnow()) if with_manage_link else None,
        **extra,
    }
    return queue_message(
        to_address=registration.email,
        to_name=registration.full_name.replace("\r", " ").replace("\n", " "),
        subject=subject,
        body_text=render_template(f"emails/{template}.txt", **context),
        body_html=render_template(f"emails/{template}.html", **context),
        language=registration.language,
        dedup_key=dedup_key,
        about=about(registration),
    )


def about(registration: Registration) -> str:
    """The outbox key of the mail carrying this registration's data (forgotten with it)."""
    return f"registration:{registration.id}"


def queue_acknowledgement(registration: Registration) -> None:
    with force_locale(registration.language):
        title = localized(registration.event, "title", registration.language)
        _queue(registration, "acknowledgement", _("Accusé de réception de votre inscription : %(title)s", title=title),
               with_manage_link=True)


def queue_manage_link_reminder(registration: Registration, now: dt.datetime) -> None:
    """Sent when someone tries to register twice; at most one an hour, so the form cannot spam."""
    with force_locale(registration.language):
        title = localized(registration.event, "title", registration.language)
        _queue(registration, "manage_link", _("Votre inscription existante : %(title)s", title=title),
               dedup_key=f"manage-link:{registration.id}:{now:%Y%m%d%H}", with_manage_link=True)


def queue_cancellation(registration: Registration) -> None:
    with force_locale(registration.language):
        title = localized(registration.event, "title", registration.language)
        _queue(registration, "cancellation", _("Inscription annulée : %(title)s", title=title))


def queue_waitlist_offer(registration: Registration, offer: WaitlistOffer, token: str) -> None:
    """A freed seat, with the link to accept it before the offer expires."""
    with force_locale(registration.language):
        title = localized(registration.event, "title", registration.language)
        _queue(registration, "waitlist_offer", _("Une place s'est libérée : %(title)s", title=title),
               link=public_url("offers.show", token=token), expires_at=offer.expires_at)


def queue_event_cancelled(registration: Registration) -> None:
    """The event is cancelled: each active registrant is told once (the dedup key makes a
    repeated cancellation queue nothing more)."""
    with force_locale(registration.language):
        title = localized(registration.event, "title", registration.language)
        _queue(registration, "event_cancelled", _("Événement annulé : %(title)s", title=title),
               dedup_key=f"event-cancelled:{registration.id}")
