"""Languages: French (default) and Arabic (right to left).

The choice is kept in a cookie set by the language switcher; without one, the browser's
Accept-Language decides. Content stored in both languages is read with localized().
"""
from flask import current_app, has_request_context, request
from flask_babel import get_locale

from .vocabulary import Vocabulary

LANGUAGE_COOKIE = "portal_lang"
RTL_LANGUAGES = {"ar"}
# Each language named in itself (never translated): people look for their own language's name.
LANGUAGES = Vocabulary(("fr", "Français"), ("ar", "العربية"))


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
    return "rtl" if (language or current_language()) in RTL_LANGUAGES else "ltr"


def localized(obj, attribute: str, language: str | None = None) -> str:
    """obj.<attribute>_<language>, falling back to French when the translation is empty."""
    language = language or current_language()
    value = getattr(obj, f"{attribute}_{language}", None)
    return value or getattr(obj, f"{attribute}_fr", "") or ""
