"""The protocol list of an event: the institutions invited and their answers."""
from flask import make_response, render_template
from flask_login import current_user

from ..accounts.permissions import EDIT, VIEW, event_permission, may
from ..campaigns.invitations import event_invitations
from ..campaigns.vocabularies import INVITATION_ANSWER
from ..directory.vocabularies import INSTITUTION_KIND
from ..security import keep_private
from .blueprint import bp


@bp.get("/events/<id:event_id>/protocol")
@event_permission(VIEW)
def protocol(event):
    """Who is invited, who comes and who represents whom: the list the protocol service prints."""
    return keep_private(make_response(render_template(
        "organizing/protocol.html", event=event, invitations=event_invitations(event.id), answers=INVITATION_ANSWER,
        kind_labels=INSTITUTION_KIND, may_edit=may(current_user, EDIT))))  # names and titles of officials
