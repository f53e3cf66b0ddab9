"""The placeholders of message templates, each declared once: its name, its label, the audiences
it serves and how its value is read for one recipient; and the small renderer that replaces
only them.

A template may contain `{{ name }}` for the names declared below, and nothing else: no
expression, no attribute beyond the listed ones, no `{% ... %}`. So a template cannot reach the
application (`{{ config }}`, `{{ ''.__class__ }}`, `{{ self }}` are refused when saved, and
would render as nothing if they ever got in). Values are escaped in the HTML part. A placeholder
with no value for a recipient (no event chosen, no contact name in the directory) is an error
shown at preview time and blocks sending: a mail never goes out with a blank.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..bidi import isolate, isolate_html, join_list
from ..events.vocabularies import PERSON_ROLE
from ..i18n import format_date, localized, text_direction
from ..registration.grants import support_of
from ..site import action_plan
from ..urls import public_url
from .courtesy import closing, opening, signature

PARTICIPANTS, INSTITUTIONS, PEOPLE = "participants", "institutions", "people"
# The participants of the campaign's event (approved registrations): a participant's placeholders too.
EVENT_PARTICIPANTS = "event_participants"
REGISTRANTS = frozenset({PARTICIPANTS, EVENT_PARTICIPANTS})
PREVIEW_TOKEN = "lien-personnel"
# The event's placeholders: their value depends on no registration or institution.
EVERY_AUDIENCE = frozenset({PARTICIPANTS, INSTITUTIONS, PEOPLE, EVENT_PARTICIPANTS})


@dataclass(frozen=True)
class Source:
    """What a recipient's values are read from: their language, the campaign's event (or None),
    and their registration (participants), institution (institutions) or person (people) with the
    roles the campaign writes to them for (PERSON_ROLE values)."""
    language: str
    event: object = None
    registration: object = None
    institution: object = None
    person: object = None
    roles: tuple = ()


@dataclass(frozen=True)
class Placeholder:
    name: str
    label: object
    audiences: frozenset
    read: Callable[[Source], str | None]
    about: str = "recipient"  # or "event": the same for every recipient of one language

    def value(self, source: Source) -> str | None:
        """The value for this recipient; None when there is none (an error, never a blank)."""
        value = self.read(source)
        return str(value) if value not in (None, "") else None


def _event(name, label, read):
    """A placeholder of the campaign's event, for every audience (no event chosen: no value)."""
    return Placeholder(name, label, EVERY_AUDIENCE, lambda s: read(s.event, s.language) if s.event is not None else None,
                       about="event")


def _venue(event, language):
    place = (localized(event.venue, "name", language), localized(event.venue, "address", language)) if event.venue else ()
    venue = ", ".join(part for part in place if part)
    return venue or localized(event, "city", language)


def _support(source, read):
    """A participant's support (what is proposed, confirmed or set: the campaign is written after the
    decisions), in the recipient's language; "none" is a value too, never a blank."""
    grant = support_of(source.registration)
    with force_locale(source.language):
        return read(grant if grant is not None and grant.granted else None)


def _travel(grant):
    return gettext("pris en charge") if grant is not None and grant.travel else gettext("non pris en charge")


def _roles(source):
    """The person's roles, named in the recipient's language and joined ("Intervenant(e), Rapporteur(e)")."""
    with force_locale(source.language):
        return join_list((PERSON_ROLE.label(role) for role in source.roles), source.language)


