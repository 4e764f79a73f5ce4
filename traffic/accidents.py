"""Accidents on scene: the crew's record (parties and their vehicles, injuries, lanes blocked, a tow),
quick settlement (快处快赔: responsibility under a rule, the agreement signed by both parties on the
tablet; the 10-minute clock stops there), and escalation to a full accident case in one action.
Every write validates first, then changes the rows under the incident's lock, then notifies after commit.

The tablet may send a step it took offline later, so the moments it says are taken when they are
plausible: not in the future, not before the first unit arrived, not from another day."""
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.roles import Access
from dispatch.models import Category, EventKind, Incident
from dispatch.services import record
from traffic import events, plates, signatures
from traffic.access import may_reveal
from traffic.models import (
    AccidentParty, AccidentRecord, AccidentStatus, Injuries, Responsibility, Settlement, Signature, VehicleKind,
)
from traffic.models.accidents import MAX_PARTIES

PARTY_LABELS = (gettext_lazy("Party A"), gettext_lazy("Party B"), gettext_lazy("Party C"), gettext_lazy("Party D"),
                gettext_lazy("Party E"), gettext_lazy("Party F"))
CLOCK_SKEW = timedelta(seconds=30)   # a tablet's clock may be this far ahead
OLDEST = timedelta(hours=12)         # a step kept offline longer than this is not believed


def party_label(position: int, name: str = "") -> str:
    label = str(PARTY_LABELS[position - 1]) if 1 <= position <= len(PARTY_LABELS) else f"#{position}"
    return f"{label} {name}".strip()


def moment(at, incident: Incident, *, field: str = "at"):
    """A moment the tablet says a step was taken: now when none, else checked as the module says."""
    now = timezone.now()
    if at is None:
        return now
    arrived = incident.arrived_at
    if at > now + CLOCK_SKEW:
        raise ValidationError({field: _("That time is in the future: check the tablet's clock.")})
    if at < now - OLDEST or (arrived is not None and at < arrived - CLOCK_SKEW):
        raise ValidationError({field: _("That time is before the first unit arrived on scene.")})
    return min(at, now)


def _accident_incident(incident: Incident) -> None:
    if incident.category != Category.TRAFFIC_ACCIDENT:
        raise ValidationError(_("Incident %(number)s is not a traffic accident.") % {"number": incident.number})


def _party(position: int, row: dict) -> AccidentParty:
    """A party from the form, its plate normalised and everything checked by the model's own rules."""
    kind = row.get("vehicle_kind") or VehicleKind.CAR
    label = party_label(position)
    try:
        plate = plates.check_plate(row.get("plate", ""), kind)
    except ValidationError as error:
        raise ValidationError({"parties": [f"{label}: {m}" for m in error.message_dict["plate"]]}) from None
    party = AccidentParty(position=position, name=(row.get("name") or "").strip(), phone=(row.get("phone") or "").strip(),
                          licence_number=(row.get("licence_number") or "").strip().upper(), plate=plate,
                          vehicle_kind=kind)
    try:
        party.full_clean(exclude=["accident"])
    except ValidationError as error:
        raise ValidationError({"parties": [f"{label}: {m}" for messages in error.message_dict.values()
                                           for m in messages]}) from None
    return party


def _parties(rows: list[dict]) -> list[AccidentParty]:
    if len(rows) > MAX_PARTIES:
        raise ValidationError({"parties": [_("At most %(max)d parties.") % {"max": MAX_PARTIES}]})
    return [_party(position, row) for position, row in enumerate(rows, start=1)]


@transaction.atomic
def accident_save(*, actor, incident: Incident, unit, injuries: str, lanes_blocked: int, tow_requested: bool,
                  parties: list[dict]) -> AccidentRecord:
    """The crew's record, made or replaced as a whole (the tablet sends what the form shows, so a send
    replayed after a reconnect changes nothing more). Refused once the accident is settled or escalated."""
    _accident_incident(incident)
    new_parties = _parties(parties)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    accident = AccidentRecord.objects.select_for_update().filter(incident=incident).first()
    if accident is not None and accident.status != AccidentStatus.OPEN:
        raise ValidationError(_("This accident is %(status)s: its record no longer changes.")
                              % {"status": accident.get_status_display()}, code="conflict")
    now = timezone.now()
    accident = accident or AccidentRecord(incident=incident, recorded_by=actor, created_at=now, version=0)
    accident.injuries, accident.lanes_blocked, accident.unit = injuries, lanes_blocked, unit
    accident.tow_requested_at = (accident.tow_requested_at or now) if tow_requested else None
    accident.updated_at, accident.version = now, accident.version + 1
    accident.full_clean(exclude=["incident"])
    accident.save()
    _replace_parties(accident, new_parties)
    events.accident_changed(accident)
    return accident


def _replace_parties(accident: AccidentRecord, parties: list[AccidentParty]) -> None:
    """Parties kept by position (their reveals stay theirs); the ones beyond the new count go."""
    existing = {p.position: p for p in accident.parties.all()}
    for party in parties:
        party.accident = accident
        party.pk = existing[party.position].pk if party.position in existing else None
        party.save()
    try:
        accident.parties.filter(position__gt=len(parties)).delete()
    except ProtectedError:
        raise ValidationError({"parties": [_("A party whose details were read cannot be removed.")]}) from None


