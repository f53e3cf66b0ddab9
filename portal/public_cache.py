"""The public pages' cache: a page rendered once per language for every anonymous visitor.

What is cached: the body a view decorated with @public_page renders (home, event page, privacy,
accessibility), for anonymous GET/HEAD requests with no message flashed and not made by htmx for a
fragment. Key: the address with its query string (the language switch links carry it) and the
page's language. The after_request hooks still run on each response (security headers, Vary), and
the visitor's own CSRF token is put in the cached body at each request: the cache holds a
placeholder in its place, never someone's token. Each copy is also kept compressed, the token
spliced in at each request (transfer.Precompressed): a hit costs no rendering and no compression.

Invalidation: every committed transaction that wrote to a table a public page may show bumps a
version number (see _written_tables: the detection is at the connection level, so ORM flushes,
bulk statements and Core writes are all seen, and a screen added later is covered without calling
anything). The version lives in the database (table public_cache_version: 16 rows, one bumped at
random inside the writing transaction, read as their sum) or in Redis (CACHE_VERSIONS_URI; bumped
just after the commit). Each process reads it at most once per PUBLIC_CACHE_MAX_STALENESS seconds,
and at once after a write of its own: a page served by any process reflects a write committed
more than that many seconds earlier (plus the time of one version read).

Time also changes a page (registrations open at a given minute, an event becomes past at
midnight): a view names the next such moment with valid_until(); the entry is not served after it.
"""
import collections
import logging
import random
import re
import secrets
import threading
import time
from functools import wraps

import sqlalchemy as sa
from flask import Config, Flask, current_app, g, has_app_context, request, session
from flask_login import current_user
from itsdangerous import BadSignature
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import parse_cookie
from werkzeug.wrappers import Request

from .clock import utcnow
from .extensions import db
from .htmx import is_htmx
from .i18n import LANGUAGE_COOKIE, language_of
from .transfer import MIN_SIZE, Precompressed, accepts_gzip

log = logging.getLogger(__name__)

SHARDS = 16  # rows of public_cache_version (migration 0028)
version_table = sa.Table(
    "public_cache_version", db.metadata,
    sa.Column("shard", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
)

# Tables that no public page shows, written often (mail sending, sign-ins): their writes do not
# empty the cache. Any other table does, including the tables added after this list.
UNSHOWN_TABLES = frozenset({
    "public_cache_version", "alembic_version", "outbox_message", "outbox_attachment", "smtp_slot",
    "user_account", "user_session", "sign_in_failure", "password_reset", "recovery_code", "export_log",
})

_EXTENSION = "portal.public_cache"
_WRITTEN = "portal_public_written"  # connection info: tables written by the open transaction
_MIGRATING = "portal_public_migrating"  # connection info: the transaction runs a migration
_AFTER_COMMIT = "portal_public_after_commit"  # connection info: the cache to tell once committed
_RENDERING = "_portal_public_rendering"  # g: a cacheable page is being rendered
_UNTIL = "_portal_public_until"  # g: the moment after which the page being rendered may change
_DML = re.compile(r'(?:^|;)\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+"?(\w+)', re.IGNORECASE)

# A stand-in for the CSRF token in cached bodies, replaced by the visitor's own token when served.
TOKEN_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(12)}"

_monotonic = time.monotonic  # the staleness clock (tests move it)


# --- where the version is kept ------------------------------------------------------------------
class DatabaseVersions:
    """The version as the sum of public_cache_version's rows, bumped within the writing transaction:
    it changes exactly when the data does. A random row of 16: two registrations committing at the
    same moment on PostgreSQL rarely wait on each other's row lock (held from the bump, the last
    statement, to the commit)."""

    in_transaction = True

    def __init__(self, app: Flask):
        self.app = app
        self._table_found = False  # once found, the table stays (a database still being migrated has none)

    def read(self) -> int:
        with self.app.app_context(), db.engine.connect() as connection:
            return int(connection.scalar(sa.select(sa.func.coalesce(sa.func.sum(version_table.c.version), 0))))

    def bump_in(self, dbapi_connection, dialect: str) -> None:
        cursor = dbapi_connection.cursor()
        try:
            if not self._table_found:
                cursor.execute("SELECT to_regclass('public_cache_version') IS NOT NULL" if dialect == "postgresql"
                               else "SELECT count(*) FROM sqlite_master WHERE name = 'public_cache_version'")
                self._table_found = bool(cursor.fetchone()[0])
                if not self._table_found:
                    return
            cursor.execute(f"UPDATE public_cache_version SET version = version + 1 "
                           f"WHERE shard = {random.randrange(SHARDS)}")
        finally:
            cursor.close()

    def bump(self) -> None:
        pass  # done in the transaction


