"""Writes docs/translation-review.md: the long Arabic texts of the portal next to their French source,
for a native reviewer (`make translation-review`; tests/test_translation_review.py fails when the
committed file no longer matches the sources).

The long texts are the Arabic pages written as templates (privacy notice, accessibility statement),
the default mail templates (portal.campaigns.defaults) and every catalogue entry of at least
LONG characters in either language (mails, the invitation letter, long help texts)."""
import html
import os
import re
import sys

from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PO = os.path.join(ROOT, "portal", "translations", "ar", "LC_MESSAGES", "messages.po")
OUTPUT = os.path.join(ROOT, "docs", "translation-review.md")
PAGES = (("Notice de confidentialité", "privacy"), ("Déclaration d'accessibilité", "accessibility"))
LONG = 200
BLOCK = re.compile(r"<(h[1-4]|p|li|dt|dd)\b[^>]*>(.*?)</\1>", re.DOTALL)


def escape(text: str) -> str:
    """Markdown-safe text: the sources hold {{ placeholders }}, underscores and angle brackets."""
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([`*_\[\]#|])", r"\\\1", text)


def french(text: str) -> str:
    return "\n".join(f"> {escape(line)}" if line.strip() else ">" for line in text.strip().split("\n"))


def arabic(text: str) -> str:
    body = "<br>\n".join(escape(line) for line in text.strip().split("\n"))
    return f'<div dir="rtl" lang="ar">\n\n{body}\n\n</div>'


def pair(label: str, fr: str, ar: str) -> str:
    return f"{label}\n\n{french(fr)}\n\n{arabic(ar)}\n"


def page_blocks(name: str) -> list[str]:
    with open(os.path.join(ROOT, "templates", "pages", name), encoding="utf-8") as handle:
        source = handle.read()
    source = re.sub(r"{%.*?%}", "", source.split("{% block content %}", 1)[-1], flags=re.DOTALL)
    blocks = []
    for _, inner in BLOCK.findall(source):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner))
        blocks.append(re.sub(r"\s+", " ", text).strip())
    return [block for block in blocks if block]


def pages() -> list[str]:
    parts = []
    for title, stem in PAGES:
        fr, ar = page_blocks(f"{stem}_fr.html"), page_blocks(f"{stem}_ar.html")
        parts.append(f"## {title}\n\n`templates/pages/{stem}_fr.html` · `templates/pages/{stem}_ar.html`\n")
        if len(fr) == len(ar):
            parts += [pair(f"**{n}.**", f, a) for n, (f, a) in enumerate(zip(fr, ar), start=1)]
        else:  # the two pages no longer have the same blocks: show each whole
            parts.append(pair("**Les deux pages n'ont pas le même nombre de blocs.**", "\n".join(fr), "\n".join(ar)))
    return parts


def mail_templates() -> list[str]:
    from portal.campaigns.defaults import DEFAULT_TEMPLATES

    parts = ["## Modèles de messages (par défaut)\n\n`portal/campaigns/defaults.py`: modifiables ensuite dans le portail.\n"]
    for template in DEFAULT_TEMPLATES:
        parts.append(f"### {escape(template['name'])}\n")
        parts.append(pair("**Objet**", template["subject_fr"], template["subject_ar"]))
        parts.append(pair("**Message**", template["body_fr"], template["body_ar"]))
    return parts


def catalogue_entries() -> list[str]:
    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    parts = [f"## Textes longs du catalogue\n\n`portal/translations/ar/LC_MESSAGES/messages.po`: les entrées d'au "
             f"moins {LONG} caractères, dans l'ordre du catalogue.\n"]
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if max(len(text) for text in ids + strings) < LONG:
            continue
        heading = f"### {escape(ids[0][:80])}{'…' if len(ids[0]) > 80 else ''}\n"
        if message.context:
            heading += f"\nContexte : `{message.context}`\n"
        parts.append(heading)
        if len(ids) == 1:
            parts.append(pair("", ids[0], strings[0]).lstrip("\n"))
        else:  # a plural entry: the French singular and plural, then the Arabic forms
            forms = ("zéro", "un", "deux", "quelques-uns (3 à 10)", "beaucoup (11 à 99)", "autres")
            parts.append(f"{french(chr(10).join(ids))}\n")
            parts += [f"*{forms[n] if n < len(forms) else n}*\n\n{arabic(text)}\n" for n, text in enumerate(strings)]
    return parts


def build() -> str:
    intro = ("# Relecture des textes arabes longs\n\n"
             "Fichier produit par `make translation-review` (portal/translations/review_file.py) : ne pas le modifier à "
             "la main. Pour chaque texte, la source française puis la traduction arabe. Les termes suivent "
             "docs/glossary.md. Les balises entre accolades ({{ … }}) et les %(…)s sont remplacées par le portail.\n")
    return "\n".join([intro, *pages(), *mail_templates(), *catalogue_entries()]).rstrip("\n") + "\n"


def main() -> None:
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        handle.write(build())
    print(f"written: {os.path.relpath(OUTPUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
