"""Every mail the accounts package sends to a back-office user, rendered in the chosen language."""
import datetime as dt

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..outbox import queue_message
from .models import User
from .vocabularies import ROLE


def queue_invitation(user: User, link: str, language: str, expires_at: dt.datetime) -> None:
    """The invitation: the link to choose a password, until when it works, and what comes next."""
    with force_locale(language):
        context = {"user": user, "link": link, "expires_at": expires_at, "mail_lang": language,
                   "role": ROLE[user.role], "organization": user.organization}
        queue_message(to_address=user.email, to_name=user.name or "",
                      subject=_("Invitation au portail de co-création"),
                      body_text=render_template("emails/invitation.txt", **context),
                      body_html=render_template("emails/invitation.html", **context), language=language)


def queue_password_reset_mail(user: User, link: str, language: str, hours: int) -> None:
    """The link to choose a new password, and for how many hours it works."""
    with force_locale(language):
        context = {"user": user, "link": link, "hours": hours, "mail_lang": language}
        queue_message(to_address=user.email, to_name=user.name or "",
                      subject=_("Réinitialiser votre mot de passe"),
                      body_text=render_template("emails/password_reset.txt", **context),
                      body_html=render_template("emails/password_reset.html", **context), language=language)