class RedisVersions:
    """The version in Redis (one INCR per write, after its commit): several app servers without a
    database round trip per write."""

    in_transaction = False

    def __init__(self, uri: str):
        import redis
        self.client = redis.Redis.from_url(uri, socket_timeout=2, socket_connect_timeout=2)
        self.key = "portal:public_cache_version"

    def read(self) -> int:
        return int(self.client.get(self.key) or 0)

    def bump_in(self, dbapi_connection, dialect: str) -> None:
        pass

    def bump(self) -> None:
        self.client.incr(self.key)


# --- the cache of one app -------------------------------------------------------------------------
class _Entry:
    __slots__ = ("body", "compressed", "encoded", "front_headers", "has_token", "rendered_at", "until", "version")

    def __init__(self, version, body, rendered_at, until):
        self.version, self.body, self.rendered_at, self.until = version, body, rendered_at, until
        self.compressed = None  # a Precompressed copy, made at the first visitor accepting gzip
        self.encoded = body.encode()  # what is sent uncompressed (by the front), and its size decides compression
        self.has_token = TOKEN_PLACEHOLDER in body  # a page with a form: each visitor's token goes in
        # By (gzip accepted, scheme): (the whole response's headers as Flask's hooks made them,
        # whether they say gzip). What the front serves with the copy (pages without a token only).
        self.front_headers = {}

    def fresh(self, now) -> bool:
        return self.rendered_at <= now and (self.until is None or now < self.until)

    def gzipped(self, token: str | None) -> bytes:
        if self.compressed is None:  # two threads may both make it: the same bytes either way
            self.compressed = Precompressed(self.encoded, TOKEN_PLACEHOLDER.encode())
        return self.compressed.gzip(token.encode() if token else b"")


class PublicCache:
    def __init__(self, app: Flask):
        uri = (app.config["CACHE_VERSIONS_URI"] or "").strip()
        self.store = RedisVersions(uri) if uri else DatabaseVersions(app)
        self.staleness = float(app.config["PUBLIC_CACHE_MAX_STALENESS"])
        if not 0 <= self.staleness <= 2:
            raise RuntimeError("PUBLIC_CACHE_MAX_STALENESS must be between 0 and 2 seconds.")
        self.max_entries = int(app.config["PUBLIC_CACHE_MAX_ENTRIES"])
        self.engine = None  # the app's engine, known at the first request
        self._entries: collections.OrderedDict = collections.OrderedDict()
        self._lock = threading.Lock()
        self._version = None
        self._read_at = 0.0
        self._generation = 0  # moves with each write of this process: a read begun before is not kept
        self.also_clear = []  # other renderings kept by the app that a change of settings outdates

    def version(self) -> int | None:
        """The current version, read again when older than the staleness bound; None if unreadable
        (pages are then rendered, not cached)."""
        now = _monotonic()
        version = self._version
        if version is not None and now - self._read_at < self.staleness:
            return version
        generation = self._generation
        try:
            version = self.store.read()
        except Exception:  # the store is down: serve fresh pages rather than fail
            log.exception("The public pages' cache version could not be read")
            return None
        with self._lock:
            if generation == self._generation:
                if version != self._version:
                    self._entries.clear()
                self._version, self._read_at = version, now
        return version

    def forget_version(self) -> None:
        """A write of this process was committed: read the version again at the next page."""
        with self._lock:
            self._generation += 1
            self._version = None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1
            self._version = None
        for clear in self.also_clear:
            clear()

    def get(self, key, version):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key, entry) -> None:
        with self._lock:
            if entry.version != self._version:
                return  # the version moved while the page was rendered
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class _WatchedConfig(Config):
    """The app's settings, emptying the cache when one changes while it runs (tests do; the
    privacy notice and the tagline show settings)."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._changed()

    def _changed(self):
        cache = getattr(self, "_public_cache", None)
        if cache is not None:
            cache.clear()


def init_app(app: Flask) -> None:
    cache = app.extensions[_EXTENSION] = PublicCache(app)
    if type(app.config) is Config:
        app.config.__class__ = _WatchedConfig
    app.config._public_cache = cache
    generate = app.jinja_env.globals["csrf_token"]

    def csrf_token():
        if g.get(_RENDERING):
            return TOKEN_PLACEHOLDER
        return generate()
    # Flask-WTF offers csrf_token() both as a global (imported macros) and from a context processor.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
    app.after_request(_vary_on_language)
    app.wsgi_app = _Front(app, cache)
    _install_write_detection()


def _vary_on_language(response):
    """A page is in the language of the cookie, else of Accept-Language: a shared cache must know."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
    return response


