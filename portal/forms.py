"""Field helpers shared by every form (trimming, refusing invisible tricks), and the CSRF-only form."""
import re
import unicodedata
from itertools import groupby

from babel import support
from flask_babel import get_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import Length, ValidationError

# Bidirectional embeddings, overrides and isolates can make text display other than it reads.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_IN_MULTILINE = {"\n", "\r", "\t"}

# The examples of a phone number, given as values (isolated in right-to-left sentences: portal.bidi),
# in the hint under a phone field and in the message that refuses one.
PHONE_EXAMPLES = {"local": "06 12 34 56 78", "international": "+212 6 12 34 56 78"}
PHONE_MESSAGE = _l("Saisissez un numéro de téléphone, par exemple %(local)s ou %(international)s.", **PHONE_EXAMPLES)


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def collapse_newlines(value):
    return re.sub(r"\r\n?", "\n", value) if isinstance(value, str) else value


class MaxLength(Length):
    """At most `max` characters; the refusal says the limit with the plural of the reader's language."""

    def __init__(self, max: int):
        super().__init__(max=max, message=lazy_ngettext("%(num)d caractère au maximum.",
                                                        "%(num)d caractères au maximum.", max))


class PlainText:
    """Refuses control characters and bidi overrides (line breaks allowed when multiline)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field):
        value = field.data or ""
        for char in value:
            if self.multiline and char in _ALLOWED_IN_MULTILINE:
                continue
            if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
                raise ValidationError(_l("Ce champ contient des caractères non autorisés (caractères "
                                         "de contrôle ou d'inversion du sens d'écriture)."))


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes sharing one name (rendered by our own macro inside a fieldset)."""
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs, optgroup: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def grouped(choice_list) -> list[tuple[str | None, list[SelectChoice]]]:
    """Consecutive choices of one optgroup together, in their order (for rendering <optgroup>)."""
    return [(group, list(items)) for group, items in groupby(choice_list, key=lambda c: c.optgroup)]


_WTFORMS_TRANSLATIONS: dict[str, support.Translations] = {}


class ReadOnceTranslations(FlaskForm.Meta):
    """WTForms' own messages (and the label it makes up for the CSRF field, on every form built)
    in the request's language, their catalogue read once per language and process: Flask-WTF
    reads it from disk on every request that builds a form. For a form built on each POST."""

    def get_translations(self, form):
        locale = get_locale()
        if locale is None:  # outside a request: as Flask-WTF does
            return super().get_translations(form)
        key = str(locale)
        translations = _WTFORMS_TRANSLATIONS.get(key)
        if translations is None:
            translations = _WTFORMS_TRANSLATIONS.setdefault(
                key, support.Translations.load(messages_path(), [locale], domain="wtforms"))
        return translations


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the button is the confirmation (cancel, erase, send, accept...)."""


class Refused(Exception):
    """An operation refuses a change; `problems` says why, field by field ({field: [messages]},
    the field "" for what concerns the whole object). The one way an operation says no: the view
    puts the problems on its form (error summary, 422) and nothing was changed."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems

    def show_on(self, form, whole=None) -> list[str]:
        """Put each problem on its field of `form` (the error summary lists them); the problems of no
        field go on `whole` (a field) when given, else they are returned, for the page to say."""
        rest = []
        for name, messages in self.problems.items():
            field = form[name] if form is not None and name in form else whole
            texts = [str(message) for message in messages]
            if field is None:
                rest.extend(texts)
            else:
                field.errors = list(field.errors or []) + texts
        return rest
