"""The co-creation portal: a Flask application factory."""
import logging
import os
import secrets

from flask import Flask

from . import config as default_config
from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate

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

    from .database import install_sqlite_behaviour
    install_sqlite_behaviour(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    _init_rate_limits(app)
    from .accounts.session import init_login
    init_login(app, login_manager)
    from .i18n import select_locale
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=os.path.join(ROOT, "portal", "translations"))

    if app.config["PROXY_FIX_X_FOR"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)

    _register_models()
    _register_blueprints(app)
    from .pages.hooks import register_hooks
    register_hooks(app)
    from .cli import register_commands
    register_commands(app)
    if app.config["OUTBOX_DELIVER_IN_APP"] and not app.testing:
        from .outbox.worker import start_embedded_worker_on_first_request
        start_embedded_worker_on_first_request(app)
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


def _register_models() -> None:
    # Imported for their side effect: every table is known to SQLAlchemy and Alembic.
    from .accounts import models as _accounts  # noqa: F401
    from .campaigns import models as _campaigns  # noqa: F401
    from .directory import models as _directory  # noqa: F401
    from .events import models as _events  # noqa: F401
    from .geo import models as _geo  # noqa: F401
    from .outbox import models as _outbox  # noqa: F401
    from .registration import models as _registration  # noqa: F401
    from .review import models as _review  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts_bp
    from .campaigns.template_views import bp as templates_bp
    from .campaigns.views import bp as campaigns_bp
    from .directory.views import bp as directory_bp
    from .geo.views import bp as geo_bp
    from .pages.views import bp as pages_bp
    from .registration.catalogue import bp as catalogue_bp
    from .registration.manage import bp as manage_bp
    from .registration.public import bp as registration_bp
    from .review.distribution import bp as distribution_bp
    from .review.exports import bp as exports_bp
    from .review.offers import bp as offers_bp
    from .review.views import bp as review_bp
    for blueprint in (pages_bp, catalogue_bp, registration_bp, manage_bp, geo_bp, accounts_bp, review_bp,
                      exports_bp, distribution_bp, offers_bp, campaigns_bp, templates_bp,
                      directory_bp):
        app.register_blueprint(blueprint)
    from .review.housekeeping import expire_waitlist_offers
    app.extensions["portal.housekeeping"] = [expire_waitlist_offers]
