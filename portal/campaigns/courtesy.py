"""How a letter or a mail to an institution opens, closes and is signed, in its language.

- The opening (formule d'appel) is the institution's own when the directory has one (« Monsieur le
  Wali », « Madame la Présidente », "السيد والي جهة الشرق"), written in the language of its messages.
  Otherwise it is generic: one person whose name is known (French « Madame, Monsieur », Arabic
  "السيد(ة) المحترم(ة)"), or the institution as a body (« Madame, Monsieur », "حضرات السيدات والسادة").
  The name itself goes in the addressee block, never after a generic opening.
- The closing repeats the institution's own opening, as French letters do (« Veuillez agréer,
  Monsieur le Wali, ... »); the generic one has its fixed formula.
- The signature is the settings' LETTER_SIGNATURE_<LANGUAGE> (function, then name, one per line).

Values carry no final punctuation: the template adds the comma (« , » or "،")."""
from flask import current_app
from flask_babel import force_locale, gettext, pgettext

_TRAILING = " \t,،;:"


def own_opening(institution) -> str:
    return (institution.salutation or "").strip().rstrip(_TRAILING).strip()


def opening(institution, language: str) -> str:
    own = own_opening(institution)
    if own:
        return own
    with force_locale(language):
        if (institution.contact_name or "").strip():
            return pgettext("opening of a letter to one person whose name is known", "Madame, Monsieur")
        return pgettext("opening of a letter to an institution, no person named", "Madame, Monsieur")


def closing(institution, language: str) -> str:
    own = own_opening(institution)
    with force_locale(language):
        if own:
            return gettext("Veuillez agréer, %(salutation)s, l'expression de ma haute considération.",
                           salutation=own)
        return gettext("Veuillez agréer, Madame, Monsieur, l'expression de ma haute considération.")


def signature(language: str) -> list[str]:
    """The signature block's lines (function, name), in the language (French when it has none)."""
    config = current_app.config
    text = config.get(f"LETTER_SIGNATURE_{language.upper()}") or config["LETTER_SIGNATURE_FR"]
    return [line.strip() for line in text.splitlines() if line.strip()]
