"""Admin screens for message templates: list, new, edit (checked when saved)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.permissions import admin_required
from ..clock import utcnow
from ..database import writing
from ..extensions import db
from ..forms import Refused
from .forms import TemplateForm
from .models import MessageTemplate
from .operations import TEMPLATE_FIELDS, save_template
from .placeholders import allowed_placeholders
from .queries import all_templates
from .vocabularies import AUDIENCE, PURPOSE

bp = Blueprint("message_templates", __name__, url_prefix="/campaigns/templates")


@bp.get("/")
@admin_required
def index():
    return render_template("campaigns/templates.html", templates=all_templates(), purposes=PURPOSE,
                           audiences=AUDIENCE)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
@writing()
def new():
    return _edit(MessageTemplate(audience_kind="participants"), is_new=True)


@bp.route("/<id:template_id>", methods=["GET", "POST"])
@admin_required
@writing()
def edit(template_id):
    template = db.session.get(MessageTemplate, template_id) or abort(404)
    return _edit(template, is_new=False)


def _edit(template, is_new):
    """The form; a valid POST saves, or shows each refused tag beside its field (422)."""
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            saved = save_template(None if is_new else template.id,
                                  {name: getattr(form, name).data for name in TEMPLATE_FIELDS}, utcnow())
        except Refused as refused:
            refused.show_on(form)
        else:
            flash(_("Modèle enregistré."), "success")
            return redirect(url_for("message_templates.edit", template_id=saved.id), 303)
    audience = form.audience_kind.data or template.audience_kind or "participants"
    return render_template("campaigns/template_form.html", form=form, template=template, is_new=is_new,
                           placeholders=allowed_placeholders(audience)), \
        422 if form.errors else 200
