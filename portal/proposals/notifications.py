"""The mail the proposals send: a rapporteur's personal link (people have no language of their own
in the portal: the message is written in each of the portal's languages, French first)."""
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..events.models import EventRole
from ..i18n import LANGUAGES, localized
from ..outbox import queue_message
from ..urls import public_url


def queue_rapporteur_link(link: EventRole, token: str) -> None:
    url = public_url("rapporteur.show", token=token)
    parts, subjects = {"txt": [], "html": []}, []
    for language in LANGUAGES:
        with force_locale(language):
            context = {"person": link.person, "url": url, "language": language,
                       "event_title": localized(link.event, "title", language),
                       "workshop_title": localized(link.workshop, "title", language)}
            subjects.append(_("Propositions de votre atelier : %(title)s", title=context["event_title"]))
            for kind, rendered in parts.items():
                rendered.append(render_template(f"emails/rapporteur_link.{kind}", **context))
    queue_message(to_address=link.person.email, to_name=link.person.name_fr,
                  subject=" / ".join(subjects), body_text="\n\n――――――――――\n\n".join(parts["txt"]),
                  body_html=('<!doctype html><html lang="fr"><head><meta charset="utf-8"></head>'
                             '<body style="font-family: Arial, sans-serif; line-height: 1.5;">'
                             + "\n<hr>\n".join(parts["html"]) + "</body></html>"), language="fr", about=f"person:{link.person_id}")
