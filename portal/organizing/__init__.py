"""The organisers' workspace: the screens where admins and coordinators set events up (the event,
its venue, workshops, agenda, people, states) and follow the institutions' answers.

The data and rules that concern only events live in `portal.events` (models, operations); this
package sits on the top floor because its screens also need accounts (who may edit), registrations
(capacity never below the approved seats, the mail when an event is cancelled) and campaigns (a
pre-filled campaign when a published event's date or venue changes)."""


def init_app(app) -> None:
    from ..accounts.permissions import ADMINISTER, DECIDE, EDIT, may
    from . import (  # noqa: F401  (routes on the blueprint)
        agenda,
        budget,
        events,
        grants,
        logistics,
        people,
        protocol,
        report_views,
        supplier_list_views,
        support,
        workshops,
    )
    from .blueprint import bp
    app.register_blueprint(bp)
    # The section nav shows a section only to those whose permissions open it.
    app.jinja_env.globals.update(may=may, ADMINISTER=ADMINISTER, DECIDE=DECIDE, EDIT=EDIT)
