"""The associations' review of registrations: dashboard, list, decisions, notes, exports, distribution,
inclusion report, accessibility plan, check-in, badges and attendance sheets."""


def init_app(app) -> None:
    from ..registration.erasure import also_forget
    from ..retention import register_purge
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .accessibility_views import bp as accessibility_bp
    from .assisted_views import bp as assisted_bp
    from .checkin_views import bp as checkin_bp
    from .distribution import bp as distribution_bp
    from .export_views import bp as exports_bp
    from .inclusion_views import bp as inclusion_bp
    from .retention import forget_registration, purge_export_logs
    from .views import bp as review_bp
    for blueprint in (review_bp, exports_bp, distribution_bp, inclusion_bp, accessibility_bp, checkin_bp,
                      assisted_bp):
        app.register_blueprint(blueprint)
    # Erasing or anonymising a registration forgets the review's notes and search terms about it.
    also_forget(app, forget_registration)
    register_purge(app, "journaux d'export anciens (LOG_RETENTION_MONTHS)", purge_export_logs)
