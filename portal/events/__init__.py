"""Events and what hangs off them (workshops, agenda, speakers, organisers); the public catalogue."""


def init_app(app) -> None:
    """Tables, the public catalogue, `flask seed-demo`, and the co-organisers that the privacy
    notice names."""
    from ..pages.views import name_co_organizers_with
    from . import budget, logistics, models, support  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .commands import seed_demo_command
    from .public import bp
    from .queries import published_co_organizers
    app.register_blueprint(bp)
    name_co_organizers_with(app, published_co_organizers)
    app.cli.add_command(seed_demo_command)
    # The support rules in plain words, on the public page and beside the registration form's questions.
    from .vocabularies import SUPPORT_PRIORITY, ZONE_AS
    app.jinja_env.globals.update(published_support=support.published_support, SUPPORT_PRIORITY=SUPPORT_PRIORITY,
                                 ZONE_AS=ZONE_AS)