@transaction.atomic
def settlement_conclude(*, actor, incident: Incident, unit, responsibility: str, responsible_party: int | None,
                        rule: str, agreement: str, signatures_by_party: dict[int, str], at=None) -> Settlement:
    """Quick settlement: both parties signed the agreement on the tablet. Refused, with the reason and
    nothing saved, for an injury, fewer than two parties, a responsible party that is none of them, or a
    signature missing or empty."""
    _accident_incident(incident)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    accident = _settleable(incident)
    parties = list(accident.parties.order_by("position"))
    responsible = _responsible(parties, responsibility, responsible_party)
    signed = {p.pk: signatures.checked(signatures_by_party.get(p.position, ""), party_label(p.position, p.name))
              for p in parties}
    concluded_at = moment(at, incident)
    settlement = Settlement(accident=accident, responsibility=responsibility, responsible_party=responsible, rule=rule,
                            agreement=(agreement or "").strip(), concluded_at=concluded_at, concluded_by=actor)
    settlement.full_clean(exclude=["accident", "responsible_party"])
    settlement.save()
    Signature.objects.bulk_create([Signature(settlement=settlement, party_id=pk, image=png, signed_at=concluded_at)
                                   for pk, png in signed.items()])
    accident.status, accident.handled_at, accident.unit = AccidentStatus.SETTLED, concluded_at, unit
    _bump(accident, "status", "handled_at", "unit")
    record(incident, EventKind.NOTE, actor=actor, unit=unit,
           data={"text": _("Settled on the spot (快处快赔): %(who)s.") % {"who": _responsibility_text(settlement)},
                 "traffic": "settled"})
    events.accident_changed(accident)
    return settlement


def _settleable(incident: Incident) -> AccidentRecord:
    accident = AccidentRecord.objects.select_for_update().filter(incident=incident).first()
    if accident is None:
        raise ValidationError(_("Record the accident and both parties first."))
    if accident.status != AccidentStatus.OPEN:
        raise ValidationError(_("This accident is %(status)s already.") % {"status": accident.get_status_display()},
                              code="conflict")
    if accident.injuries != Injuries.NONE:
        raise ValidationError(_("Someone is hurt: quick settlement is for property damage only. Escalate it to a "
                                "full accident case."))
    if accident.parties.count() < 2:
        raise ValidationError(_("Quick settlement needs both parties' details."))
    return accident


def _responsible(parties: list[AccidentParty], responsibility: str, position: int | None) -> AccidentParty | None:
    if responsibility != Responsibility.ONE:
        return None
    found = next((p for p in parties if p.position == position), None)
    if found is None:
        raise ValidationError({"responsible_party": [_("Choose which party is responsible.")]})
    return found


def _responsibility_text(settlement: Settlement) -> str:
    party = settlement.responsible_party
    if party is not None:
        return _("%(party)s fully responsible (%(rule)s)") % {"party": party_label(party.position, party.name),
                                                             "rule": settlement.get_rule_display()}
    return f"{settlement.get_responsibility_display()} ({settlement.get_rule_display()})"


@transaction.atomic
def accident_escalate(*, actor, incident: Incident, unit, reason: str) -> AccidentRecord:
    """An injury or a dispute: the accident becomes a full accident case (one action), on the timeline."""
    _accident_incident(incident)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why it goes to a full accident case (an injury, a dispute).")]})
    if len(reason) > 300:
        raise ValidationError({"reason": [_("At most 300 characters, please.")]})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    accident = AccidentRecord.objects.select_for_update().filter(incident=incident).first()
    if accident is not None and accident.status != AccidentStatus.OPEN:
        raise ValidationError(_("This accident is %(status)s already.") % {"status": accident.get_status_display()},
                              code="conflict")
    accident = accident or AccidentRecord.objects.create(incident=incident, recorded_by=actor, unit=unit)
    accident.status, accident.escalated_at, accident.escalation_reason = AccidentStatus.ESCALATED, timezone.now(), reason
    _bump(accident, "status", "escalated_at", "escalation_reason")
    record(incident, EventKind.NOTE, actor=actor, unit=unit,
           data={"text": _("Escalated to a full accident case: %(reason)s") % {"reason": reason}, "traffic": "escalated"})
    events.accident_changed(accident)
    return accident


def _bump(accident: AccidentRecord, *fields: str) -> None:
    accident.updated_at, accident.version = timezone.now(), accident.version + 1
    accident.save(update_fields=[*fields, "updated_at", "version"])


@transaction.atomic
def party_reveal(*, user, party: AccidentParty, field: str) -> str:
    """A party's full phone or licence number, once the reading is recorded."""
    if not may_reveal(Access(user), party.accident.incident):
        raise PermissionDenied(_("Your role may not read a party's full details."))
    value = party.phone if field == "phone" else party.licence_number
    if not value:
        raise ValidationError(_("No number was given for this party."))
    party.reveals.create(field=field, user=user)
    return value


@transaction.atomic
def settlement_printed(*, user, accident: AccidentRecord) -> None:
    """The settlement's PDF holds every party's details in full: its reading is recorded for each."""
    if not may_reveal(Access(user), accident.incident):
        raise PermissionDenied(_("Your role may not read a party's full details."))
    for party in accident.parties.all():
        party.reveals.create(field="pdf", user=user)
