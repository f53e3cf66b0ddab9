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
import datetime as dt
import functools
import os
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError, dates, numbers
from flask import current_app, has_app_context, has_request_context, request
from flask_babel import get_locale

from .vocabulary import Vocabulary

LANGUAGE_COOKIE = "portal_lang"
# The languages of the stored bilingual content (<name>_fr / <name>_ar columns), French first.
CONTENT_LANGUAGES = ("fr", "ar")


@functools.cache
def language_name(code: str) -> str:
    """A language named in itself (never translated): people look for their own language's name."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError, TypeError):  # not a locale Babel knows: shown as its code
        name = code
    return name[:1].upper() + name[1:]


@functools.cache
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
    if not has_request_context():  # the worker's housekeeping, CLI commands
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return language_of(request, current_app.config)


def language_of(asked, config) -> str:
    """The language of the pages `asked` (a werkzeug request) gets: its language cookie's, else the
    best match of its Accept-Language among those offered, else the default."""
    languages = config["PORTAL_LANGUAGES"]
    chosen = asked.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return asked.accept_languages.best_match(languages) or config["BABEL_DEFAULT_LOCALE"]


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
    language has no column of its own (a language added to PORTAL_LANGUAGES after Arabic). `obj`
    is a row object, or a dict with those keys (the plain records of an export)."""
    language = content_language(language)
    if isinstance(obj, dict):
        return obj.get(f"{attribute}_{language}") or obj.get(f"{attribute}_fr") or ""
    return getattr(obj, f"{attribute}_{language}", None) or getattr(obj, f"{attribute}_fr", "") or ""


# ---------------------------------------------------------------------------------------------
# Dates, times and numbers: the one way to format them (docs/architecture.md, "Languages").
#
# A language's texts come from its catalogue ("ar"); its formats come from its *formats locale*,
# PORTAL_FORMAT_LOCALES in the config ("ar" -> "ar_MA": شتنبر, غشت, دجنبر, يوليوز as Moroccan
# texts write them; "fr" -> "fr_MA"). A language without an entry uses its own code.
# Every function takes language= for what is rendered for someone else than the request
# (mails, letters, .ics, PDFs in the recipient's language); without it, the page's language.

SOURCE_LANGUAGE = "fr"  # the msgids are French: French needs no catalogue

NBSP = "\u00a0"
# The named patterns (CLDR syntax), one set per language, in this one place. Templates and code
# name a pattern ("event_day"), never write one. A language without its own set gets the
# equivalent built from its formats locale's CLDR data (_cldr_patterns).
DATE_PATTERNS: dict[str, dict[str, str]] = {
    "fr": {
        "event_day": "EEEE d MMMM y",                                  # lundi 14 septembre 2026
        "date": "d MMMM y",                                            # 14 septembre 2026
        "short": "dd/MM/y",                                            # 14/09/2026
        "month": "MMMM y",                                             # septembre 2026
        "time": f"H{NBSP}'h'{NBSP}mm",                                 # 9 h 30
        "day_and_time": f"EEEE d MMMM y 'à' H{NBSP}'h'{NBSP}mm",       # lundi 14 septembre 2026 à 9 h 30
        "date_and_time": f"d MMMM y 'à' H{NBSP}'h'{NBSP}mm",           # 14 septembre 2026 à 9 h 30
        "stamp": "d MMM y, HH:mm",                                     # 14 sept. 2026, 09:30 (tables)
    },
    "ar": {
        "event_day": "EEEE d MMMM y",                                  # الاثنين 14 شتنبر 2026
        "date": "d MMMM y",                                            # 14 شتنبر 2026
        "short": "dd/MM/y",                                            # 14/09/2026
        "month": "MMMM y",                                             # شتنبر 2026
        "time": "HH:mm",                                               # 09:30
        "day_and_time": "EEEE d MMMM y 'على الساعة' HH:mm",            # الاثنين 14 شتنبر 2026 على الساعة 09:30
        "date_and_time": "d MMMM y 'على الساعة' HH:mm",                # 14 شتنبر 2026 على الساعة 09:30
        "stamp": "d MMM y، HH:mm",                                     # 14 شتنبر 2026، 09:30 (tables)
    },
}


def formats_locale(language: str | None = None) -> str:
    """The locale whose month names, patterns and digits format values for this language."""
    language = language or current_language()
    return current_app.config.get("PORTAL_FORMAT_LOCALES", {}).get(language, language)


@functools.lru_cache(maxsize=16)
def _cldr_patterns(locale: str) -> dict[str, str]:
    """The named patterns of a language that has no set of its own, from CLDR."""
    data = Locale.parse(locale)
    day, date, short = (data.date_formats[width].pattern for width in ("full", "long", "short"))
    time = data.time_formats["short"].pattern
    joined = str(data.datetime_formats["long"])  # "{1} {0}", "{1}, {0}"...
    month = data.datetime_skeletons.get("yMMMM")
    return {"event_day": day, "date": date, "short": short, "month": month.pattern if month else "MMMM y",
            "time": time, "day_and_time": joined.replace("{1}", day).replace("{0}", time),
            "date_and_time": joined.replace("{1}", date).replace("{0}", time),
            "stamp": str(data.datetime_formats["short"]).replace("{1}", data.date_formats["medium"].pattern)
            .replace("{0}", time)}