def clear_with_settings(app: Flask, clear) -> None:
    """Call `clear()` whenever the app's settings change while it runs, as the public pages are:
    for another copy of rendered HTML (the registration form's) whose key holds its content, not
    the settings its template reads (the privacy notice's version beside the consent box)."""
    cache = app.extensions.get(_EXTENSION)
    if cache is not None:
        cache.also_clear.append(clear)


def valid_until(moment) -> None:
    """The page being rendered may change at `moment` (naive UTC, portal clock) without any write:
    its cached copy is not served from then on. Several calls keep the earliest."""
    if moment is None or not g.get(_RENDERING):
        return
    until = g.get(_UNTIL)
    if until is None or moment < until:
        setattr(g, _UNTIL, moment)


def _cacheable() -> bool:
    return (request.method in ("GET", "HEAD") and not is_htmx() and not session.get("_flashes")
            and not current_user.is_authenticated)


def _key(asked, config) -> tuple:
    """A page's key in the cache: its address with the query string, and its language."""
    return asked.full_path, language_of(asked, config)


def public_page(view):
    """Serve the view's page from the cache to anonymous visitors (the module's docstring)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = current_app.extensions.get(_EXTENSION)
        if cache is None or not _cacheable():
            return view(*args, **kwargs)
        version = cache.version()
        if version is None:
            return view(*args, **kwargs)
        key = _key(request, current_app.config)
        now = utcnow()
        entry = cache.get(key, version)
        if entry is None or not entry.fresh(now):
            setattr(g, _RENDERING, True)
            setattr(g, _UNTIL, None)
            try:
                body = view(*args, **kwargs)
            finally:
                setattr(g, _RENDERING, False)
            if not isinstance(body, str):
                raise TypeError("a @public_page view returns the page's HTML")
            entry = _Entry(version, body, now, g.get(_UNTIL))
            cache.put(key, entry)
        # The visitor's own token, only in pages that have a form: a page without one starts no session.
        token = current_app.jinja_env.globals["csrf_token"]() if entry.has_token else None
        if token is None:
            request.environ[_FRONT_ENTRY] = entry  # the front keeps this response's headers with it
        if len(entry.encoded) >= MIN_SIZE and accepts_gzip():
            response = current_app.response_class(entry.gzipped(token), mimetype="text/html")
            response.headers["Content-Encoding"] = "gzip"
            return response
        return entry.body.replace(TOKEN_PLACEHOLDER, token) if token else entry.body
    return wrapper


# --- the front: cached pages served before Flask ------------------------------------------------
_FRONT_ENTRY = "portal.public_cache.entry"  # WSGI environ: the entry a @public_page view answered with


class _Front:
    """WSGI middleware: an anonymous visitor (no cookie but the language's and a session holding only
    a CSRF token: not signed in, no message waiting) gets the cached copy of a public page
    before Flask runs: no request context, routing, session or hooks. What it serves is exactly what
    Flask served for that page the last time: the copy's body and the headers Flask's hooks gave it
    (kept from that response, per encoding and scheme), found by the key @public_page uses and
    subject to the same version, staleness and valid_until. Everything else goes on to Flask."""

    def __init__(self, app: Flask, cache: PublicCache):
        self.app, self.cache, self.wsgi_app = app, cache, app.wsgi_app
        self._serializer = None  # (secret key, the session cookie's serializer)

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or is_htmx(EnvironHeaders(environ)):
            return self.wsgi_app(environ, start_response)
        if environ.get("HTTP_COOKIE") and not self._anonymous(parse_cookie(environ)):
            return self.wsgi_app(environ, start_response)
        asked = Request(environ)
        variant = (accepts_gzip(asked), environ.get("wsgi.url_scheme"))
        version = self.cache.version()
        entry = None if version is None else self.cache.get(_key(asked, self.app.config), version)
        if entry is not None and entry.fresh(utcnow()):
            kept = entry.front_headers.get(variant)
            if kept is not None:
                return self._serve(environ, start_response, entry, *kept)
        return self._through_flask(environ, start_response, variant)

    def _anonymous(self, cookies) -> bool:
        """Whether these cookies are only the language's and a session holding nothing but a CSRF
        token (a visitor who opened a form): Flask would serve them the anonymous copy too."""
        name = self.app.config["SESSION_COOKIE_NAME"]
        if set(cookies) - {LANGUAGE_COOKIE, name}:
            return False
        if name not in cookies:
            return True
        secret = self.app.secret_key
        if self._serializer is None or self._serializer[0] != secret:  # made once: its key derivation costs
            self._serializer = (secret, self.app.session_interface.get_signing_serializer(self.app))
        try:
            stored = self._serializer[1].loads(cookies[name],
                                               max_age=int(self.app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return False
        # Flask-Login marks any session it finds without a user "_fresh": False (session_protection).
        return isinstance(stored, dict) and set(stored) <= {self.app.config["WTF_CSRF_FIELD_NAME"], "_fresh"}

    def _serve(self, environ, start_response, entry, headers, compressed: bool):
        # The body in the encoding Flask's headers for this copy name, whatever decided it.
        body = entry.gzipped(None) if compressed else entry.encoded
        start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _through_flask(self, environ, start_response, variant):
        answer = {}

        def keep(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keep)  # werkzeug calls start_response before it returns
        entry = environ.get(_FRONT_ENTRY)
        headers = answer.get("headers") or []
        if (entry is not None and answer.get("status", "").startswith("200 ")
                and not any(name.lower() == "set-cookie" for name, _ in headers)):
            entry.front_headers[variant] = (
                [(name, value) for name, value in headers if name.lower() != "content-length"],
                any(name.lower() == "content-encoding" and value == "gzip" for name, value in headers))
        return body


# --- which commits change public pages ----------------------------------------------------------
def _install_write_detection() -> None:
    """Listeners on every engine of the process, installed once."""
    if getattr(_install_write_detection, "_done", False):
        return
    _install_write_detection._done = True

    @event.listens_for(Engine, "before_cursor_execute")
    def _note_writes(conn, _cursor, statement, _parameters, _context, _executemany):
        if not statement or statement.lstrip()[:1] in ("S", "s"):
            return  # SELECT: the most frequent, skipped without a regex
        tables = _DML.findall(statement)
        if not tables:
            return
        names = {name.lower() for name in tables}
        if "alembic_version" in names:
            conn.info[_MIGRATING] = True
        shown = names - UNSHOWN_TABLES
        if shown:
            conn.info.setdefault(_WRITTEN, set()).update(shown)

    @event.listens_for(Engine, "commit")
    def _on_commit(conn):
        written = conn.info.pop(_WRITTEN, None)
        migrating = conn.info.pop(_MIGRATING, False)
        if not written or not has_app_context():
            return
        cache = current_app.extensions.get(_EXTENSION)
        if cache is None:
            return
        if cache.engine is None:
            cache.engine = db.engine
        if conn.engine is not cache.engine:
            return  # another database than the app's (a backup, a migration test's own)
        if cache.store.in_transaction and not migrating:
            cache.store.bump_in(conn.connection.dbapi_connection, conn.dialect.name)
        conn.info[_AFTER_COMMIT] = cache

    @event.listens_for(Engine, "rollback")
    def _on_rollback(conn):
        conn.info.pop(_WRITTEN, None)
        conn.info.pop(_MIGRATING, None)

    @event.listens_for(Engine, "begin")
    def _on_begin(conn):
        _after_commit(conn.info)  # a connection that commits as it goes: the last commit is done

    @event.listens_for(Pool, "checkin")
    def _on_checkin(_dbapi_connection, record):
        if record is not None:
            _after_commit(record.info)


def _after_commit(info) -> None:
    cache = info.pop(_AFTER_COMMIT, None)
    if cache is None:
        return
    try:
        cache.store.bump()
    except Exception:
        log.exception("The public pages' cache version could not be bumped")
    cache.forget_version()
