"""Files people upload (campaign attachments): a clean file name, and a type read from the
content itself, never from the name or the browser's word. Only documents a recipient can open
safely are allowed: PDF, images, office documents."""
import io
import re
import unicodedata
import zipfile

# Office Open XML and OpenDocument files are zip archives; told apart by what they contain.
_ZIP_KINDS = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
)
_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    # The compound file of Word 97-2003, Excel 97-2003 and PowerPoint 97-2003.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword", "doc"),
)
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint, OpenDocument"
MAX_ZIP_ENTRIES = 10000  # reading the list of a zip is linear in it; refuse absurd ones


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, usual extension) of an allowed document, or None."""
    for signature, content_type, extension in _SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_ENTRIES:
                return None
            if "mimetype" in names:
                kind = archive.read("mimetype").strip()
                if kind in _OPENDOCUMENT:
                    return kind.decode(), _OPENDOCUMENT[kind]
            if "[Content_Types].xml" in names:
                for prefix, content_type, extension in _ZIP_KINDS:
                    if any(name.startswith(prefix) for name in names):
                        return content_type, extension
    except (zipfile.BadZipFile, ValueError, KeyError, OSError):
        return None
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069\"*:<>?|]")


def clean_filename(name: str, extension: str | None = None, fallback: str = "document") -> str:
    """The last part of a path, without control or bidi characters nor characters that file
    systems refuse, at most 120 characters, ending with the extension of its real type (or, with
    none given, its own)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE.sub("", name).split()).strip(". ")
    stem, _, own = name.rpartition(".") if "." in name else (name, "", "")
    stem = stem[:110].rstrip(". ") or fallback
    extension = own[:10] if extension is None else extension
    return f"{stem}.{extension}" if extension else stem


_OLE_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}


def accept(filename: str, data: bytes) -> tuple[str, str] | None:
    """(clean file name, content type) for an allowed document, or None for anything else."""
    found = sniff(data)
    if found is None:
        return None
    content_type, extension = found
    if extension == "doc":  # the 97-2003 container: keep which of the three the name says
        named = (filename or "").rsplit(".", 1)[-1].lower()
        extension = named if named in _OLE_TYPES else "doc"
        content_type = _OLE_TYPES[extension]
    return clean_filename(filename, extension), content_type
