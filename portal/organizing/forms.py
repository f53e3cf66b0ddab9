"""The event forms with what they need from the floors above events: the choices (provinces,
regions, associations, the directory's institutions), the values read from an event, and the
values handed to the operations."""
import datetime as dt

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ..directory.partners import partner_candidates, partners_of
from ..events.forms import EventForm, NewEventForm
from ..events.local_time import local_to_utc, utc_to_local
from ..events.models import Event, Organization
from ..events.operations import CONTENT_FIELDS
from ..extensions import db
from ..forms import MaxLength, MultiCheckboxField, PlainText, choices, strip_filter
from ..geo.queries import all_regions, province_choices
from ..i18n import localized
from ..params import parse_id
from ..registration.vocabularies import TRAVEL_MODE

END_OF_DAY = dt.time(23, 59)


class PartnersMixin:
    # Checked against the directory when saved (an id that is no institution is dropped).
    partners = MultiCheckboxField(_l("Partenaires locaux (institutions de l'annuaire)"), validate_choice=False)


class OrganizingEventForm(PartnersMixin, EventForm):
    pass


class OrganizingNewEventForm(PartnersMixin, NewEventForm):
    pass


def event_form(event: Event | None, administer: bool):
    """The form of a new event (event None) or of `event`, with its choices; without the admin
    fields when the user may not administer (what they post there is then not even read)."""
    if event is None:
        form = OrganizingNewEventForm()
    else:
        form = OrganizingEventForm(data=None if request.method == "POST" else event_data(event))
    if not administer:
        form.drop_admin_fields()
    form.province_code.choices = choices([("", _("Choisissez…"))]) + province_choices()
    regions = all_regions()
    form.regions.choices = choices((region.code, localized(region, "name")) for region in regions)
    if administer:
        lead = {organization.id for organization in event.lead_organizers} if event else set()
        form.co_organizers.choices = choices(
            (str(organization.id), _organization_label(organization))
            for organization in db.session.scalars(select(Organization).order_by(Organization.name))
            if organization.id not in lead)
    chosen = [parse_id(value) for value in (form.partners.data or [])]
    # Only real codes reach the query: the form is not validated yet (its choices are being built).
    region_codes = ({region.code for region in regions} & set(form.regions.data or [])) | (
        event.region_codes if event else set())
    form.partners.choices = choices(
        (str(institution.id), localized(institution, "name"))
        for institution in partner_candidates(region_codes, [i for i in chosen if i]))
    return form


def _organization_label(organization: Organization) -> str:
    name = localized(organization, "name") if organization.name_ar else organization.name
    return f"{name} ({organization.acronym})" if organization.acronym else name


def event_data(event: Event) -> dict:
    """The form's values read from the event (times of the window in Casablanca time)."""
    opens, closes = utc_to_local(event.registration_opens_at), utc_to_local(event.registration_closes_at)
    data = {name: getattr(event, name) for name in CONTENT_FIELDS}
    data.update(start_time=_hhmm(event.start_time), end_time=_hhmm(event.end_time))
    data.update(
        version=str(event.version), province_code=event.province_code or "", regions=sorted(event.region_codes),
        capacity=event.capacity, opens_on=opens.date() if opens else None, opens_time=_hhmm(opens.time()) if opens else None,
        closes_on=closes.date() if closes else None, closes_time=_hhmm(closes.time()) if closes else None,
        co_organizers=[str(organization.id) for organization in event.co_organizers],
        partners=[str(institution.id) for institution in partners_of(event.id)])
    return data


def _hhmm(time: dt.time | None) -> str | None:
    """As a time input shows it (no seconds)."""
    return time.strftime("%H:%M") if time else None


def event_values(form) -> dict:
    """What the operations save: the content, and the admin fields when the form has them."""
    values = {name: form[name].data for name in CONTENT_FIELDS}
    values["province_code"] = values["province_code"] or None
    values["contact_email"] = (values["contact_email"] or "").lower()
    for name in ("title_ar", "summary_fr", "summary_ar", "city_fr", "city_ar"):
        values[name] = values[name] or ""
    values["region_codes"] = list(form.regions.data or [])
    if "capacity" in form:
        values["capacity"] = form.capacity.data
        values["registration_opens_at"] = local_to_utc(form.opens_on.data, form.opens_time.data)
        values["registration_closes_at"] = local_to_utc(form.closes_on.data, form.closes_time.data or END_OF_DAY)
        values["co_organizer_ids"] = [i for i in (parse_id(v) for v in form.co_organizers.data or []) if i]
    return values


def partner_ids(form) -> list[int]:
    return [i for i in (parse_id(value) for value in form.partners.data or []) if i]


class GrantOverrideForm(FlaskForm):
    """One approved person's support set by hand, with the reason kept in their history."""
    registration_id = SelectField(_l("Participante ou participant"), choices=[], validate_choice=False)
    travel = BooleanField(_l("Déplacement pris en charge"))
    mode = SelectField(_l("Mode de déplacement"), choices=TRAVEL_MODE.choices(), default="to_be_decided",
                       validate_choice=False)
    nights = StringField(_l("Nuits d'hébergement"), default="0")
    reason = TextAreaField(_l("Raison"), validators=[Optional()])

    def set_people(self, grants) -> None:
        self.registration_id.choices = choices([("", _("Choisissez…"))] + [
            (str(grant.registration.id), grant.registration.full_name) for grant in grants])


def _report_text(label):
    return TextAreaField(label, filters=[strip_filter], validators=[
        MaxLength(10000), PlainText(multiline=True)])


class ReportTextsForm(FlaskForm):
    """What admins write in an event's report (organizing.report), in French and Arabic."""
    introduction_fr = _report_text(_l("Introduction (français)"))
    introduction_ar = _report_text(_l("Introduction (arabe)"))
    conclusion_fr = _report_text(_l("Conclusion (français)"))
    conclusion_ar = _report_text(_l("Conclusion (arabe)"))
    next_steps_fr = _report_text(_l("Prochaines étapes (français)"))
    next_steps_ar = _report_text(_l("Prochaines étapes (arabe)"))
    version = HiddenField()  # texts_version() when the form was opened
