"""The proposals' forms: a proposal's content (rapporteur, coordinator, registrant), its moderation,
the ministry's response, the consent to be named. Ids are read with portal.params."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField

from ..directory.models import Institution
from ..directory.vocabularies import INSTITUTION_KIND
from ..extensions import db
from ..forms import MaxLength, PlainText, choices, collapse_newlines, strip_filter
from ..i18n import localized
from ..params import parse_id
from .vocabularies import RESPONSE, THEME


def _line(label, max_length):
    return StringField(label, filters=[strip_filter], validators=[
        MaxLength(max_length), PlainText()])


def _text(label, max_length=5000):
    return TextAreaField(label, filters=[strip_filter, collapse_newlines], validators=[
        MaxLength(max_length), PlainText(multiline=True)])


def _ids(values) -> list[int]:
    """The ids of a multiple choice (an unreadable one becomes 0, which the operation refuses)."""
    return [parse_id(value) or 0 for value in values or ()]


class RegistrantProposalForm(FlaskForm):
    title_fr = _line(_l("Titre (français)"), 300)
    title_ar = _line(_l("Titre (arabe)"), 300)
    description_fr = _text(_l("Description (français)"))
    description_ar = _text(_l("Description (arabe)"))
    theme = SelectField(_l("Thème"), choices=choices([("", _l("Choisissez un thème"))]) + THEME.choices(),
                        validate_choice=False)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("title_fr", "title_ar", "description_fr", "description_ar", "theme")}


class ProposalForm(RegistrantProposalForm):
    """A workshop's proposal: with the institutions it concerns and who carried it (by consent)."""
    institution_ids = SelectMultipleField(_l("Institutions concernées (facultatif)"), validate_choice=False)
    carrier_ids = SelectMultipleField(_l("Participant(e)s qui l'ont portée (facultatif)"), validate_choice=False)

    def __init__(self, carriers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = db.session.scalars(select(Institution).order_by(Institution.kind, Institution.name_fr))
        self.institution_ids.choices = [
            choices([(str(i.id), localized(i, "name"))], optgroup=str(INSTITUTION_KIND.label(i.kind)))[0]
            for i in institutions]
        self.carrier_ids.choices = choices([(str(r.id), f"{r.first_name} {r.last_name}") for r in carriers])

    @staticmethod
    def data_of(proposal) -> dict:
        return {"title_fr": proposal.title_fr, "title_ar": proposal.title_ar,
                "description_fr": proposal.description_fr, "description_ar": proposal.description_ar,
                "theme": proposal.theme, "institution_ids": [str(i.id) for i in proposal.institutions],
                "carrier_ids": [str(r.id) for r in proposal.carriers]}

    def values(self) -> dict:
        return {**super().values(), "institution_ids": _ids(self.institution_ids.data),
                "carrier_ids": _ids(self.carrier_ids.data)}


class ModerationForm(FlaskForm):
    decision = SelectField(_l("Décision"), validate_choice=False, default="accept", choices=choices([
        ("accept", _l("Accepter dans la liste d'un atelier")), ("merge", _l("Fusionner avec une autre proposition")),
        ("set_aside", _l("Écarter (avec une raison)"))]))
    workshop_id = SelectField(_l("Atelier (pour l'accepter)"), validate_choice=False)
    merged_into_id = SelectField(_l("Proposition avec laquelle la fusionner"), validate_choice=False)
    reason = _text(_l("Raison (pour l'écarter)"), 2000)

    def __init__(self, workshops, others, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop_id.choices = choices([(str(w.id), localized(w, "title")) for w in workshops])
        self.merged_into_id.choices = choices([("", _l("Choisissez une proposition"))] + [(str(p.id), f"#{p.id} {p.title}") for p in others])


class ResponseForm(FlaskForm):
    response = SelectField(_l("Statut"), choices=RESPONSE.choices(), validate_choice=False)
    commitment = _line(_l("Engagement du plan d'action (si retenue, fusionnée ou partiellement retenue)"), 200)
    reason_fr = _text(_l("Raison publique (français)"))
    reason_ar = _text(_l("Raison publique (arabe)"))


class NamingConsentForm(FlaskForm):
    agreed = BooleanField(_l("J'accepte que mon nom soit cité parmi les personnes qui ont porté une proposition "
                             "de mon atelier, sur les pages publiques des propositions."))
