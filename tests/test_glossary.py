"""The Arabic catalogue follows docs/glossary.md: no msgstr holds a calque or a discarded variant the
glossary forbids, a French term of the glossary is rendered with its Arabic term, and the texts split
with pgettext have the Arabic the glossary gives for each meaning."""
import os
import re

import pytest
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLOSSARY = os.path.join(ROOT, "docs", "glossary.md")
PO = os.path.join(ROOT, "portal", "translations", "ar", "LC_MESSAGES", "messages.po")
TICKED = re.compile(r"`([^`]+)`")
# Arabic short vowels, shadda, sukun and tatweel: "مُحي" and "محي" are the same word for the glossary.
MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
LETTER = "A-Za-zÀ-ÖØ-öø-ÿœŒ"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")


def arabic(text):
    return MARKS.sub("", text)


def with_article_forms(term):
    """« الخطة » is also « للخطة » after the preposition li-: the glossary names the first."""
    return [term, "لل" + term[2:]] if term.startswith("ال") else [term]


def french(text):
    """French spacing and apostrophes do not matter here (a typography pass changes them)."""
    text = PLACEHOLDER.sub("", text.replace("\u2019", "'"))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def section(text, title):
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def table_rows(text):
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            yield [cell.strip() for cell in line.strip().strip("|").split("|")]


def load_glossary():
    with open(GLOSSARY, encoding="utf-8") as handle:
        text = handle.read()
    terms = []
    for cells in list(table_rows(section(text, "Terms")))[1:]:
        french_forms, _, expected, forbidden = (TICKED.findall(cell) for cell in cells[:4])
        terms.append({"french": [french(f) for f in french_forms], "expected": [f for e in expected for f in with_article_forms(arabic(e))],
                      "forbidden": [arabic(f) for f in forbidden]})
    block = re.search(r"```exceptions\n(.*?)```", text, re.DOTALL).group(1)
    exceptions = set()
    for line in block.strip().splitlines():
        form, msgid = line.split(" :: ", 1)
        exceptions.add((french(form), french(msgid)))
    contexts = []
    for cells in list(table_rows(section(text, "Same French word, two meanings: `pgettext`")))[1:]:
        context = TICKED.findall(cells[0])
        contexts.append((context[0] if context else None, TICKED.findall(cells[1])[0], TICKED.findall(cells[2])[0]))
    return terms, exceptions, contexts


def load_catalogue():
    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    entries = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        entries.append((message.context, msgid, [arabic(s) for s in strings]))
    return entries


TERMS, EXCEPTIONS, CONTEXTS = load_glossary()
ENTRIES = load_catalogue()


def test_the_glossary_is_read():
    """A table that stops parsing would make the other tests pass on nothing."""
    assert len(TERMS) >= 60 and len(EXCEPTIONS) >= 5 and len(CONTEXTS) >= 4
    forbidden = {f for term in TERMS for f in term["forbidden"]}
    assert {"الإنشاء المشترك", "قائمة", "الحدث", "ولوجية", "الحكومة المفتوحة"} <= forbidden
    french_forms = {f for term in TERMS for f in term["french"]}
    assert {"co-création", "événement", "liste d'attente", "En cours d'examen", "hébergement"} <= french_forms


@pytest.mark.parametrize("term", [t for t in TERMS if t["forbidden"]], ids=lambda t: t["french"][0])
def test_no_translation_uses_a_forbidden_term(term):
    found = [(msgid, string) for _, msgid, strings in ENTRIES for string in strings
             for bad in term["forbidden"] if holds(string, bad)]
    assert not found, f"forbidden by docs/glossary.md ({term['french'][0]}): {found[:5]}"


def arabic_sources():
    """The Arabic written outside the catalogue: the Arabic pages (privacy notice, accessibility
    statement), the default mail templates, the demo data."""
    for folder, suffixes in (("portal", (".py", ".csv")), ("templates", (".html", ".txt"))):
        for directory, _, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith(suffixes) and "translations" not in directory:
                    path = os.path.join(directory, name)
                    with open(path, encoding="utf-8") as handle:
                        text = arabic(handle.read())
                    if re.search("[\u0621-\u064a]", text):
                        yield os.path.relpath(path, ROOT), text


SOURCES = dict(arabic_sources())


