"""The public pages of the reasoned response (no sign-in): one per event and one for the whole
plan, the published responses by theme, filters in the URL, printable; and the open-data export
(CSV and JSON) of exactly the public fields, with its licence."""
import json

from flask import Blueprint, Response, abort, render_template, request, url_for
from sqlalchemy import select

from ..events.models import Event
from ..extensions import db
from ..public_cache import public_page
from ..review.exports import csv_document
from .queries import (
    LICENCE,
    PUBLIC_FIELDS,
    PublicFilters,
    labels,
    named_carriers,
    public_events,
    public_record,
    published,
)

bp = Blueprint("public_proposals", __name__, url_prefix="/propositions")


def _grouped(rows):
    groups = []
    for proposal in rows:
        if not groups or groups[-1][0] != proposal.theme:
            groups.append((proposal.theme, []))
        groups[-1][1].append(proposal)
    return groups


@bp.get("/")
@public_page
def plan():
    filters = PublicFilters.from_args(request.args)
    return _page(filters, None)


@bp.get("/events/<slug>")
@public_page
def event(slug):
    found = db.session.scalar(select(Event).where(Event.slug == slug[:80], Event.is_public)) or abort(404)
    return _page(PublicFilters.from_args(request.args, found.slug), found)


def _page(filters, found):
    rows = published(filters)
    return render_template("proposals/public.html", event=found, filters=filters, groups=_grouped(rows),
                           count=len(rows), events=public_events(), licence=LICENCE, named_carriers=named_carriers,
                           **labels())


@bp.get("/export.csv")
def export_csv():
    filters = PublicFilters.from_args(request.args)
    records = [public_record(p) for p in published(filters)]
    rows = [[" | ".join(r[f]) if isinstance(r[f], list) else r[f] for f in PUBLIC_FIELDS] for r in records]
    body = csv_document(PUBLIC_FIELDS, rows)
    # The licence line comes first (a comment line, as open-data portals read it), then the table.
    body = "\ufeff" + f"# {LICENCE} – {url_for('public_proposals.plan', _external=True)}\r\n" + body.lstrip("\ufeff")
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="propositions-reponses.csv"'})


@bp.get("/export.json")
def export_json():
    filters = PublicFilters.from_args(request.args)
    document = {"licence": LICENCE, "source": url_for("public_proposals.plan", _external=True),
                "filters": filters.args(), "fields": list(PUBLIC_FIELDS),
                "proposals": [public_record(p) for p in published(filters)]}
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="propositions-reponses.json"'})
