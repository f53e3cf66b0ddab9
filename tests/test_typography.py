"""French texts follow one typography (tests/support/typography.py): narrow no-break spaces before
? ! ; : », inside « », in "200 %" and "n° 09-08"; one apostrophe. `make typography` applies it.
(This file is left out of the fixing: its examples are written the wrong way on purpose.)"""
from pathlib import Path

from babel.messages.pofile import read_po

from tests.support.typography import NARROW, files_to_fix, fix_python, fix_template, french

ROOT = Path(__file__).resolve().parents[1]


def test_the_rule_on_the_cases_a_reader_sees():
    assert french("Mot de passe oublié ?") == f"Mot de passe oublié{NARROW}?"
    assert french("Lieu : Fès ; salle 2 !") == f"Lieu{NARROW}: Fès{NARROW}; salle 2{NARROW}!"
    assert french("« Jeunes »") == f"«{NARROW}Jeunes{NARROW}»"
    assert french("200 % de la loi n° 09-08") == f"200{NARROW}% de la loi n°{NARROW}09-08"
    assert french("Envoi : %(percent)d %%.") == f"Envoi{NARROW}: %(percent)d{NARROW}%%."
    assert french("l’atelier") == "l'atelier"
    # Times, addresses and Arabic are not French sentences.
    assert french("09:30, https://portail.ma/?via=AB") == "09:30, https://portail.ma/?via=AB"
    assert french("هل تحتاج إلى مساعدة ؟") == "هل تحتاج إلى مساعدة ؟"


def test_fixing_keeps_code_valid():
    assert fix_python("x = 'l’été : chaud'\n") == f'x = "l\'été{NARROW}: chaud"\n'
    assert (fix_template("<p>{{ _('Oui ?') }} Non !</p>{% if a %}b{% endif %}")
            == f"<p>{{{{ _('Oui{NARROW}?') }}}} Non{NARROW}!</p>{{% if a %}}b{{% endif %}}")


def test_every_french_text_of_the_code_and_templates_follows_it():
    assert not files_to_fix(ROOT), "run `make typography`"


def test_every_french_source_text_of_the_catalogue_follows_it():
    with open(ROOT / "portal/translations/ar/LC_MESSAGES/messages.po", "rb") as handle:
        wrong = [m.id for m in read_po(handle) if m.id and any(
            french(text) != text for text in (m.id if isinstance(m.id, tuple) else (m.id,)))]
    assert not wrong, wrong[:5]
