"""Events and what hangs off them (workshops, agenda, speakers, organisers); the public catalogue."""


def init_app(app) -> None:
    """Tables, the public catalogue, and `flask seed-demo`."""
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .commands import seed_demo_command
    from .public import bp
    app.register_blueprint(bp)
    app.cli.add_command(seed_demo_command)
