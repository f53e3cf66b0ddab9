"""Mail merge: message templates with placeholders, audiences, campaigns sent through the outbox."""


def init_app(app) -> None:
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .answers import bp as invitations_bp
    from .template_views import bp as message_templates_bp
    from .views import bp as campaigns_bp
    app.register_blueprint(campaigns_bp)
    app.register_blueprint(message_templates_bp)
    app.register_blueprint(invitations_bp)