PLACEHOLDERS = (
    Placeholder("first_name", _l("Prénom"), REGISTRANTS, lambda s: s.registration.first_name),
    Placeholder("last_name", _l("Nom"), REGISTRANTS, lambda s: s.registration.last_name),
    Placeholder("full_name", _l("Prénom et nom"), REGISTRANTS, lambda s: s.registration.full_name),
    Placeholder("reference", _l("Numéro de référence de l'inscription"), REGISTRANTS,
                lambda s: s.registration.reference),
    Placeholder("workshop", _l("Atelier choisi"), REGISTRANTS,
                lambda s: localized(s.registration.workshop, "title", s.language)),
    # Dotted like the event's placeholders: {{ support.travel }}, {{ support.nights }} (0 without accommodation).
    Placeholder("support.travel", _l("Frais de déplacement : pris en charge ou non"), REGISTRANTS,
                lambda s: _support(s, _travel)),
    Placeholder("support.nights", _l("Nuits d'hébergement prises en charge"), REGISTRANTS,
                lambda s: _support(s, lambda grant: str(grant.nights if grant is not None else 0))),
    # In a preview, a stand-in: each sent message gets a link of its own (see operations.send).
    Placeholder("manage_link", _l("Lien personnel pour gérer l'inscription"), REGISTRANTS,
                lambda s: public_url("manage.show", token=PREVIEW_TOKEN)),
    # Like manage_link: each institution gets a link of its own when the invitation is sent.
    Placeholder("answer_link", _l("Lien personnel pour répondre à l'invitation"), frozenset({INSTITUTIONS}),
                lambda s: public_url("invitations.answer", token=PREVIEW_TOKEN) if s.event is not None else None),
    Placeholder("institution.name", _l("Nom de l'institution"), frozenset({INSTITUTIONS}),
                lambda s: localized(s.institution, "name", s.language)),
    Placeholder("contact.name", _l("Nom de la personne à contacter"), frozenset({INSTITUTIONS}),
                lambda s: s.institution.contact_name),
    Placeholder("contact.title", _l("Fonction de la personne à contacter"), frozenset({INSTITUTIONS}),
                lambda s: s.institution.contact_title),
    # The letter's courtesy (courtesy.py): the opening without its comma, the closing sentence, the signature.
    Placeholder("salutation", _l("Formule d'appel (celle de l'institution, sinon « Madame, Monsieur »), sans virgule"),
                frozenset({INSTITUTIONS}), lambda s: opening(s.institution, s.language)),
    Placeholder("closing", _l("Formule de politesse finale, accordée à la formule d'appel"), frozenset({INSTITUTIONS}),
                lambda s: closing(s.institution, s.language)),
    Placeholder("signature", _l("Signature : fonction et nom du signataire (réglages)"), frozenset({INSTITUTIONS}),
                lambda s: "\n".join(signature(s.language)), about="event"),
    Placeholder("person_name", _l("Nom de l'intervenante ou de l'intervenant"), frozenset({PEOPLE}),
                lambda s: localized(s.person, "name", s.language)),
    Placeholder("roles", _l("Ses rôles dans l'événement (ceux que retient l'envoi)"), frozenset({PEOPLE}), _roles),
    Placeholder("action_plan", _l("Nom du plan d'action national (réglages), sans article"), EVERY_AUDIENCE,
                lambda s: action_plan(s.language), about="event"),
    _event("event.title", _l("Titre de l'événement"), lambda e, lang: localized(e, "title", lang)),
    _event("event.date", _l("Date de l'événement"), lambda e, lang: format_date(e.starts_on, "event_day", language=lang)),
    _event("event.city", _l("Ville"), lambda e, lang: localized(e, "city", lang)),
    _event("event.venue", _l("Lieu (nom et adresse)"), _venue),
    _event("event.link", _l("Adresse de la page de l'événement"), lambda e, lang: public_url("catalogue.event", slug=e.slug)),
    _event("event.proposals_link", _l("Adresse de la page publique des propositions de l'événement et des réponses"),
           lambda e, lang: public_url("public_proposals.event", slug=e.slug)),
)


def placeholders_for(audience_kind: str) -> list[Placeholder]:
    return [placeholder for placeholder in PLACEHOLDERS if audience_kind in placeholder.audiences]


def allowed_placeholders(audience_kind: str) -> dict:
    """{name: label} of the placeholders of an audience, for the list beside the editor."""
    return {placeholder.name: placeholder.label for placeholder in placeholders_for(audience_kind)}


