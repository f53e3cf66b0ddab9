"""The invitation to institutions opens, closes and is signed as an official letter in each
language (portal.campaigns.courtesy), in the PDF letter and in the mail that carries it: the
institution's own opening when the directory has one (« Monsieur le Wali »), else a generic one,
never a dangling "السيدة، السيد ،" when no name is known; the signature from the settings."""
import importlib.util
import io
import re
from pathlib import Path

import sqlalchemy as sa
from pdfminer.high_level import extract_text
from sqlalchemy import select

from portal.directory.models import Institution, InstitutionEmail
from portal.extensions import db
from tests.support.web import nfkc, squeeze, submit_form
from tests.test_campaigns import deliver_all
from tests.test_invitations import admin, invite, letters  # noqa: F401 (admin is a fixture)

INSTITUTIONS = {  # name: (language, contact name, own opening)
    "Wilaya de la région de l'Oriental": ("fr", "", "Monsieur le Wali"),
    "Conseil de la région de l'Oriental": ("fr", "", ""),
    "Province de Nador": ("ar", "", ""),
    "Province de Berkane": ("ar", "", "السيد عامل إقليم بركان،"),  # a final comma typed by mistake
    "Province de Figuig": ("ar", "Samira Bennani", ""),
}


def canon(value):
    """An Arabic line as pdfminer reads it (visual order) turned back to written order (see
    test_invitations.test_the_arabic_letter_is_right_to_left)."""
    return re.sub("ل([اأإآ])", r"\1ل", nfkc(value))


def _pdf_text(pdf: bytes, arabic: bool) -> str:
    text = extract_text(io.BytesIO(pdf))
    if arabic:
        return canon("\n".join(line[::-1] for line in text.splitlines()))
    return squeeze(text)


def _send_to_all(app, admin, events, smtp_server):  # noqa: F811
    addresses = {}
    with app.app_context():
        for name, (language, contact, own) in INSTITUTIONS.items():
            institution = db.session.scalar(select(Institution).where(Institution.name_fr == name))
            institution.emails = [InstitutionEmail(email=f"courtesy{institution.id}@example.org")]
            institution.language, institution.contact_name, institution.salutation = language, contact, own
            addresses[name] = f"courtesy{institution.id}@example.org"
        db.session.commit()
    invite(app, admin, events, kind=["wilaya", "region_council", "province"], region="02")
    deliver_all(app)
    mails = {envelope.rcpt_tos[0]: message.get_body(("plain",)).get_content().replace("\r\n", "\n")
             for envelope, message in smtp_server.messages}
    pdfs = letters(app, smtp_server)
    return ({name: mails[address] for name, address in addresses.items()},
            {name: _pdf_text(pdfs[address], INSTITUTIONS[name][0] == "ar") for name, address in addresses.items()})


def test_french_letters_and_mails_open_with_the_title_or_madame_monsieur_and_close_alike(
        app, admin, events, smtp_server):  # noqa: F811
    mails, pdfs = _send_to_all(app, admin, events, smtp_server)
    wali, council = "Wilaya de la région de l'Oriental", "Conseil de la région de l'Oriental"
    assert mails[wali].startswith("Monsieur le Wali,\n")
    assert "Veuillez agréer, Monsieur le Wali, l'expression de ma haute considération.\n\n" \
           "Le Département de la Réforme de l'Administration" in mails[wali]
    assert "Monsieur le Wali, Dans le cadre de l'élaboration du 3e plan d'action national" in pdfs[wali]
    assert "Veuillez agréer, Monsieur le Wali, l'expression de ma haute considération." in pdfs[wali]
    assert "Partenariat pour un Gouvernement Ouvert" in pdfs[wali] + mails[wali]
    for text in (mails[council], pdfs[council]):
        assert "Madame, Monsieur," in text and "Madame, Monsieur Contact" not in text
        assert "Veuillez agréer, Madame, Monsieur, l'expression de ma haute considération." in text
        assert "Le Département de la Réforme de l'Administration" in text
    assert mails[council].startswith("Madame, Monsieur,\n")


