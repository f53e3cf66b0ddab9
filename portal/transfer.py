"""How responses travel: compressed when the client accepts it, static files fingerprinted.

- Compression: gzip for text responses of 500 bytes or more when the request's Accept-Encoding
  allows it (Vary: Accept-Encoding either way). Not for streamed responses (exports, attachments),
  which are sent as they are made. Static files (CSS, JS) are compressed once per version of the
  file and kept in memory.
- Static files: url_for('static', filename=...) adds ?v=<hash of the file's content>. A request
  carrying the file's current hash is answered `Cache-Control: public, max-age=31536000,
  immutable` (a new file gets a new address); any other (no hash, an old one) keeps Flask's
  default (revalidate each time), so a stale page never pins an old file for a year.
"""
import gzip
import hashlib
import os
import threading

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


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _compress(response):
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if (response.status_code < 200 or response.status_code in (204, 206, 304) or not _accepts_gzip()
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
