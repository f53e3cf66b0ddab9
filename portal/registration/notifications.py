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
    manage_url = issue_manage_link(registration, utcnow()) if with_manage_link else None
    return queue_message(**_rendered(registration, registration.event, registration.workshop, template, subject,
                                     manage_url, **extra),
                         dedup_key=dedup_key, about=about(registration))


def _rendered(registration: Registration, event, workshop, template: str, subject: str, manage_url: str | None,
              **extra) -> dict:
    """queue_message()'s address, subject and bodies of one mail (the caller's locale: the registrant's)."""
    context = {
        "registration": registration,
        "event": event,
        "event_title": localized(event, "title", registration.language),
        "workshop_title": localized(workshop, "title", registration.language),
        "manage_url": manage_url,
        **extra,
    }
    return {
        "to_address": registration.email,
        "to_name": registration.full_name,
        "subject": subject,
        "body_text": render_template(f"emails/{template}.txt", **context),
        "body_html": render_template(f"emails/{template}.html", **context),
        "language": registration.language,
    }


def about(registration: Registration) -> str:
    """The outbox key of the mail carrying this registration's data (forgotten with it)."""
    return f"registration:{registration.id}"


def queue_acknowledgement(registration: Registration) -> None:
    with force_locale(registration.language):
        title = localized(registration.event, "title", registration.language)
        _queue(registration, "acknowledgement", _("Accusé de réception de votre inscription : %(title)s", title=title),
               with_manage_link=True)


def acknowledgement(registration: Registration, event, workshop, manage_url: str) -> dict:
    """The acknowledgement of a registration not yet saved, rendered ahead of the transaction that
    saves it (registration.operations.prepare): queue_message()'s arguments but `about`, which
    needs the registration's id."""
    with force_locale(registration.language):
        title = localized(event, "title", registration.language)
        return _rendered(registration, event, workshop, "acknowledgement",
                         _("Accusé de réception de votre inscription : %(title)s", title=title), manage_url)


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