def test_arabic_letters_and_mails_never_leave_a_blank_where_the_name_is_missing(app, admin, events, smtp_server):  # noqa: F811
    mails, pdfs = _send_to_all(app, admin, events, smtp_server)
    # Inserted values are isolated in Arabic (U+2068…U+2069, tests/test_bidi.py): read the words.
    mails = {name: mail.replace("\u2068", "").replace("\u2069", "") for name, mail in mails.items()}
    nador, berkane, figuig = "Province de Nador", "Province de Berkane", "Province de Figuig"
    for name in (nador, berkane, figuig):
        assert "السيدة، السيد" not in mails[name] and " ،" not in mails[name]
        assert mails[name].rstrip().endswith("قطاع إصلاح الإدارة")
        assert canon("قطاع إصلاح الإدارة") in pdfs[name]
        assert "الشراكة من أجل الحكومة المنفتحة" in mails[name]
    # Nobody named: the institution as a body.
    assert mails[nador].startswith("حضرات السيدات والسادة،\n")
    assert "وتقبلوا فائق عبارات التقدير والاحترام." in mails[nador]
    assert canon("حضرات السيدات والسادة") in pdfs[nador] and canon("وتقبلوا فائق عبارات التقدير") in pdfs[nador]
    # The institution's own opening, its stray comma dropped, repeated in the closing.
    assert mails[berkane].startswith("السيد عامل إقليم بركان،\n")
    assert "وتفضلوا، السيد عامل إقليم بركان، بقبول فائق عبارات التقدير والاحترام." in mails[berkane]
    assert canon("السيد عامل إقليم بركان") in pdfs[berkane] and "،،" not in mails[berkane]
    # A named contact: a courteous singular opening; the name is in the letter's addressee block.
    assert mails[figuig].startswith("السيد(ة) المحترم(ة)،\n")
    assert "Samira Bennani" in extract_text_plain(pdfs[figuig])


def extract_text_plain(text: str) -> str:
    """A Latin name read backwards with the Arabic lines: turned back."""
    return text + "\n" + "\n".join(line[::-1] for line in text.splitlines())


def test_the_directory_form_keeps_the_institutions_opening(app, admin):  # noqa: F811
    response = submit_form(admin, "/directory/new", {
        "kind": "other", "name_fr": "Instance régionale de concertation", "emails": "irc@example.org",
        "language": "fr", "salutation": "Madame la Présidente"})
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(select(Institution).where(Institution.name_fr == "Instance régionale de concertation"))
        assert row.salutation == "Madame la Présidente"
        edit = admin.get(f"/directory/{row.id}/edit").get_data(as_text=True)
    assert 'value="Madame la Présidente"' in edit and "appel des lettres (facultatif)</label>" in edit


def test_migration_0026_rewrites_the_unedited_default_invitation_only(tmp_path):
    from flask_migrate import downgrade, upgrade

    from tests.support.database import app_on_new_database
    path = Path(__file__).parents[1] / "migrations" / "versions" / "0026_letter_courtesy.py"
    spec = importlib.util.spec_from_file_location("letter_courtesy_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    read = "SELECT body_fr, body_ar FROM message_template WHERE name = 'Invitation institutionnelle'"
    with app_on_new_database(tmp_path, "courtesy") as app, app.app_context():
        upgrade(revision="0025")
        with db.engine.begin() as connection:  # as installed before: the old French default, an edited Arabic
            connection.execute(sa.text("UPDATE message_template SET body_fr = :fr, body_ar = 'نص معدل' "
                                       "WHERE name = 'Invitation institutionnelle'"), {"fr": migration.OLD_BODY_FR})
        upgrade()
        body_fr, body_ar = db.session.execute(sa.text(read)).one()
        assert body_fr == migration.NEW_BODY_FR and body_fr.startswith("{{ salutation }},")
        assert body_ar == "نص معدل"
        db.session.remove()
        downgrade(revision="0025")
        assert db.session.execute(sa.text(read)).one()[0] == migration.OLD_BODY_FR
        db.session.remove()