def date_pattern(name: str, language: str | None = None) -> str:
    """A named pattern of the language (KeyError for a name that is not in the set)."""
    language = language or current_language()
    patterns = DATE_PATTERNS.get(language) or _cldr_patterns(formats_locale(language))
    return patterns[name]


def _local(value: dt.datetime) -> dt.datetime:
    """A naive UTC datetime in the portal's time zone. zoneinfo (the system's tz database), not
    pytz: pytz's Africa/Casablanca puts September 2027 at UTC+0, an hour off Morocco's clocks."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(_zone(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


@functools.lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def format_date(value, format: str = "date", *, language: str | None = None, rebase: bool = True) -> str:
    """A date (or the local day of a UTC datetime) with a named pattern."""
    if rebase and isinstance(value, dt.datetime):
        value = _local(value)
    return dates.format_date(value, date_pattern(format, language), locale=formats_locale(language))


def format_datetime(value, format: str = "date_and_time", *, language: str | None = None,
                    rebase: bool = True) -> str:
    """A datetime stored in UTC, shown in the portal's time zone (rebase=False: already local)."""
    if rebase:
        value = _local(value)
    return dates.format_datetime(value, date_pattern(format, language), locale=formats_locale(language))


def format_time(value, format: str = "time", *, language: str | None = None, rebase: bool = True) -> str:
    """A time of day: a datetime.time as it is, a UTC datetime in the portal's time zone."""
    if rebase and isinstance(value, dt.datetime):
        value = _local(value)
    return dates.format_time(value, date_pattern(format, language), locale=formats_locale(language))


def format_event_day(day: dt.date, time: dt.time | None = None, *, language: str | None = None) -> str:
    """An event's day, with its starting hour (local) when known: "الاثنين 14 شتنبر 2026 على الساعة 09:30",
    "lundi 14 septembre 2026 à 9 h 30"."""
    if time is None:
        return format_date(day, "event_day", language=language)
    return format_datetime(dt.datetime.combine(day, time), "day_and_time", language=language, rebase=False)


def format_timedelta(value, *, language: str | None = None, **options) -> str:
    return dates.format_timedelta(value, locale=formats_locale(language), **options)


def format_decimal(number, format: str | None = None, *, language: str | None = None) -> str:
    return numbers.format_decimal(number, format=format, locale=formats_locale(language))


def format_percent(number, format: str | None = None, *, language: str | None = None) -> str:
    return numbers.format_percent(number, format=format, locale=formats_locale(language))


# The template globals and filters (site.init_app installs them, replacing Flask-Babel's filters,
# which would format with the catalogue's locale).
FORMATTERS = {"format_date": format_date, "format_time": format_time, "format_datetime": format_datetime,
              "format_decimal": format_decimal, "format_percent": format_percent,
              "format_timedelta": format_timedelta, "format_event_day": format_event_day}
FILTERS = {"dateformat": format_date, "datetimeformat": format_datetime, "timeformat": format_time,
           "timedeltaformat": format_timedelta, "numberformat": format_decimal, "decimalformat": format_decimal,
           "percentformat": format_percent}


# ---------------------------------------------------------------------------------------------
# No silent fallback: an offered language whose compiled catalogue (.mo) is missing or older than
# its source (.po) would show French laid out right to left. create_app refuses to start instead.

class CatalogueNotCompiled(RuntimeError):
    """An offered language has no compiled catalogue, or one older than its .po."""


def check_catalogues(languages, directories, domain: str = "messages") -> None:
    """Raise CatalogueNotCompiled unless every offered language has a compiled catalogue, up to
    date with its .po, in one of the translation directories. The source language needs none, but
    a French .po (it carries the French plural rule) must be compiled too. A few stat() calls:
    create_app runs it at every start."""
    problems = []
    for language in languages:
        found = False
        for directory in directories:
            folder = os.path.join(directory, _catalogue_folder(language), "LC_MESSAGES")
            po, mo = (_mtime(os.path.join(folder, f"{domain}.{ext}")) for ext in ("po", "mo"))
            if po is None and mo is None:
                continue
            found = True
            if mo is None:
                problems.append(f"{language}: {os.path.join(folder, domain + '.mo')} is missing")
            elif po is not None and mo < po:
                problems.append(f"{language}: {os.path.join(folder, domain + '.mo')} is older than its .po")
        if not found and language != SOURCE_LANGUAGE:
            problems.append(f"{language}: no catalogue in {', '.join(directories)}")
    if problems:
        commands = " or ".join(f"`pybabel compile -d {directory}`" for directory in directories)
        raise CatalogueNotCompiled(
            "The translations of an offered language are not compiled, so its pages would show French. "
            f"Run `make translations` (or {commands}) and start again.\n  " + "\n  ".join(problems))


def check_format_locales(languages, format_locales: dict) -> None:
    """Refuse a formats locale that Babel does not know (a typo would fail every page with a date)."""
    for language in languages:
        locale = format_locales.get(language, language)
        try:
            Locale.parse(locale)
        except (ValueError, UnknownLocaleError) as error:
            raise ValueError(f"PORTAL_FORMAT_LOCALES: no locale data for {locale!r} (language {language!r}); "
                             "write it as Babel does, e.g. \"ar_MA\"") from error


def _catalogue_folder(language: str) -> str:
    """The folder Babel reads a language's catalogue from ("zgh-Tfng" -> "zgh_Tfng")."""
    try:
        return str(Locale.parse(language, sep="-" if "-" in language else "_"))
    except (ValueError, UnknownLocaleError):
        return language


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None