def values_for(audience_kind: str, source: Source, about: str | None = None) -> dict[str, str | None]:
    """The placeholder values of one recipient (None where there is none); with `about`, only those
    about "event" (the same for all recipients of a language: read them once) or the "recipient"."""
    return {placeholder.name: placeholder.value(source) for placeholder in placeholders_for(audience_kind)
            if about is None or placeholder.about == about}


PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}")
ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENERS = ("{{", "}}", "{%", "%}", "{#", "#}")
# More tags than any message needs: refused before the tags are read (each unclosed one would make
# the search run to the end of the text, so thousands of them would take seconds).
MAX_TAGS = 200


def check(text: str, audience_kind: str) -> list[str]:
    """Problems of one template text: unknown placeholders (named) and anything that is not a
    plain placeholder. An empty list means the text is fine."""
    tags = sum(text.count(opener) for opener in OPENERS[::2])
    if tags > MAX_TAGS:
        return [ngettext("Le texte compte %(num)d balise : %(max)d au plus.",
                         "Le texte compte %(num)d balises : %(max)d au plus.", tags, max=MAX_TAGS)]
    allowed = allowed_placeholders(audience_kind)
    problems = []
    for tag in ANY_TAG.findall(text):
        match = PLACEHOLDER.fullmatch(tag)
        if match is None:
            # gettext, not lazy_gettext: a lazy string counts as safe markup, and this one quotes the author.
            problems.append(gettext("« %(tag)s » n'est pas une balise permise : seules les balises de la liste, "
                                    "comme {{ first_name }}, sont acceptées.", tag=tag[:60]))
        elif match.group(1) not in allowed:
            problems.append(gettext("Balise inconnue : {{ %(name)s }}.", name=match.group(1)))
    leftover = ANY_TAG.sub("", text)
    if any(opener in leftover for opener in OPENERS):
        problems.append(gettext("Une balise n'est pas fermée : écrivez-les sous la forme {{ nom }}."))
    return problems


def used_names(text: str) -> set[str]:
    """The placeholder names a text uses."""
    return {match.group(1) for match in PLACEHOLDER.finditer(text)}


class MissingValues(Exception):
    """The text uses placeholders that have no value for this recipient."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def render_text(text: str, values: dict[str, str | None], language: str | None = None) -> str:
    """Replace each known placeholder by its value; anything else becomes empty. Raises
    MissingValues when a placeholder the text uses has no value. With a right-to-left
    `language`, each value is isolated (FSI…PDI, portal.bidi), links excepted: a mail client
    that makes them clickable could take the closing character into the address."""
    missing = sorted(name for name in used_names(text) if name in values and values[name] is None)
    if missing:
        raise MissingValues(missing)
    if language is not None:
        values = {key: value if value is None or LINK.fullmatch(value) else isolate(value, language)
                  for key, value in values.items()}
    return ANY_TAG.sub(lambda m: _value(m, values), text)


def _value(match, values) -> str:
    inner = PLACEHOLDER.fullmatch(match.group(0))
    return str(values.get(inner.group(1)) or "") if inner else ""


LINK = re.compile(r"https?://[^\s<>\"']+")


def render_html(text: str, values: dict[str, str | None], language: str) -> str:
    """The HTML part: the text's paragraphs, every value escaped, links made clickable."""
    # Each value escaped, and in <bdi> when the language is right to left (portal.bidi).
    escaped_values = {key: None if value is None else str(isolate_html(value, language)) for key, value in values.items()}
    # Escape the author's text first, then put the (escaped) values in: nothing is markup.
    body = render_text(str(escape(text)), escaped_values)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    html_paragraphs = "\n".join(
        "<p>" + LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', p).replace("\n", "<br>\n") + "</p>"
        for p in paragraphs)
    direction = text_direction(language)
    return Markup(f'<!doctype html>\n<html lang="{language}" dir="{direction}">\n<head><meta charset="utf-8"></head>\n'
                  f'<body style="font-family: Arial, sans-serif; line-height: 1.5;">\n{html_paragraphs}\n</body>\n</html>\n')
