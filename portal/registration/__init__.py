"""Registrations and their states: the public form, the manage link, seats and the waiting list."""


def init_app(app) -> None:
    """Tables, the public pages (form, manage link, waiting-list offer), the offers' expiry job,
    and the count of registrations that the events' public pages show."""
    from ..events.public import count_registrations_with
    from ..housekeeping import register_job
    from ..retention import register_purge
    from ..text_search import compact_indexes
    from . import grants, models, tally  # noqa: F401  (tables known to SQLAlchemy and Alembic)
    from .erasure import purge_links, purge_registrations
    from .manage import bp as manage_bp
    from .offer import bp as offer_bp
    from .people import bp as people_bp
    from .public import bp as form_bp
    from .queries import active_counts
    from .waitlist import expire_waitlist_offers
    for blueprint in (form_bp, manage_bp, offer_bp, people_bp):
        app.register_blueprint(blueprint)
    register_job(app, expire_waitlist_offers)
    tally.install()
    count_registrations_with(app, active_counts)
    register_purge(app, "inscriptions anonymisées (événement passé depuis RETENTION_MONTHS)", purge_registrations)
    register_purge(app, "liens de gestion expirés et offres de place réglées", purge_links)
    register_purge(app, "index de recherche compactés (rien n'y reste des personnes effacées)", compact_indexes)
