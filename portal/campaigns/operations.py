"""Campaign changes: creating a campaign, saving a template, previewing, sending (queueing),
retrying failures. Each runs inside the view's writing() transaction."""
import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..database import for_update
from ..directory.vocabularies import INSTITUTION_KIND
from ..events.vocabularies import PERSON_ROLE, PERSON_STATUS
from ..extensions import db
from ..forms import Refused
from ..geo.queries import all_regions
from ..i18n import CONTENT_LANGUAGES, content_language, offered_or_default
from ..outbox import queue_message, queued_dedup_keys, retry_failed, store_attachments
from ..registration.links import issue_manage_link
from ..registration.notifications import about
from ..registration.vocabularies import BENEFIT, STATUS
from ..uploads import ALLOWED_DESCRIPTION, accept, clean_filename
from .audiences import Criteria, Recipient, recipients_of
from .calendar import event_ics
from .invitations import invited_institution_ids, issue_invitation
from .letters import letter_filename, letter_pdf
from .models import Campaign, CampaignAttachment, MessageTemplate
from .placeholders import MissingValues, check, render_html, render_text, used_names

MAX_ATTACHMENTS_BYTES = 5 * 1024 * 1024
WARN_ATTACHMENTS_BYTES = 2 * 1024 * 1024
TEMPLATE_FIELDS = ("name", "purpose", "audience_kind", "subject_fr", "body_fr", "subject_ar", "body_ar")


# --- templates -------------------------------------------------------------------------------
def template_problems(template) -> dict[str, list[str]]:
    """{field: [problems]} for the subjects and bodies of both languages."""
    problems = {}
    for field in ("subject_fr", "body_fr", "subject_ar", "body_ar"):
        found = check(getattr(template, field) or "", template.audience_kind)
        if found:
            problems[field] = found
    for field in ("subject_fr", "subject_ar"):
        if "\r" in (getattr(template, field) or "") or "\n" in (getattr(template, field) or ""):
            problems.setdefault(field, []).append("line break")
    return problems


def save_template(template_id: int | None, values: dict, now: dt.datetime) -> MessageTemplate:
    """Create (template_id None) or change a template; raises Refused, changing nothing, when a
    text holds a refused tag or the name is taken."""
    draft = MessageTemplate(**{name: values[name] for name in TEMPLATE_FIELDS})  # checked before any change
    problems = template_problems(draft)
    clash = select(MessageTemplate.id).where(MessageTemplate.name == draft.name)
    if template_id is not None:
        clash = clash.where(MessageTemplate.id != template_id)
    if db.session.scalar(clash) is not None:
        problems.setdefault("name", []).append(_("Un autre modèle porte déjà ce nom."))
    if problems:
        raise Refused(problems)
    if template_id is None:
        template = draft
        db.session.add(template)
    else:
        template = db.session.get(MessageTemplate, template_id)
        for name in TEMPLATE_FIELDS:
            setattr(template, name, values[name])
    template.updated_at = now
    db.session.flush()
    return template


# --- campaigns -------------------------------------------------------------------------------
def create_campaign(template: MessageTemplate | None, event, criteria: Criteria, include_ics: bool,
                    files: list[tuple[str, bytes]], actor_id: int) -> Campaign:
    """A campaign ready to preview (nothing is sent). `files`: (name as uploaded, content); each
    must be an allowed document by its content. Raises Refused with the form's fields."""
    problems: dict[str, list[str]] = {}
    if template is None:
        problems["template"] = [_("Choisissez un modèle de la liste.")]
    elif template.audience_kind in ("participants", "event_participants") and event is None:
        problems["event"] = [_("Choisissez l'événement dont les participants recevront le message.")]
    total = sum(len(data) for _, data in files)
    if total > MAX_ATTACHMENTS_BYTES:
        problems["attachments"] = [_("Les pièces jointes dépassent 5 Mo en tout (%(size)s Mo).",
                                     size=f"{total / 1e6:.1f}")]
    accepted = []
    for filename, data in files:
        found = accept(filename, data)
        if found is None:
            problems.setdefault("attachments", []).append(_(
                "« %(name)s » n'est pas un document accepté : joignez un fichier %(kinds)s.",
                name=clean_filename(filename)[:80], kinds=ALLOWED_DESCRIPTION))
        else:
            accepted.append((*found, data))
    if problems:
        raise Refused(problems)
    criteria = Criteria(statuses=_known(criteria.statuses, STATUS), workshops=criteria.workshops,
                        regions=_known(criteria.regions, {r.code for r in all_regions()}),
                        kinds=_known(criteria.kinds, INSTITUTION_KIND), roles=_known(criteria.roles, PERSON_ROLE),
                        person_statuses=_known(criteria.person_statuses, PERSON_STATUS),
                        benefits=_known(criteria.benefits, BENEFIT),
                        language=criteria.language if criteria.language in CONTENT_LANGUAGES else "")
    campaign = Campaign(template_id=template.id, event_id=event.id if event else None,
                        audience_kind=template.audience_kind, audience=criteria.to_query(),
                        include_ics=bool(include_ics and event), created_by=actor_id)
    campaign.attachments = [CampaignAttachment(filename=name, content_type=kind, size=len(data), data=data)
                            for name, kind, data in accepted]
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _known(values, allowed):
    return [value for value in values or [] if value in allowed]


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


