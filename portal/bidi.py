"""Bidirectional text: a value inserted into a right-to-left sentence is isolated.

An e-mail address, a reference, a phone number, a French title or a name put into an Arabic
sentence is reordered by the Unicode bidirectional algorithm unless it is isolated:
"06 12 34 56 78" reads "78 56 34 12 06" and "CC-ABCD2345." drags the full stop to the wrong side.
So, when the language is right to left (`i18n.text_direction(language) == "rtl"`), every value
substituted into a translated text is isolated, in one place for the whole portal:

- templates: `_()`, `ngettext()`, `pgettext()`, `npgettext()` (installed here over Flask-Babel's)
  wrap each text value in `<bdi>` in HTML (`<bdi dir="ltr">` when the value has no right-to-left
  letter: a number, a phone, an address), and between U+2068 FIRST STRONG ISOLATE and U+2069 POP
  DIRECTIONAL ISOLATE in plain text (the .txt mails, autoescape off);
- Python: `flask_babel.gettext` and friends (flash messages, mail subjects, refusals) go through
  `IsolatingDomain`, which puts the values between U+2068 and U+2069.
Numbers passed as numbers (`%(num)d`) are left as they are: digits keep their order on their own.

A translated text with a value used inside an HTML attribute (aria-label, title, placeholder,
value) takes the `|as_text` filter, which turns the `<bdi>` into the two characters (markup
has no place in an attribute): `aria-label="{{ _("Copier le lien de %(name)s", name=n)|as_text }}"`.

Lists are joined with `join_list` (Jinja filter and function): "، " in Arabic, ", " in French,
from the locale's list pattern.
"""
import numbers
import unicodedata

from babel import Locale, UnknownLocaleError
from flask import Flask
from flask_babel import Babel, Domain, get_locale, get_translations
from jinja2 import pass_context, pass_eval_context
from markupsafe import Markup, escape

from .i18n import current_language, text_direction

FSI = "\u2068"  # FIRST STRONG ISOLATE: the value takes the direction of its first letter
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
_BDI_LTR = Markup('<bdi dir="ltr">')
_BDI = Markup("<bdi>")
_BDI_END = Markup("</bdi>")


def right_to_left(language: str | None = None) -> bool:
    return text_direction(language or current_language()) == "rtl"


