"""How responses travel: compressed when the client accepts it, static files fingerprinted.

- Compression: gzip for text responses of 500 bytes or more when the request's Accept-Encoding
  allows it (Vary: Accept-Encoding either way). Not for streamed responses (exports, attachments),
  which are sent as they are made. Static files (CSS, JS) are compressed once per version of the
  file and kept in memory.
- Pages kept by the public pages' cache are compressed once per copy (Precompressed): the visitor's
  CSRF token is spliced into the compressed bytes at each request, not the page compressed again.
- Static files: url_for('static', filename=...) adds ?v=<hash of the file's content>. A request
  carrying the file's current hash is answered `Cache-Control: public, max-age=31536000,
  immutable` (a new file gets a new address); any other (no hash, an old one) keeps Flask's
  default (revalidate each time), so a stale page never pins an old file for a year.
"""
import gzip
import hashlib
import os
import struct
import threading
import zlib

from flask import Flask, current_app, request

COMPRESSIBLE = frozenset({"text/html", "text/css", "text/plain", "text/csv", "text/calendar", "text/javascript",
                          "application/javascript", "application/json", "image/svg+xml"})
MIN_SIZE = 500  # below this, gzip's header and the CPU are not worth it
LEVEL = 6
YEAR = 31536000

_static_hashes: dict[tuple[str, float], str] = {}
_static_gzipped: dict[tuple[str, str], bytes] = {}
_guard = threading.Lock()


def init_app(app: Flask) -> None:
    """Installed before the other after_request hooks, so that it runs after them (Flask runs them
    in reverse order): the htmx hook and tests see the uncompressed body."""
    app.url_defaults(_fingerprint_static)
    app.after_request(_compress)
    app.after_request(_static_lifetime)


def static_hash(filename: str) -> str | None:
    """The first 12 hex digits of the SHA-256 of a static file, or None when there is no such file."""
    path = os.path.join(current_app.static_folder, filename)
    try:
        mtime = os.stat(path).st_mtime
    except (OSError, ValueError):
        return None
    key = (path, mtime)
    digest = _static_hashes.get(key)
    if digest is None:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:12]
        with _guard:
            _static_hashes[key] = digest
    return digest


def _fingerprint_static(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and values.get("filename"):
        digest = static_hash(values["filename"])
        if digest:
            values["v"] = digest


def _static_lifetime(response):
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    version = request.args.get("v")
    if version and version == static_hash(request.view_args.get("filename", "")):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def accepts_gzip(asked=None) -> bool:
    """Whether the current request (or `asked`, another werkzeug request) accepts gzip."""
    return (request if asked is None else asked).accept_encodings["gzip"] > 0


def _compress(response):
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (response.status_code < 200 or response.status_code in (204, 206, 304) or not accepts_gzip()
            or "Content-Encoding" in response.headers or response.is_streamed and not response.direct_passthrough):
        return response
    if response.direct_passthrough:  # a static file, sent by Flask from the disk
        if request.endpoint != "static":
            return response
        key = (request.path, response.get_etag()[0] or "")
        compressed = _static_gzipped.get(key)
        if compressed is None:
            response.direct_passthrough = False
            data = response.get_data()
            if len(data) < MIN_SIZE:
                return response
            compressed = gzip.compress(data, LEVEL, mtime=0)
            with _guard:
                if len(_static_gzipped) > 256:
                    _static_gzipped.clear()
                _static_gzipped[key] = compressed
        else:
            response.close()  # the file opened for this response is not read
            response.direct_passthrough = False
    else:
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return response
        compressed = gzip.compress(data, LEVEL, mtime=0)
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:  # the same content in another encoding: a weak match (revalidation still works)
        response.set_etag(etag, weak=True)
    return response


class Precompressed:
    """A page compressed once, whose blanks (each occurrence of `blank`) are filled at each request
    without compressing it again: `gzip(fill)` is the gzip of the page with `fill` in every blank.

    Each piece between blanks is a deflate stream of its own, ended by a sync flush (byte-aligned,
    not final), and the fill goes between them as a stored (uncompressed) block: a valid stream,
    since no piece refers back to bytes before it. Only the checksum is computed per request."""

    _HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, no mtime, unknown OS

    def __init__(self, data: bytes, blank: bytes | None = None):
        self.pieces = data.split(blank) if blank else [data]
        self.fixed_size = sum(len(piece) for piece in self.pieces)
        self.deflated = []
        for index, piece in enumerate(self.pieces):
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
            last = index == len(self.pieces) - 1
            self.deflated.append(compressor.compress(piece) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH))
        self._whole = None if len(self.pieces) > 1 else self._join(b"")

    def gzip(self, fill: bytes = b"") -> bytes:
        if self._whole is not None:
            return self._whole
        if len(fill) > 0xFFFF:
            raise ValueError("a fill is at most 65,535 bytes (one stored block)")
        return self._join(fill)

    def _join(self, fill: bytes) -> bytes:
        stored = b"\x00" + struct.pack("<HH", len(fill), len(fill) ^ 0xFFFF) + fill  # BFINAL 0, BTYPE 00
        crc = 0
        parts = [self._HEADER]
        for index, (piece, deflated) in enumerate(zip(self.pieces, self.deflated)):
            if index:
                crc = zlib.crc32(fill, crc)
                parts.append(stored)
            crc = zlib.crc32(piece, crc)
            parts.append(deflated)
        size = self.fixed_size + len(fill) * (len(self.pieces) - 1)
        parts.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        return b"".join(parts)
