"""The associations' review of registrations: dashboard, list, decisions, notes, exports, distribution."""


def init_app(app) -> None:
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .distribution import bp as distribution_bp
    from .export_views import bp as exports_bp
    from .views import bp as review_bp
    for blueprint in (review_bp, exports_bp, distribution_bp):
        app.register_blueprint(blueprint)