def _has_rtl_letter(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _is_value(value) -> bool:
    """A text worth isolating: not a number (digits keep their order), not empty."""
    if isinstance(value, (bool, numbers.Number)) or value is None:
        return False
    return str(value) != ""


def isolate(value, language: str | None = None):
    """The value between FSI and PDI when the language is right to left (plain text: mail
    subjects, .txt mails, flash messages); the value unchanged otherwise."""
    if not _is_value(value) or not right_to_left(language):
        return value
    return f"{FSI}{value}{PDI}"


def isolate_html(value, language: str | None = None):
    """The value, escaped, in `<bdi>` when the language is right to left; escaped otherwise."""
    if not _is_value(value) or not right_to_left(language):
        return value if isinstance(value, numbers.Number) else escape(value)
    text = Markup(value).striptags() if isinstance(value, Markup) else str(value)
    opening = _BDI if _has_rtl_letter(text) else _BDI_LTR
    return opening + escape(value) + _BDI_END


def list_separator(language: str | None = None) -> str:
    """The separator between the items of a list, from the locale's data: ", " in French,
    "، " in Arabic. CLDR's Arabic list pattern is "{0} و{1}" (a conjunction): an enumeration
    then takes the comma another of its patterns starts with ("{0}، و{1}")."""
    try:
        patterns = Locale.parse(language or current_language()).list_patterns
    except (UnknownLocaleError, ValueError):
        return ", "
    separators = [pattern.replace("{0}", "").replace("{1}", "")
                  for style in ("standard", *patterns) for pattern in [patterns[style].get("middle", "")] if pattern]
    for separator in separators:
        if separator and unicodedata.category(separator[0]).startswith("P"):
            return separator[0] + " " if any(ch.isalpha() for ch in separator) else separator
    return ", "


def join_list(items, language: str | None = None) -> str:
    """Items joined as the language writes a list: "a، b، c" in Arabic, "a, b, c" in French."""
    return list_separator(language).join(str(item) for item in items if item not in (None, ""))


# --- Python: flask_babel.gettext and friends -------------------------------------------------
def _isolated(variables: dict) -> dict:
    if not variables or not right_to_left():
        return variables
    return {name: isolate(value) for name, value in variables.items()}


class IsolatingDomain(Domain):
    """Flask-Babel's domain, whose formatted texts isolate their values in right-to-left languages."""

    def gettext(self, string, **variables):
        return super().gettext(string, **_isolated(variables))

    def ngettext(self, singular, plural, num, **variables):
        return super().ngettext(singular, plural, num, **_isolated(variables))

    def pgettext(self, context, string, **variables):
        return super().pgettext(context, string, **_isolated(variables))

    def npgettext(self, context, singular, plural, num, **variables):
        return super().npgettext(context, singular, plural, num, **_isolated(variables))

    def get_translations_cache(self, ctx):
        """One cache of loaded catalogues per set of translation directories. Flask-Babel keeps a
        single one per domain, keyed by language only, and the domain serves every app of the
        process: an app whose BABEL_TRANSLATION_DIRECTORIES add a language (the tests' third
        language) read the catalogue another app had loaded for that code."""
        return self.cache.setdefault(tuple(self.translation_directories), {})


class PortalBabel(Babel):
    """Flask-Babel, with the isolating domain for every gettext call made from Python."""

    @property
    def domain_instance(self):
        domain = self.__dict__.get("_isolating_domain")
        if domain is None or domain.domain != [self.domain]:
            domain = self.__dict__["_isolating_domain"] = IsolatingDomain(domain=self.domain)
        return domain


# --- templates -------------------------------------------------------------------------------
def _of_this_render(context):
    """(translations, right to left) of the language a template renders in, looked up once per
    render: through Flask-Babel, each lookup walks the request context several times, and a mail
    or a page calls gettext a few dozen times.

    A render's templates, blocks and includes find them in the render's variables, put there by
    a context processor (`_RENDER_LANGUAGE`: every render_template runs it, in the locale of that
    render). The macros of a template imported without context do not see those variables: they
    keep the context of the import, which Jinja caches for every later render, in any language
    and thread. For them, the lookup is kept on that context's EvalContext, under the locale it
    was looked up for, and looked up again when the locale is another."""
    found = context.get(_RENDER_LANGUAGE)
    if found is not None:
        return found
    locale = get_locale()
    kept = getattr(context.eval_ctx, "portal_language", None)
    if kept is None or (kept[0] is not locale and kept[0] != locale):
        kept = context.eval_ctx.portal_language = (locale, (get_translations(), right_to_left()))
    return kept[1]


_RENDER_LANGUAGE = "_portal_render_language"


def _render_language() -> dict:
    return {_RENDER_LANGUAGE: (get_translations(), right_to_left())}


def _format(context, text: str, variables: dict):
    autoescape = context.eval_ctx.autoescape
    if _of_this_render(context)[1]:
        wrap = isolate_html if autoescape else isolate
        variables = {name: wrap(value) for name, value in variables.items()}
    if autoescape:
        text = Markup(text)
    # Always a format string, as Jinja's newstyle gettext does ("%%" is a percent sign).
    return text % variables


@pass_context
def _gettext(context, string, **variables):
    return _format(context, _of_this_render(context)[0].ugettext(string), variables)


@pass_context
def _ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    return _format(context, _of_this_render(context)[0].ungettext(singular, plural, num), variables)


@pass_context
def _pgettext(context, string_context, string, **variables):
    variables.setdefault("context", string_context)
    return _format(context, _of_this_render(context)[0].upgettext(string_context, string), variables)


@pass_context
def _npgettext(context, string_context, singular, plural, num, **variables):
    variables.setdefault("context", string_context)
    variables.setdefault("num", num)
    return _format(context, _of_this_render(context)[0].unpgettext(string_context, singular, plural, num), variables)


def as_text(value):
    """A translated text for an HTML attribute: its `<bdi>` become FSI…PDI characters."""
    if not isinstance(value, Markup):
        return value
    text = str(value).replace(str(_BDI_LTR), FSI).replace(str(_BDI), FSI).replace(str(_BDI_END), PDI)
    return Markup(text)


@pass_eval_context
def _join_list_filter(eval_ctx, items, language: str | None = None, labels=None):
    """In a template: each item (or its label, `labels[item]`) isolated when right to left,
    joined with the list separator: `criteria.kinds | join_list(labels=kind_labels)`."""
    if labels is not None:  # an unknown value has no label and is left out, as `labels[value]` would show nothing
        items = [labels[item] for item in items if item in labels]  # a Vocabulary has no .get()
    items = [item for item in items if item not in (None, "")]
    if not eval_ctx.autoescape:
        return join_list([isolate(item, language) for item in items], language)
    return Markup(escape(list_separator(language))).join(isolate_html(item, language) for item in items)


def init_app(app: Flask) -> None:
    """Replace the gettext callables Flask-Babel installed (it runs before) with isolating ones."""
    if not app.jinja_env.newstyle_gettext:  # our callables format their variables themselves
        raise RuntimeError("portal.bidi.init_app runs after Babel.init_app (newstyle gettext)")
    app.jinja_env.globals.update(gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext,
                                 npgettext=_npgettext, join_list=_join_list_filter)
    app.jinja_env.filters.update(as_text=as_text, join_list=_join_list_filter)
    app.context_processor(_render_language)
