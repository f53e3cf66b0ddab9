"""The institutions directory, the ministry's own tool (admins only): list, add, edit, CSV import."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts.permissions import admin_required
from ..database import writing
from ..extensions import csrf, db
from ..geo.queries import all_regions
from ..htmx import render_page_or_partial
from ..i18n import LANGUAGES
from ..security import keep_private
from ..spreadsheets import ImportAttempt, import_upload
from .forms import GeoChoices, ImportForm, InstitutionForm
from .importing import MAX_BYTES, MAX_ROWS, check_file, read_upload, template_csv
from .models import Institution
from .operations import add_institution, import_institutions, update_institution
from .queries import DirectoryFilters, is_duplicate, list_page
from .vocabularies import INSTITUTION_KIND

bp = Blueprint("directory", __name__, url_prefix="/directory")
REPORT_LIMIT = 200  # rows of the error report shown; the count says how many in all


bp.after_request(keep_private)  # names and addresses of officials


@bp.get("/")
@admin_required
def index():
    """The list, filtered by the query string; htmx asks for the results only (active search)."""
    filters = DirectoryFilters.from_args(request.args)
    return render_page_or_partial("directory/index.html", "directory/_results.html", target="results",
                                  filters=filters, page=list_page(filters), kinds=INSTITUTION_KIND,
                                  kind_labels=INSTITUTION_KIND, languages=LANGUAGES, regions=all_regions())


@bp.route("/new", methods=["GET", "POST"])
@admin_required
@writing()
def create():
    """Add an institution; refused input comes back with its errors (422), values kept."""
    form = InstitutionForm(geo=GeoChoices.load())
    if form.validate_on_submit() and _not_duplicate(form):
        add_institution(form.values(), current_user.id)
        flash(_("Institution ajoutée : %(name)s.", name=form.name_fr.data), "success")
        return redirect(url_for("directory.index"), 303)
    return _form_page(form, None)


@bp.route("/<id:institution_id>/edit", methods=["GET", "POST"])
@admin_required
@writing()
def edit(institution_id):
    """Change an institution (its addresses as one list, one per line)."""
    institution = db.session.get(Institution, institution_id) or abort(404)
    form = InstitutionForm(geo=GeoChoices.load(), data={
        "kind": institution.kind, "name_fr": institution.name_fr, "name_ar": institution.name_ar,
        "region_code": institution.region_code or "", "province_code": institution.province_code or "",
        "emails": "\n".join(institution.addresses), "contact_name": institution.contact_name,
        "contact_title": institution.contact_title, "salutation": institution.salutation,
        "language": institution.language, "notes": institution.notes})
    if form.validate_on_submit() and _not_duplicate(form, institution.id):
        update_institution(institution, form.values(), current_user.id)
        flash(_("Institution modifiée : %(name)s.", name=institution.name_fr), "success")
        return redirect(url_for("directory.index"), 303)
    return _form_page(form, institution)


def _not_duplicate(form, exclude_id=None) -> bool:
    if is_duplicate(form.values(), exclude_id):
        form.name_fr.errors.append(_("Cette institution est déjà dans l'annuaire (même type, même nom, même lieu)."))
        return False
    return True


def _form_page(form, institution):
    return render_template("directory/form.html", form=form, institution=institution), 422 if form.errors else 200


@bp.route("/import", methods=["GET", "POST"])
@csrf.exempt  # checked by import_upload, once the upload's own size limit is set
@admin_required
def import_csv():
    """Upload a CSV: every row checked first, then all imported, or none with a report per row."""
    attempt = ImportAttempt()
    if request.method == "POST":
        def check_then_import(upload):
            rows, errors = check_file(read_upload(upload))
            if errors:
                return errors, None
            with writing():
                return errors, import_institutions(rows, current_user.id)
        attempt = import_upload(check_then_import)
        if attempt.count is not None:
            flash(ngettext("%(num)d institution importée.", "%(num)d institutions importées.", attempt.count), "success")
            return redirect(url_for("directory.index"), 303)
    form = ImportForm(formdata=None, meta={"csrf": False})  # for its label and errors; the token was checked
    if attempt.problem:
        form.file.errors = [attempt.problem]
    errors = attempt.errors or []
    return render_template("directory/import.html", form=form, errors=errors[:REPORT_LIMIT],
                           error_count=len(errors), kinds=INSTITUTION_KIND, kind_labels=INSTITUTION_KIND,
                           max_mb=MAX_BYTES // (1024 * 1024), max_rows=MAX_ROWS), attempt.status


@bp.get("/import/template.csv")
@admin_required
def import_template():
    """The header and one example row, to fill in a spreadsheet."""
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="institutions-modele.csv"'})
