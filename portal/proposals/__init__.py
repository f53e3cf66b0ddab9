"""Proposals of the co-creation events and the ministry's reasoned response: recorded per workshop
(its rapporteur's link, or a coordinator), submitted by registrants (moderated), answered and
published by the admins; public pages and open data."""


def init_app(app) -> None:
    from ..registration.erasure import also_forget
    from ..registration.manage import add_manage_section
    from . import models  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .links import manage_section, rapporteur_bp, registrant_bp
    from .operations import forget_registration
    from .public import bp as public_bp
    from .views import bp as proposals_bp
    for blueprint in (proposals_bp, rapporteur_bp, registrant_bp, public_bp):
        app.register_blueprint(blueprint)
    # Erasing or anonymising a registration forgets the person's name on proposals and their consent.
    also_forget(app, forget_registration)
    add_manage_section(app, manage_section)