def render_for(template: MessageTemplate, recipient: Recipient) -> Rendered:
    """The recipient's message; raises MissingValues when a placeholder it uses has no value."""
    language = _language(recipient)
    subject_text = getattr(template, f"subject_{language}")
    body = getattr(template, f"body_{language}")
    missing = missing_values(template, recipient)
    if missing:
        raise MissingValues(missing)
    # A subject is one line, whatever a value holds.
    subject = " ".join(render_text(subject_text, recipient.values, language).split())
    return Rendered(subject=subject, text=render_text(body, recipient.values, language),
                    html=render_html(body, recipient.values, language))


def template_placeholders(template: MessageTemplate) -> set[str]:
    """Every placeholder the template uses, in either language."""
    return set().union(*(_used_in(template, language) for language in CONTENT_LANGUAGES))


def _language(recipient: Recipient) -> str:
    return content_language(offered_or_default(recipient.language))


def _used_in(template: MessageTemplate, language: str) -> set[str]:
    """The placeholders of one language version (subject and body)."""
    return used_names(getattr(template, f"subject_{language}") or "") | used_names(getattr(template, f"body_{language}") or "")


def missing_values(template: MessageTemplate, recipient: Recipient, used: set[str] | None = None) -> list[str]:
    """The placeholders of the recipient's language version that have no value for them."""
    used = _used_in(template, _language(recipient)) if used is None else used
    return sorted(name for name in used if name in recipient.values and recipient.values[name] is None)


def lacking_values(template: MessageTemplate, recipients: list[Recipient]) -> list[tuple[Recipient, list[str]]]:
    """The recipients whose message would have a blank, with the placeholders they lack (the
    template is read once per language, not once per recipient)."""
    used = {language: _used_in(template, language) for language in CONTENT_LANGUAGES}
    found = []
    for recipient in recipients:
        missing = missing_values(template, recipient, used[_language(recipient)])
        if missing:
            found.append((recipient, missing))
    return found


def _store_attachments(campaign: Campaign, languages: set[str], now: dt.datetime) -> dict[str, str | None]:
    """The key of the files each language's messages carry, stored once in the outbox: the
    campaign's files, and its .ics in that language (one set per language when there is one)."""
    files = [(a.filename, a.content_type, a.data) for a in campaign.attachments]
    with_ics = campaign.include_ics and campaign.event is not None
    if not files and not with_ics:
        return dict.fromkeys(languages)
    if not with_ics:
        store_attachments(campaign.batch_key, files)
        return dict.fromkeys(languages, campaign.batch_key)
    keys = {}
    for language in languages:
        keys[language] = f"{campaign.batch_key}:{language}"
        ics = (f"{campaign.event.slug}.ics", "text/calendar", event_ics(campaign.event, now, language))
        store_attachments(keys[language], [*files, ics])
    return keys


def send(campaign_id: int, actor_id: int | None, now: dt.datetime) -> int:
    """Queue one message per recipient not queued yet. Sending again adds only newcomers (the
    database refuses a second message for the same recipient). Returns how many were queued.
    Raises Refused, queueing nothing, when the template has a refused tag or a recipient lacks a
    value."""
    campaign = db.session.scalar(for_update(select(Campaign).where(Campaign.id == campaign_id)))
    template = campaign.template
    problems = template_problems(template)
    recipients = recipients_of(campaign)
    lacking = lacking_values(template, recipients)
    if lacking:
        problems["recipients"] = [f"{recipient.email}: {', '.join(names)}" for recipient, names in lacking[:20]]
    if problems:
        raise Refused(problems)
    already = queued_dedup_keys(campaign.batch_key)
    attachments_keys = _store_attachments(campaign, {_language(recipient) for recipient in recipients}, now)
    queued = 0
    with_links = "manage_link" in template_placeholders(template)
    inviting = is_invitation(campaign)
    invited_before = invited_institution_ids(campaign.id) if inviting else set()
    invited_now: dict[int, tuple[str, str, bytes]] = {}  # institution id -> (answer link, file name, letter)
    for recipient in recipients:
        dedup_key = f"{campaign.batch_key}:{recipient.key}"
        if dedup_key in already:
            continue
        if with_links and recipient.registration is not None:  # a link of its own, stored hashed
            recipient.values["manage_link"] = issue_manage_link(recipient.registration, now)
        own_files = None
        if inviting and recipient.institution is not None:
            if recipient.institution.id in invited_before:
                continue  # invited by an earlier send, at every address it had then: one answer link each
            if recipient.institution.id not in invited_now:
                invitation, link = issue_invitation(campaign, recipient.institution, now)
                invited_now[recipient.institution.id] = (link, letter_filename(invitation), letter_pdf(invitation, now))
            link, filename, pdf = invited_now[recipient.institution.id]
            recipient.values["answer_link"] = link
            own_files = [(filename, "application/pdf", pdf)]
        rendered = render_for(template, recipient)
        message = queue_message(to_address=recipient.email, to_name=recipient.name,
                                subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
                                language=recipient.language, dedup_key=dedup_key, batch_key=campaign.batch_key,
                                attachments_key=attachments_keys[_language(recipient)], own_attachments=own_files,
                                about=about(recipient.registration) if recipient.registration else None)
        queued += message is not None
    campaign.sent_at = campaign.sent_at or now
    campaign.sent_by = campaign.sent_by or actor_id
    campaign.recipient_count = len(already) + queued
    return queued


def is_invitation(campaign: Campaign) -> bool:
    """A campaign inviting institutions to an event: each gets an answer link and a formal letter."""
    return (campaign.audience_kind == "institutions" and campaign.event is not None
            and (campaign.template.purpose == "invitation" or "answer_link" in template_placeholders(campaign.template)))


def retry_campaign_failures(campaign: Campaign, now: dt.datetime) -> int:
    """The campaign's failed messages go back to the queue (the outbox changes their state)."""
    return retry_failed(campaign.batch_key, now)
