"""No silent fallback: the portal refuses to start when an offered language has no compiled
catalogue, or one older than its .po (its pages would show French laid out right to left), and
says which command to run. `make run` and `make test` compile first (Makefile: translations)."""
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from portal import create_app
from portal.i18n import CatalogueNotCompiled

TRANSLATIONS = Path(__file__).parents[1] / "portal" / "translations"


def start(tmp_path, directories, languages=("fr", "ar")):
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                       "INSTANCE_PATH": str(tmp_path / "instance"), "OUTBOX_DELIVER_IN_APP": False,
                       "PORTAL_LANGUAGES": list(languages),
                       "BABEL_TRANSLATION_DIRECTORIES": ";".join(str(d) for d in directories)})


def compile_catalogue(folder: Path) -> None:
    with open(folder / "messages.po", "rb") as po, open(folder / "messages.mo", "wb") as mo:
        write_mo(mo, read_po(po))


@pytest.fixture
def translations(tmp_path):
    """A copy of the portal's catalogues, Arabic not compiled (French is)."""
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    compile_catalogue(copy / "fr" / "LC_MESSAGES")
    return copy


def test_a_missing_arabic_catalogue_stops_the_start_with_the_command_to_run(tmp_path, translations):
    with pytest.raises(CatalogueNotCompiled) as refused:
        start(tmp_path, [translations])
    message = str(refused.value)
    assert "make translations" in message and f"pybabel compile -d {translations}" in message
    assert "ar: " in message and "messages.mo is missing" in message


def test_compiled_it_starts_in_arabic_and_an_edited_po_stops_it_again(tmp_path, translations):
    arabic = translations / "ar" / "LC_MESSAGES"
    compile_catalogue(arabic)
    app = start(tmp_path, [translations])
    with app.test_request_context(), force_locale("ar"):
        assert gettext("Date") == "التاريخ"
    compiled = os.stat(arabic / "messages.mo").st_mtime
    os.utime(arabic / "messages.po", (compiled + 60, compiled + 60))  # translated after compiling
    with pytest.raises(CatalogueNotCompiled, match="older than its .po"):
        start(tmp_path, [translations])


def test_french_the_source_language_needs_no_catalogue(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert start(tmp_path, [empty], languages=("fr",))


def test_an_uncompiled_french_catalogue_stops_the_start_too(tmp_path, translations):
    """French has a .po for its plural rule (« 0 inscription »): without its .mo, English rules."""
    compile_catalogue(translations / "ar" / "LC_MESSAGES")
    (translations / "fr" / "LC_MESSAGES" / "messages.mo").unlink()
    with pytest.raises(CatalogueNotCompiled, match="fr: .*messages.mo is missing"):
        start(tmp_path, [translations])


def test_every_translation_directory_counts_and_an_offered_language_needs_one(tmp_path, translations):
    """Several directories (';'-separated): a third language may come with its own."""
    compile_catalogue(translations / "ar" / "LC_MESSAGES")
    extra = tmp_path / "extra"
    tamazight = extra / "zgh" / "LC_MESSAGES"
    tamazight.mkdir(parents=True)
    with pytest.raises(CatalogueNotCompiled, match="zgh: no catalogue"):
        start(tmp_path, [translations], languages=("fr", "ar", "zgh"))
    (tamazight / "messages.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                           'msgid "Date"\nmsgstr "ⴰⵙⴰⴽⵓⴷ"\n', encoding="utf-8")
    with pytest.raises(CatalogueNotCompiled, match="zgh: .*messages.mo is missing"):
        start(tmp_path, [translations, extra], languages=("fr", "ar", "zgh"))
    compile_catalogue(tamazight)
    app = start(tmp_path, [translations, extra], languages=("fr", "ar", "zgh"))
    with app.test_request_context(), force_locale("zgh"):
        assert gettext("Date") == "ⴰⵙⴰⴽⵓⴷ"


def test_an_unknown_formats_locale_stops_the_start(tmp_path, translations):
    compile_catalogue(translations / "ar" / "LC_MESSAGES")
    with pytest.raises(ValueError, match="PORTAL_FORMAT_LOCALES: no locale data for 'ar_XX'"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "INSTANCE_PATH": str(tmp_path / "instance"), "OUTBOX_DELIVER_IN_APP": False,
                    "BABEL_TRANSLATION_DIRECTORIES": str(translations),
                    "PORTAL_FORMAT_LOCALES": {"ar": "ar_XX", "fr": "fr_MA"}})
