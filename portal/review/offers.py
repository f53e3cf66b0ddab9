"""The page behind a waiting-list offer's link: accept the freed seat (no account needed)."""
from flask import Blueprint, abort, render_template, request

from ..database import begin_write
from ..events.queries import utcnow
from ..extensions import db
from ..outbox.worker import wake_worker
from ..registration.forms import CancelForm
from ..security import keep_private
from .operations import accept_offer, find_offer

bp = Blueprint("offers", __name__, url_prefix="/offers")


bp.after_request(keep_private)  # the URL is the key


@bp.route("/<token>", methods=["GET", "POST"])
def show(token):
    """GET shows the offer and a button; POST accepts (a link alone never changes anything)."""
    form = CancelForm()  # only the CSRF token
    if request.method == "POST":
        begin_write()
    offer = find_offer(token) or abort(404)
    result = None
    if form.validate_on_submit():
        result = accept_offer(offer, utcnow())
        db.session.commit()
        wake_worker()
    return render_template("review/offer.html", offer=offer, form=form, result=result, now=utcnow(),
                           registration=offer.registration, event=offer.registration.event)
