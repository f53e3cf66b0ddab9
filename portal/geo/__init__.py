"""Morocco's regions and provinces/prefectures (reference data keyed by HCP codes)."""


def init_app(app) -> None:
    """Tables, the province-list fragment, and all_regions() for the templates' region filters."""
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .queries import all_regions
    from .views import bp
    app.register_blueprint(bp)
    app.jinja_env.globals["all_regions"] = all_regions
