"""The institutions directory: wilayas, region councils, provinces, prefectures, communes and
consultative bodies that the ministry invites to the co-creation events."""


def init_app(app) -> None:
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .views import bp
    app.register_blueprint(bp)
