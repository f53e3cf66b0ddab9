"""The province list narrowed to one region, for the registration form's htmx enhancement."""
from flask import Blueprint, render_template, request

from .queries import all_regions, province_choices

bp = Blueprint("geo", __name__, url_prefix="/geo")


@bp.get("/provinces")
def province_options():
    """<option>s of the provinces of ?region= (all when empty), the current ?province= kept."""
    region = request.args.get("region", "")
    if region not in {r.code for r in all_regions()}:
        region = ""
    return render_template(
        "geo/_province_options.html",
        choices=province_choices(region or None),
        selected=request.args.get("province", ""),
    )
