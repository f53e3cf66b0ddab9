"""Admin screens for message templates: list, new, edit (checked when saved)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.permissions import admin_required
from ..database import begin_write
from ..events.queries import utcnow
from ..extensions import db
from .forms import AUDIENCE_LABELS, PURPOSE_LABELS, TemplateForm
from .models import MessageTemplate
from .operations import template_problems
from .placeholders import allowed_placeholders

bp = Blueprint("templates", __name__, url_prefix="/campaigns/templates")


@bp.get("/")
@admin_required
def index():
    templates = db.session.scalars(select(MessageTemplate).order_by(MessageTemplate.name)).all()
    return render_template("campaigns/templates.html", templates=templates, purposes=PURPOSE_LABELS,
                           audiences=AUDIENCE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def new():
    return _edit(MessageTemplate(audience_kind="participants"), is_new=True)


@bp.route("/<int:template_id>", methods=["GET", "POST"])
@admin_required
def edit(template_id):
    template = db.session.get(MessageTemplate, template_id) or abort(404)
    return _edit(template, is_new=False)


def _edit(template, is_new):
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        begin_write()
        if is_new:
            db.session.add(template)
        else:
            template = db.session.get(MessageTemplate, template.id)
        with db.session.no_autoflush:
            form.populate_obj(template)
            others = select(MessageTemplate).where(MessageTemplate.name == template.name)
            if template.id is not None:
                others = others.where(MessageTemplate.id != template.id)
            clash = db.session.scalar(others)
        problems = template_problems(template)
        if clash is not None:
            problems.setdefault("name", []).append(_("Un autre modèle porte déjà ce nom."))
        if not problems:
            template.updated_at = utcnow()
            db.session.commit()
            flash(_("Modèle enregistré."), "success")
            return redirect(url_for("templates.edit", template_id=template.id), 303)
        db.session.rollback()
        for field, messages in problems.items():
            getattr(form, field).errors = list(getattr(form, field).errors) + [str(m) for m in messages]
    audience = form.audience_kind.data or template.audience_kind or "participants"
    return render_template("campaigns/template_form.html", form=form, template=template, is_new=is_new,
                           placeholders=allowed_placeholders(audience),
                           other_placeholders=allowed_placeholders(
                               "institutions" if audience == "participants" else "participants")), \
        422 if form.errors else 200
