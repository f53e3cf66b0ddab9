"""The page behind a waiting-list offer's link: accept the freed seat (no account needed)."""
from flask import Blueprint, abort, render_template

from ..clock import utcnow
from ..database import writing
from ..forms import ConfirmForm
from ..security import keep_private
from .waitlist import accept_offer, find_offer

bp = Blueprint("offers", __name__, url_prefix="/offers")


bp.after_request(keep_private)  # the URL is the key


@bp.route("/<token>", methods=["GET", "POST"])
@writing()
def show(token):
    """GET shows the offer and a button; POST accepts (a link alone never changes anything)."""
    form = ConfirmForm()
    offer = find_offer(token) or abort(404)
    result = None
    if form.validate_on_submit():
        result = accept_offer(offer, utcnow())
    return render_template("registration/offer.html", offer=offer, form=form, result=result, now=utcnow(),
                           registration=offer.registration, event=offer.registration.event)
