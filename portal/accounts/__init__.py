"""Accounts: people of the ministry and the associations who work in the back office."""


def init_app(app) -> None:
    """Tables, sign-in (Flask-Login), the account pages and `flask users`."""
    from ..extensions import login_manager
    from ..retention import register_purge
    from . import admin, models  # noqa: F401  (the tables; the administrators' routes, on views.bp)
    from .commands import users_cli
    from .operations import purge_resets
    from .session import init_login, purge_sessions
    from .throttle import purge_failures
    from .views import bp
    init_login(app, login_manager)
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    register_purge(app, "liens de réinitialisation de mot de passe usés ou expirés", purge_resets)
    register_purge(app, "sessions de connexion terminées", purge_sessions)
    register_purge(app, "échecs de connexion anciens", purge_failures)
