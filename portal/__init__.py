"""The co-creation portal: a Flask application factory."""
import logging
import os
import secrets

from flask import Flask

from . import config as default_config
from .extensions import babel, csrf, db, limiter, mail, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then FLASK_* variables (or test_config)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        # PORTAL_INSTANCE_PATH moves instance/ (config, SQLite, secret key) e.g. to /var/lib/portal.
        instance_path=(test_config or {}).get("INSTANCE_PATH") or os.environ.get("PORTAL_INSTANCE_PATH"),
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    app.config.from_mapping(default_config.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    _fill_derived_settings(app)
    from .security import SessionInterface
    app.session_interface = SessionInterface()

    from .database import check_sqlite_version, install_sqlite_behaviour
    check_sqlite_version(app.config["SQLALCHEMY_DATABASE_URI"])
    install_sqlite_behaviour(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    db.init_app(app)
    from .text_search import include_name
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"), include_name=include_name)
    csrf.init_app(app)
    mail.init_app(app)
    _init_rate_limits(app)
    from .i18n import select_locale
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=os.path.join(ROOT, "portal", "translations"))
    # Refuse to start rather than serve an offered language in French (README, "Running in production").
    from .i18n import check_catalogues, check_format_locales, check_languages
    check_languages(app)  # first: a misspelt code is named as such, not as a missing catalogue
    check_catalogues(app.config["PORTAL_LANGUAGES"], app.extensions["babel"].translation_directories,
                     app.extensions["babel"].default_domain)
    check_format_locales(app.config["PORTAL_LANGUAGES"], app.config["PORTAL_FORMAT_LOCALES"])
    from . import bidi
    bidi.init_app(app)  # after Babel: templates' gettext isolates inserted values in right-to-left languages

    from . import backup, public_cache, retention, security_log, site, transfer
    transfer.init_app(app)  # first: its after_request hook runs after every other one
    site.init_app(app)
    public_cache.init_app(app)
    backup.init_app(app)
    security_log.init_app(app)
    retention.init_app(app)
    # Each package plugs itself in: its tables, blueprints, commands, housekeeping jobs and its
    # hooks into the floors below (registration counts the events' registrations, for one).
    from . import (
        accounts,
        campaigns,
        directory,
        events,
        geo,
        organizing,
        outbox,
        pages,
        proposals,
        registration,
        review,
    )
    for package in (pages, geo, events, accounts, registration, review, directory, proposals, campaigns, organizing,
                    outbox):
        package.init_app(app)
    if app.config["PROXY_FIX_X_FOR"]:  # outermost: every middleware sees the visitor's address and scheme
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)
    return app


def _init_rate_limits(app: Flask) -> None:
    """One Limiter object serves every app of the process (tests build several), and
    Flask-Limiter keeps its on/off switch on that object. So it is always initialised on, and
    each app's own RATELIMIT_ENABLED is read per request by a filter."""
    enabled = app.config["RATELIMIT_ENABLED"]
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = enabled
    if not getattr(limiter, "_portal_filter", False):
        limiter._portal_filter = True

        @limiter.request_filter
        def _rate_limits_off() -> bool:
            from flask import current_app
            return not current_app.config["RATELIMIT_ENABLED"]


def _fill_derived_settings(app: Flask) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(app.instance_path, "portal.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret_key(app)
    if isinstance(app.config["PORTAL_LANGUAGES"], str):
        app.config["PORTAL_LANGUAGES"] = app.config["PORTAL_LANGUAGES"].split(",")


def _instance_secret_key(app: Flask) -> str:
    """A random key kept in instance/secret_key, made on first start: never a default secret."""
    path = os.path.join(app.instance_path, "secret_key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made earlier, or by a process starting at the same time
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        logging.getLogger(__name__).warning("Created a new secret key in %s", path)
    with open(path) as handle:
        return handle.read().strip()
