"""The placeholders of message templates, and the small renderer that replaces only them.

A template may contain `{{ name }}` for the names listed below, and nothing else: no
expression, no attribute beyond the listed ones, no `{% ... %}`. So a template cannot reach the
application (`{{ config }}`, `{{ ''.__class__ }}`, `{{ self }}` are refused when saved, and
would render as nothing if they ever got in). Values are escaped in the HTML part.
"""
import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

PARTICIPANT_PLACEHOLDERS = {
    "first_name": _l("Prénom"),
    "last_name": _l("Nom"),
    "full_name": _l("Prénom et nom"),
    "reference": _l("Numéro de référence de l'inscription"),
    "workshop": _l("Atelier choisi"),
    "manage_link": _l("Lien personnel pour gérer l'inscription"),
}
EVENT_PLACEHOLDERS = {
    "event.title": _l("Titre de l'événement"),
    "event.date": _l("Date de l'événement"),
    "event.city": _l("Ville"),
    "event.venue": _l("Lieu (nom et adresse)"),
    "event.link": _l("Adresse de la page de l'événement"),
}
INSTITUTION_PLACEHOLDERS = {
    "institution.name": _l("Nom de l'institution"),
    "contact.name": _l("Nom de la personne à contacter"),
    "contact.title": _l("Fonction de la personne à contacter"),
}


def allowed_placeholders(audience_kind: str) -> dict:
    if audience_kind == "participants":
        return {**PARTICIPANT_PLACEHOLDERS, **EVENT_PLACEHOLDERS}
    return {**INSTITUTION_PLACEHOLDERS, **EVENT_PLACEHOLDERS}


PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}")
ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENERS = ("{{", "}}", "{%", "%}", "{#", "#}")


def check(text: str, audience_kind: str) -> list[str]:
    """Problems of one template text: unknown placeholders (named) and anything that is not a
    plain placeholder. An empty list means the text is fine."""
    allowed = allowed_placeholders(audience_kind)
    problems = []
    for tag in ANY_TAG.findall(text):
        match = PLACEHOLDER.fullmatch(tag)
        if match is None:
            # gettext, not lazy_gettext: a lazy string counts as safe markup, and this one quotes the author.
            problems.append(gettext("« %(tag)s » n'est pas une balise permise : seules les balises de la liste, "
                                    "comme {{ first_name }}, sont acceptées.", tag=tag[:60]))
        elif match.group(1) not in allowed:
            problems.append(gettext("Balise inconnue : {{ %(name)s }}.", name=match.group(1)))
    leftover = ANY_TAG.sub("", text)
    if any(opener in leftover for opener in OPENERS):
        problems.append(gettext("Une balise n'est pas fermée : écrivez-les sous la forme {{ nom }}."))
    return problems


def render_text(text: str, values: dict[str, str]) -> str:
    """Replace each known placeholder by its value; anything else becomes empty."""
    return ANY_TAG.sub(lambda m: _value(m, values), text)


def _value(match, values) -> str:
    inner = PLACEHOLDER.fullmatch(match.group(0))
    return str(values.get(inner.group(1), "")) if inner else ""


LINK = re.compile(r"https?://[^\s<>\"']+")


def render_html(text: str, values: dict[str, str], language: str) -> str:
    """The HTML part: the text's paragraphs, every value escaped, links made clickable."""
    escaped_values = {key: str(escape(value)) for key, value in values.items()}
    # Escape the author's text first, then put the (escaped) values in: nothing is markup.
    body = render_text(str(escape(text)), escaped_values)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    html_paragraphs = "\n".join(
        "<p>" + LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', p).replace("\n", "<br>\n") + "</p>"
        for p in paragraphs)
    direction = "rtl" if language == "ar" else "ltr"
    return Markup(f'<!doctype html>\n<html lang="{language}" dir="{direction}">\n<head><meta charset="utf-8"></head>\n'
                  f'<body style="font-family: Arial, sans-serif; line-height: 1.5;">\n{html_paragraphs}\n</body>\n</html>\n')
