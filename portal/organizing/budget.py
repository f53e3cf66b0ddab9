"""The cost estimate's screens: an event's budget (admins and the event's coordinators read it; only
admins set its unit costs and lines by hand), the plan's budget and unit costs (admins), and the
"plan de financement" as XLSX. The interpreter line derives from declared needs (health data), so
observers get no budget at all (EDIT: 403), rather than a budget that would not add up.

The page prints without menus or forms (print stylesheet): that is the print view."""
import io

from flask import Response, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import ADMINISTER, EDIT, admin_required, event_permission, may
from ..clock import utcnow
from ..database import writing
from ..events.budget import add_other_cost, delete_other_cost, event_overrides, plan_costs, save_unit_costs
from ..events.budget_forms import OtherCostForm, UnitCostsForm
from ..events.local_time import utc_to_local
from ..events.vocabularies import COST_ITEM
from ..forms import Refused
from ..i18n import current_language, format_decimal
from ..review.exports import inert
from ..review.inclusion import plan_events
from ..security import keep_private
from ..security_log import security_event
from .blueprint import bp
from .budget_lines import committed_plan_total, event_budget, line_label, plan_budget

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"




def _event_page(event, costs_form=None, other_form=None, status=200):
    can_edit = may(current_user, ADMINISTER)
    costs_form = costs_form or UnitCostsForm(formdata=None, data=event_overrides(event.id))
    return keep_private(make_response(render_template(
        "organizing/budget.html", event=event, budget=event_budget(event, utc_to_local(utcnow()).date()), plan=plan_costs(),
        costs_form=costs_form, other_form=other_form or OtherCostForm(formdata=None), can_edit=can_edit,
        label=lambda line: line_label(line, current_language()), items=COST_ITEM,
        refused=status == 422, section="budget", mad=format_decimal), status))


def _back(event):
    return redirect(url_for("organizing.budget", event_id=event.id), 303)


@bp.get("/events/<id:event_id>/budget")
@event_permission(EDIT)
def budget(event):
    return _event_page(event)


@bp.post("/events/<id:event_id>/budget/costs")
@event_permission(ADMINISTER)
@writing()
def save_event_costs(event):
    """The event's own unit costs; an empty field takes the plan's again."""
    form = UnitCostsForm()
    if form.validate():
        try:
            save_unit_costs(event.id, form.amounts(), current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Coûts unitaires de l'événement enregistrés."), "success")
            return _back(event)
    return _event_page(event, costs_form=form, status=422)


@bp.post("/events/<id:event_id>/budget/lines")
@event_permission(ADMINISTER)
@writing()
def add_budget_line(event):
    form = OtherCostForm()
    if form.validate():
        try:
            add_other_cost(event.id, form.label_fr.data or "", form.label_ar.data or "", form.quantity.data,
                           form.unit_cost.data, current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Ligne ajoutée au budget."), "success")
            return _back(event)
    return _event_page(event, other_form=form, status=422)


@bp.post("/events/<id:event_id>/budget/lines/<id:line_id>/delete")
@event_permission(ADMINISTER)
@writing()
def delete_budget_line(event, line_id):
    if not delete_other_cost(event.id, line_id):
        return _back(event)
    flash(_("Ligne retirée du budget."), "success")
    return _back(event)


def _workbook(budgets) -> bytes:
    """The "plan de financement": one sheet per event, then the plan's summary. Labels are made
    inert (they come from people); quantities and amounts are numbers, never formulas. Each line has
    its estimated and its committed figures (committed: after the day, from attendance; empty before)."""
    from openpyxl import Workbook
    language = current_language()
    workbook = Workbook()
    workbook.remove(workbook.active)
    headers = [_("Poste"), _("Quantité estimée"), _("Coût unitaire (MAD)"), _("Montant estimé (MAD)"),
               _("Quantité engagée"), _("Montant engagé (MAD)")]
    for budget in budgets:
        sheet = workbook.create_sheet(f"{budget.event.id}")
        sheet.append([inert(budget.event.title_ar if language == "ar" and budget.event.title_ar else budget.event.title_fr)])
        sheet.append([_("Estimé (approbations, prises en charge) et engagé (après l'événement, d'après les présences)")
                      if budget.committed else _("Estimation (le budget engagé suivra les présences, après l'événement)")])
        sheet.append(headers)
        for line in budget.lines:
            sheet.append([inert(line_label(line, language)), line.quantity, line.unit_cost, line.amount,
                          line.committed_quantity, line.committed_amount])
        sheet.append([_("Total"), None, None, budget.total, None, budget.committed_total])
    if len(budgets) > 1:
        summary = workbook.create_sheet(_("Plan"), 0)
        summary.append([_("Événement"), _("Date"), _("Montant estimé (MAD)"), _("Montant engagé (MAD)")])
        for budget in budgets:
            summary.append([inert(budget.event.title_fr), budget.event.starts_on.isoformat(), budget.total,
                            budget.committed_total])
        summary.append([_("Total"), None, sum(budget.total for budget in budgets), committed_plan_total(budgets)])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _download(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}-{utcnow():%Y%m%d-%H%M}.xlsx"',
        "Cache-Control": "no-store"})


@bp.get("/events/<id:event_id>/budget.xlsx")
@event_permission(EDIT)
def budget_xlsx(event):
    body = _workbook([event_budget(event, utc_to_local(utcnow()).date())])
    security_event("export", user=current_user.id, event_id=event.id, format="xlsx", columns="budget")
    return _download(body, f"plan-de-financement-{event.slug}")


def _plan_page(form=None, status=200):
    budgets, total = plan_budget(plan_events(), utc_to_local(utcnow()).date())
    return keep_private(make_response(render_template(
        "organizing/budget_plan.html", budgets=budgets, total=total, items=COST_ITEM,
        committed_total=committed_plan_total(budgets),
        form=form or UnitCostsForm(formdata=None, data=plan_costs()), refused=status == 422,
        mad=format_decimal), status))


@bp.get("/budget")
@admin_required
def plan_budget_page():
    return _plan_page()


@bp.post("/budget/costs")
@admin_required
@writing()
def save_plan_costs():
    form = UnitCostsForm()
    if form.validate():
        try:
            save_unit_costs(None, form.amounts(), current_user.id, utcnow())
        except Refused as refused:
            refused.show_on(form, whole=next(iter(form)))
        else:
            flash(_("Coûts unitaires du plan enregistrés."), "success")
            return redirect(url_for("organizing.plan_budget_page"), 303)
    return _plan_page(form, 422)


@bp.get("/budget.xlsx")
@admin_required
def plan_budget_xlsx():
    budgets, _total = plan_budget(plan_events(), utc_to_local(utcnow()).date())
    body = _workbook(budgets)
    security_event("export", user=current_user.id, format="xlsx", columns="budget_plan")
    return _download(body, "plan-de-financement")
