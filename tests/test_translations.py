"""The Arabic catalogue is complete: every French text of the code and templates is translated,
with the same placeholders (so no page of the Arabic site falls back to French)."""
import os
import re
import subprocess
import sys

from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO = os.path.join(ROOT, "portal", "translations", "ar", "LC_MESSAGES", "messages.po")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")


def test_every_text_of_the_code_is_in_the_arabic_catalogue(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_ngettext:1,2", "-k", "pgettext:1c,2", "-k", "lazy_pgettext:1c,2", "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as handle:
        wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}
    with open(PO, "rb") as handle:
        have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}
    missing = sorted(wanted - have)
    assert not missing, f"run `make extract-messages` and translate: {missing[:10]}"


def test_every_entry_is_translated_with_the_same_placeholders():
    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings), f"untranslated: {ids[0]!r}"
        assert "fuzzy" not in message.flags, f"fuzzy: {ids[0]!r}"
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= expected | set(PLACEHOLDER.findall(ids[-1])), (ids[0], string)
            if isinstance(message.string, str):
                assert set(PLACEHOLDER.findall(string)) == expected, (ids[0], string)