@pytest.mark.parametrize("term", [t for t in TERMS if t["forbidden"]], ids=lambda t: t["french"][0])
def test_no_arabic_page_or_mail_template_uses_a_forbidden_term(term):
    assert {"templates/pages/privacy_ar.html", "portal/campaigns/defaults.py"} <= set(SOURCES)
    found = [(path, bad) for path, text in SOURCES.items() for bad in term["forbidden"] if holds(text, bad)]
    assert not found, f"forbidden by docs/glossary.md ({term['french'][0]}): {found[:5]}"


def holds(text, word):
    """A forbidden Arabic word, after any prefix (ال، و، ب، ل) but not followed by another letter:
    the singular « اختر » is refused, the plural « اختروا » is not."""
    return any(re.search(re.escape(form) + "(?![\u0621-\u064a])", text) for form in with_article_forms(word))


def contains_word(text, form):
    return re.search(rf"(?<![{LETTER}]){re.escape(form)}(?![{LETTER}])", text, re.IGNORECASE) is not None


def renderings_without_the_term(term):
    """(msgid, msgstr, the French forms found) where a French form of the term is not rendered with
    one of its Arabic forms. The zero form of a plural entry says "none" and may leave details out."""
    for _, msgid, strings in ENTRIES:
        text = french(msgid)
        forms = [form for form in term["french"] if contains_word(text, form)]
        for string in (strings if len(strings) == 1 else strings[1:]) if forms else ():
            if not any(expected in string for expected in term["expected"]):
                yield msgid, string, forms


@pytest.mark.parametrize("term", [t for t in TERMS if t["expected"]], ids=lambda t: t["french"][0])
def test_each_glossary_term_keeps_its_arabic_rendering(term):
    wrong = [(msgid, string) for msgid, string, forms in renderings_without_the_term(term)
             if not any((form, french(msgid)) in EXCEPTIONS for form in forms)]
    assert not wrong, (f"{term['french'][0]} is {' / '.join(term['expected'])} in docs/glossary.md "
                       f"(or list the msgid in its exceptions): {wrong[:5]}")


def test_every_exception_is_still_needed():
    """An exception names a msgid of the catalogue whose translation really departs from the term."""
    departing = {(form, french(msgid)) for term in TERMS if term["expected"]
                 for msgid, _, forms in renderings_without_the_term(term) for form in forms}
    stale = sorted(EXCEPTIONS - departing)
    assert not stale, f"exceptions of docs/glossary.md to remove (no such msgid, or translated with the term): {stale}"


@pytest.mark.parametrize("context, msgid, expected", CONTEXTS)
def test_a_word_with_two_meanings_has_one_entry_per_meaning(context, msgid, expected):
    strings = [strings for ctx, mid, strings in ENTRIES if ctx == context and mid == msgid]
    assert strings, f"no catalogue entry for pgettext({context!r}, {msgid!r}): run `make extract-messages`"
    assert strings[0] == [arabic(expected)]


def test_pending_and_waiting_list_are_two_distinct_statuses(app):
    from portal.registration.vocabularies import STATUS

    with app.test_request_context():
        assert (str(STATUS.label("pending")), str(STATUS.label("waitlisted"))) == ("En cours d'examen", "Liste d'attente")
    by_id = {mid: strings[0] for ctx, mid, strings in ENTRIES if ctx is None}
    assert (by_id["En cours d'examen"], by_id["Liste d'attente"]) == ("قيد الدراسة", "لائحة الانتظار")


def test_the_french_source_uses_the_straight_apostrophe():
    """docs/glossary.md, conventions: one apostrophe style in French."""
    curly = [msgid for _, msgid, _ in ENTRIES if "\u2019" in msgid]
    assert not curly, curly[:5]


def test_a_pgettext_text_is_translated_by_its_meaning_on_the_page(client, events):
    """Jinja's pgettext (installed by Flask-Babel) reads the entry of its context: the event page's
    organisers section is التنظيم, while a registrant's organisation elsewhere is المنظمة."""
    french_page = client.get("/events/oriental").get_data(as_text=True)
    assert '<h2 id="organizers-title">Organisation</h2>' in french_page
    client.get("/language/ar?next=/")
    arabic_page = client.get("/events/oriental").get_data(as_text=True)
    assert '<h2 id="organizers-title">التنظيم</h2>' in arabic_page
