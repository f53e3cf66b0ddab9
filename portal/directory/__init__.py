"""The institutions directory: wilayas, region councils, provinces, prefectures, communes and
consultative bodies that the ministry invites to the co-creation events."""


def init_app(app) -> None:
    """Tables, the directory's screens, and the local partners that the events' pages show."""
    from ..events.public import read_partners_with
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .partners import partners_of
    from .views import bp
    app.register_blueprint(bp)
    read_partners_with(app, partners_of)
