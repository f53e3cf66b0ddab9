"""French typography of the portal's texts, checked by tests/test_typography.py and applied by
`make typography` (python -m tests.support.typography --fix): one rule for the whole code base.

- A narrow no-break space (U+202F) before ? ! ; : and », after «, between a number and %, after n°:
  the line never breaks there and the gap is the one French typesetting uses.
- One apostrophe: the straight one ('), as typed on every keyboard the team and the associations use.
Arabic texts are left alone (their punctuation takes no space: «؟» and «:» follow the word).
"""
import io
import re
import sys
import tokenize
from pathlib import Path

NARROW = "\u202f"
NARROW_AS_SPACE = 'replace("\\u202f", " ")'
ARABIC = re.compile(r"[\u0600-\u06ff]")
LETTERS = re.compile(r"[A-Za-zÀ-ÿ]{2}")
RULES = [
    # word ? / word : / word » — the mark ends a phrase (then a space, the end, a quote, a bracket),
    # so that code in a string ("a != b", "x :: y", "?region=") is left alone.
    (re.compile(r"(?<=\S)[ \u00a0]+(?=[?!;:](?:\s|$|[\"')\]<»,.])|»)"), NARROW),
    (re.compile(r"(?<=«)[ \u00a0]+"), NARROW),                    # « word
    (re.compile(r"(?<=«)(?=[^\s\u202f])"), NARROW),               # «word
    (re.compile(r"(?<=[^\s\u202f])(?=»)"), NARROW),               # word»
    (re.compile(r"(\d|%\(\w+\)[ds])[ \u00a0]+(?=%)"), r"\1" + NARROW),  # 200 % / %(percent)d %%
    (re.compile(r"(?<=[nN]°)[ \u00a0]+(?=\S)"), NARROW),          # n° 09-08
    (re.compile("\u2019"), "'"),                                  # one apostrophe
]


def french(text: str) -> str:
    """The text with the portal's French typography (Arabic texts are returned unchanged)."""
    if ARABIC.search(text):
        return text
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def french_literal(literal: str) -> str:
    """A quoted string literal with French typography, still a valid literal: a single-quoted one
    whose curly apostrophes become straight is requoted with double quotes."""
    if not LETTERS.search(literal):
        return literal  # no words: a separator or a pattern, not a sentence
    fixed = french(literal)
    body_start = len(literal) - len(literal.lstrip("rbfuRBFU"))
    quote = literal[body_start]
    if fixed == literal or quote != "'" or literal[body_start:body_start + 3] == "'''":
        return fixed
    body = fixed[body_start + 1:-1]
    if "'" not in literal[body_start + 1:-1] and "'" in body:
        if '"' in body:
            return literal  # neither quote is free: leave it for a person to fix
        return fixed[:body_start] + '"' + body + '"'
    return fixed


# --- applying it to sources (string literals only in Python, text and string literals in templates)

JINJA = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
QUOTED = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")


def fix_python(source: str) -> str:
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))

    def offset(position):
        return line_starts[position[0] - 1] + position[1]
    # Replace from the end so that earlier offsets stay valid.
    for token in reversed(tokens):
        if token.type == tokenize.STRING:
            fixed = french_literal(token.string)
            if fixed != token.string:
                source = source[:offset(token.start)] + fixed + source[offset(token.end):]
    return source


def fix_template(source: str) -> str:
    parts = JINJA.split(source)
    for index, part in enumerate(parts):
        if index % 2:  # a Jinja tag: only its string literals are text
            parts[index] = QUOTED.sub(lambda m: french_literal(m.group(0)), part)
        elif not part.lstrip().startswith(("<script", "<style")):
            # Text right after an inserted value or a tag ("{{ name }} : ...") continues its sentence.
            after_value = index > 0 and parts[index - 1].startswith(("{{", "{%"))
            parts[index] = _fix_markup_text("x" + part)[1:] if after_value else _fix_markup_text(part)
    return "".join(parts)


def _fix_markup_text(part: str) -> str:
    # Tags stay as they are: only the text between them changes, line by line (a mail template
    # may hold a French line and an Arabic one).
    def lines(text):
        return "".join(french(line) for line in text.splitlines(keepends=True))
    return re.sub(r"(^|>)([^<]*)", lambda m: m.group(1) + lines(m.group(2)), part)


def fix_catalogue(path: Path) -> None:
    from babel.messages.pofile import read_po, write_po
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    fixed = type(catalog)(locale=catalog.locale, domain=catalog.domain, header_comment=catalog.header_comment,
                          project=catalog.project, version=catalog.version, fuzzy=catalog.fuzzy)
    fixed.mime_headers = catalog.mime_headers
    for message in catalog:
        if not message.id:
            continue
        message_id = (tuple(french(i) for i in message.id) if isinstance(message.id, tuple)
                      else french(message.id))
        fixed.add(message_id, message.string, flags=message.flags, context=message.context,
                  auto_comments=message.auto_comments, user_comments=message.user_comments)
    if any(m.id != n.id for m, n in zip((m for m in catalog if m.id), (n for n in fixed if n.id))) \
            or len(fixed) != len(catalog):
        with open(path, "wb") as handle:  # only when a text changed: a rewritten .po needs compiling
            write_po(handle, fixed, width=120, sort_output=True, ignore_obsolete=True)


def source_files(root: Path):
    """(path, fixer) for every file whose texts follow the rule."""
    for path in sorted((root / "portal").rglob("*.py")) + sorted((root / "tests").rglob("*.py")):
        if path.name in ("typography.py", "test_typography.py"):
            continue
        # A test that reads pages with every narrow space made ordinary (its figures, "5 050 MAD",
        # are typed with ordinary spaces) writes its French expectations the same way.
        if "tests" in path.parts and NARROW_AS_SPACE in path.read_text(encoding="utf-8"):
            continue
        yield path, fix_python
    for path in sorted((root / "templates").rglob("*.html")) + sorted((root / "templates").rglob("*.txt")):
        if not path.stem.endswith("_ar"):
            yield path, fix_template


def files_to_fix(root: Path) -> list[str]:
    return [str(path.relative_to(root)) for path, fixer in source_files(root)
            if fixer(text := path.read_text(encoding="utf-8")) != text]


def main(root: Path) -> None:
    for path, fixer in source_files(root):
        text = path.read_text(encoding="utf-8")
        fixed = fixer(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            print("fixed", path.relative_to(root))
    for path in (root / "portal" / "translations").rglob("*.po"):
        fix_catalogue(path)


if __name__ == "__main__" and sys.argv[1:] == ["--fix"]:
    main(Path(__file__).resolve().parents[2])
