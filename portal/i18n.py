"""Languages: the ones the PORTAL_LANGUAGES setting offers (French, the default, and Arabic).

The setting is the only list: each language's own name and its direction (right to left for
Arabic) come from Babel's locale data, and its interface texts from
portal/translations/<code>/LC_MESSAGES/messages.mo. Adding a language is configuration plus a
catalogue (README, "Languages").

The choice is kept in a cookie set by the language switcher; without one, the browser's
Accept-Language decides. Content written by people (event titles, summaries, campaign templates...)
is stored in French and Arabic only (<name>_fr / <name>_ar columns) and read with localized(),
which gives French to a language without its own column.
"""
from functools import cache

from babel import Locale, UnknownLocaleError
from flask import current_app, has_app_context, has_request_context, request
from flask_babel import get_locale

from .vocabulary import Vocabulary

LANGUAGE_COOKIE = "portal_lang"
# The languages of the stored bilingual content (<name>_fr / <name>_ar columns), French first.
CONTENT_LANGUAGES = ("fr", "ar")


@cache
def language_name(code: str) -> str:
    """A language named in itself (never translated): people look for their own language's name."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError, TypeError):  # not a locale Babel knows: shown as its code
        name = code
    return name[:1].upper() + name[1:]


@cache
def _direction(code: str) -> str:
    try:
        return "rtl" if Locale.parse(code).character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"


class _OfferedLanguages(Vocabulary):
    """The current app's PORTAL_LANGUAGES as a vocabulary (code → the language's own name).

    Read at each use, so one object serves every app of the process; form fields take its
    `choices` method itself (a callable WTForms calls when the form is built)."""

    def __init__(self):
        pass  # no pairs of its own: they come from the setting, at each use

    @property
    def _labels(self) -> dict[str, str]:
        codes = current_app.config["PORTAL_LANGUAGES"] if has_app_context() else CONTENT_LANGUAGES
        return {code: language_name(code) for code in codes}


LANGUAGES = _OfferedLanguages()


def check_languages(app) -> None:
    """Refuse to start on a PORTAL_LANGUAGES code that Babel does not write the same way (the code
    is the cookie's value, the page's lang attribute, the catalogue's folder and what is stored)."""
    for code in app.config["PORTAL_LANGUAGES"]:
        known = None
        for separator in ("_", "-"):  # Babel writes zgh_Tfng (or zgh), a browser zgh-Tfng
            try:
                known = str(Locale.parse(code, sep=separator))
                break
            except (UnknownLocaleError, ValueError, TypeError):
                continue
        if known != code:
            hint = f" (write it {known!r})" if known else ""
            raise RuntimeError(f"PORTAL_LANGUAGES: {code!r} is not a language code Babel knows{hint}.")


def default_language() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"] if has_app_context() else "fr"


def offered_or_default(language: str | None) -> str:
    """A stored language (a registration's, an institution's) when still offered, else the default."""
    return language if language in LANGUAGES else default_language()


def select_locale() -> str:
    languages = current_app.config["PORTAL_LANGUAGES"]
    if not has_request_context():  # the worker's housekeeping, CLI commands
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "fr")


def text_direction(language: str | None = None) -> str:
    """"rtl" for a language written right to left (from Babel's locale data), else "ltr"."""
    return _direction(language or current_language())


def content_language(language: str | None = None) -> str:
    """The language in which stored bilingual content is shown to a reader of `language`:
    that language when it has its own columns, else French."""
    language = language or current_language()
    return language if language in CONTENT_LANGUAGES else "fr"


def localized(obj, attribute: str, language: str | None = None) -> str:
    """obj.<attribute>_<language>, falling back to French when the translation is empty or when the
    language has no column of its own (a language added to PORTAL_LANGUAGES after Arabic)."""
    language = content_language(language)
    value = getattr(obj, f"{attribute}_{language}", None)
    return value or getattr(obj, f"{attribute}_fr", "") or ""
