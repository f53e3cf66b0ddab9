"""A pseudo translation for a language the portal does not have yet, made at test time from the
extracted template (portal/translations/messages.pot): each text is its French source between
⟦ ⟧, placeholders (%(name)s) left as they are, one text per plural form of the language. A page,
a mail or a PDF in that language shows at a glance which texts went through the catalogue."""
import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

TEMPLATE = Path(__file__).parents[2] / "portal" / "translations" / "messages.pot"
OPEN, CLOSE = "⟦", "⟧"


def pseudo(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}" if text else text


def write_pseudo_catalogue(directory: Path, locale: str) -> Path:
    """directory/<locale>/LC_MESSAGES/messages.po and .mo (compiled after, so never outdated);
    returns the .po."""
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    catalogue = Catalog(locale=locale, fuzzy=False)  # a finished catalogue, as `pybabel compile` wants one
    for message in template:
        if not message.id:
            continue  # the header
        if message.pluralizable:
            singular, plural = message.id
            string = tuple(pseudo(singular if form == 0 else plural) for form in range(catalogue.num_plurals))
        else:
            string = pseudo(message.id)
        catalogue.add(message.id, string, context=message.context, flags=message.flags)
    folder = directory / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    po, mo = folder / "messages.po", folder / "messages.mo"
    with po.open("wb") as handle:
        write_po(handle, catalogue)
    with mo.open("wb") as handle:
        write_mo(handle, catalogue)
    stat = po.stat()
    os.utime(mo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # compiled after its source
    return po
