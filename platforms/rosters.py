"""Duty rosters: generating a period, its adjustments and approval, and the shift changeover.

A roster period covers a platform's days; its shifts are the shifts of the platform's squads that
start on those days. Generating it lays the rotation (platforms.rotation) over the days, with the
secondary squads of the peak windows (主副双班), and crews every shift (platforms.crews). Any edit of an approved period withdraws the approval
of its shifts still to come and is recorded; approving runs the checks (platforms.roster_checks)
and refuses a roster with a hard violation.
"""
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms import events
from platforms.crews import crew_shifts
from platforms.models import (
    UNIT_TRANSITIONS,
    Absence,
    AbsenceKind,
    Officer,
    Overtime,
    PatrolPlan,
    Platform,
    RosterChange,
    RosterChangeKind,
    RosterPeriod,
    RosterStatus,
    Shift,
    Squad,
    Unit,
    UnitStatus,
)
from platforms.rotation import RotationPattern, local_datetime, planned_shifts
from platforms.services import unit_move

MAX_PERIOD_DAYS = 42


def period_window(period: RosterPeriod) -> tuple[datetime, datetime]:
    """From the first day's local midnight to the midnight after the last day."""
    return local_datetime(period.starts_on, time(0)), local_datetime(period.ends_on + timedelta(days=1), time(0))


def shifts_of(period: RosterPeriod):
    start, end = period_window(period)
    return Shift.objects.filter(squad__platform_id=period.platform_id, starts_at__gte=start, starts_at__lt=end)


# --- generation -------------------------------------------------------------------------------

@transaction.atomic
def roster_generate(*, platform: Platform, starts_on: date, ends_on: date, pattern: dict | None = None,
                    actor=None) -> RosterPeriod:
    """Lay the rotation over the days and crew every shift: a draft period for the supervisor."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day comes before the first.")})
    if (ends_on - starts_on).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"ends_on": _("A roster covers at most %(days)d days.") % {"days": MAX_PERIOD_DAYS}})
    rotation = RotationPattern.from_json(pattern)
    platform = Platform.objects.select_for_update().get(pk=platform.pk)  # one generation per platform at a time
    squads = _squads_for(platform, rotation)
    _refuse_overlap(platform, starts_on, ends_on)
    period = RosterPeriod.objects.create(platform=platform, starts_on=starts_on, ends_on=ends_on,
                                         pattern=rotation.to_json(), created_by=_user(actor))
    days = [starts_on + timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]
    shifts = Shift.objects.bulk_create(planned_shifts(rotation, squads, days))
    units = crew_shifts(shifts)
    _record(period, RosterChangeKind.GENERATED, _("Generated %(shifts)d shifts with %(units)d units.")
            % {"shifts": len(shifts), "units": units}, {"shifts": len(shifts), "units": units}, actor)
    return period


def _squads_for(platform: Platform, rotation: RotationPattern) -> dict[int, Squad]:
    squads = {squad.number: squad for squad in platform.squads.select_related("platform")}
    missing = [n for n in range(1, rotation.squads + 1) if n not in squads]
    if missing:
        message = _("%(platform)s has no squad number %(numbers)s: the rotation needs squads 1 to %(count)d.")
        raise ValidationError({"platform": message % {"platform": platform.name, "numbers": ", ".join(map(str, missing)),
                                                      "count": rotation.squads}})
    return {n: squads[n] for n in range(1, rotation.squads + 1)}


def _refuse_overlap(platform: Platform, starts_on: date, ends_on: date) -> None:
    other = platform.roster_periods.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if other:
        raise ValidationError(_("These days overlap the roster %(first)s to %(last)s.")
                              % {"first": other.starts_on.isoformat(), "last": other.ends_on.isoformat()}, code="conflict")
    start, end = local_datetime(starts_on, time(0)), local_datetime(ends_on + timedelta(days=1), time(0))
    if Shift.objects.filter(squad__platform=platform, starts_at__gte=start, starts_at__lt=end).exists():
        raise ValidationError(_("Shifts outside any roster already start on these days."), code="conflict")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _record(period: RosterPeriod, kind: str, summary: str, detail: dict, actor) -> RosterChange:
    return RosterChange.objects.create(period=period, kind=kind, summary=summary[:300], detail=detail,
                                       version=period.version, actor=_user(actor))


# --- approval ---------------------------------------------------------------------------------

class RosterRefused(Exception):
    """Approval refused: the hard violations found, and the warnings beside them."""

    def __init__(self, violations: list, warnings: list):
        super().__init__("; ".join(v.message for v in violations))
        self.violations, self.warnings = violations, warnings


def lock_period(period: RosterPeriod) -> RosterPeriod:
    return RosterPeriod.objects.select_for_update().select_related("platform").get(pk=period.pk)


@transaction.atomic
def roster_approve(*, period: RosterPeriod, actor, version: int | None = None) -> tuple[RosterPeriod, list]:
    """Approve the period when no check finds a hard violation; returns it and the warnings."""
    from platforms.roster_checks import roster_checks  # it reads the periods through this module

    period = lock_period(period)
    if version is not None and version != period.version:
        raise ValidationError(_("The roster changed since you checked it (now version %(version)d): review it again.")
                              % {"version": period.version}, code="conflict")
    findings = roster_checks(period)
    violations, warnings = [f for f in findings if f.hard], [f for f in findings if not f.hard]
    if violations:
        raise RosterRefused(violations, warnings)
    if not period.approved:
        period.status, period.approved_at, period.approved_by = RosterStatus.APPROVED, timezone.now(), _user(actor)
        period.save(update_fields=["status", "approved_at", "approved_by"])
        shifts_of(period).update(approved=True)
        _record(period, RosterChangeKind.APPROVED, _("Approved with %(count)d warnings.") % {"count": len(warnings)},
                {"warnings": [w.message for w in warnings]}, actor)
    return period, warnings


def _edited(period: RosterPeriod, kind: str, summary: str, detail: dict, actor) -> RosterPeriod:
    """Bump the version, record the edit, and withdraw an approval: the shifts still to come wait
    for re-approval. Shifts under way keep theirs, so an edit never pulls crews off the street."""
    period.version += 1
    was_approved = period.approved
    if was_approved:
        period.status, period.approved_at, period.approved_by = RosterStatus.DRAFT, None, None
        shifts_of(period).filter(starts_at__gt=timezone.now()).update(approved=False)
    period.save(update_fields=["version", "status", "approved_at", "approved_by"])
    _record(period, kind, summary, detail, actor)
    if was_approved:
        _record(period, RosterChangeKind.UNAPPROVED, _("The edit withdrew the approval: approve the roster again."), {}, actor)
    return period


# --- adjustments ------------------------------------------------------------------------------

def _shift_in(period: RosterPeriod, shift_id, name: str) -> Shift:
    shift = shifts_of(period).select_related("squad__platform").select_for_update(of=("self",)).filter(pk=shift_id).first()
    if shift is None:
        raise ValidationError({name: _("No such shift in this roster.")})
    return shift


@transaction.atomic
def roster_swap(*, period: RosterPeriod, shift_a: int, shift_b: int, actor) -> RosterPeriod:
    """Two shifts exchange their squads; both are crewed afresh (their patrol plans go with the old crews)."""
    period = lock_period(period)
    a, b = _shift_in(period, shift_a, "shift_a"), _shift_in(period, shift_b, "shift_b")
    _check_swappable(a, b)
    for shift, squad in ((a, b.squad), (b, a.squad)):
        _refuse_double_booking(squad, shift, ignore=(a.pk, b.pk))
    PatrolPlan.objects.filter(shift__in=(a, b)).delete()
    Unit.objects.filter(shift__in=(a, b)).delete()
    a.squad, b.squad = b.squad, a.squad
    a.save(update_fields=["squad"])
    b.save(update_fields=["squad"])
    units = crew_shifts([a, b])
    summary = _("%(a)s and %(b)s swapped squads.") % {"a": _shift_label(a), "b": _shift_label(b)}
    return _edited(period, RosterChangeKind.SWAPPED, summary, {"shifts": [a.pk, b.pk], "units": units}, actor)


def _check_swappable(a: Shift, b: Shift) -> None:
    now = timezone.now()
    if a.pk == b.pk or a.squad_id == b.squad_id:
        raise ValidationError({"shift_b": _("Choose two shifts of different squads.")})
    if a.starts_at == b.starts_at:
        raise ValidationError({"shift_b": _("The two shifts start together: swapping them changes nothing.")})
    if min(a.starts_at, b.starts_at) <= now:
        raise ValidationError({"shift_a": _("Only shifts still to come can be swapped.")})


def _refuse_double_booking(squad: Squad, shift: Shift, ignore: tuple) -> None:
    clash = (squad.shifts.exclude(pk__in=ignore).filter(starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at).first())
    if clash:
        raise ValidationError({"shift_b": _("%(squad)s would work two shifts at once: %(first)s and %(second)s.")
                               % {"squad": squad.name, "first": _shift_label(clash), "second": _shift_label(shift)}})


def _shift_label(shift: Shift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return f"{shift.get_kind_display()} {start:%m-%d %H:%M}–{end:%H:%M}"


@transaction.atomic
def roster_mark_absence(*, period: RosterPeriod, officer: Officer, kind: str, starts_at: datetime, ends_at: datetime,
                        note: str = "", actor) -> Absence:
    """Leave or sickness: the officer comes off every crew whose shift the absence overlaps."""
    period = lock_period(period)
    _check_absence(period, officer, kind, starts_at, ends_at)
    absence = Absence.objects.create(officer=officer, kind=kind, starts_at=starts_at, ends_at=ends_at,
                                     note=note.strip(), recorded_by=_user(actor))
    units = list(Unit.objects.filter(officers=officer, shift__starts_at__lt=ends_at, shift__ends_at__gt=starts_at))
    for unit in units:
        unit.officers.remove(officer)
    Overtime.objects.filter(officer=officer, unit__in=units).delete()
    summary = _("%(officer)s: %(kind)s from %(start)s to %(end)s, taken off %(count)d crews.") % {
        "officer": officer.name, "kind": absence.get_kind_display(), "start": f"{timezone.localtime(starts_at):%m-%d %H:%M}",
        "end": f"{timezone.localtime(ends_at):%m-%d %H:%M}", "count": len(units)}
    _edited(period, RosterChangeKind.ABSENCE, summary, {"absence": absence.pk, "units": [u.pk for u in units]}, actor)
    return absence


def _check_absence(period, officer, kind, starts_at, ends_at) -> None:
    if kind not in AbsenceKind.values:
        raise ValidationError({"kind": _("Unknown kind of absence.")})
    if officer.platform_id != period.platform_id:
        raise ValidationError({"officer": _("%(officer)s is not on this roster's platform.") % {"officer": officer.name}})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The absence must end after it starts.")})
    start, end = period_window(period)
    if ends_at <= start or starts_at >= end:
        raise ValidationError({"starts_at": _("The absence falls outside this roster's days.")})
    if officer.absences.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError({"starts_at": _("%(officer)s is already recorded away at that time.") % {"officer": officer.name}})


@transaction.atomic
def roster_add_overtime(*, period: RosterPeriod, officer: Officer, unit: Unit, reason: str = "", actor) -> Overtime:
    """An officer joins another crew for its whole shift, as overtime."""
    period = lock_period(period)
    unit = Unit.objects.select_related("shift").filter(pk=unit.pk, shift__in=shifts_of(period)).first()
    if unit is None:
        raise ValidationError({"unit": _("No such unit in this roster.")})
    _check_overtime(period, officer, unit)
    hours = round((unit.shift.ends_at - unit.shift.starts_at).total_seconds() / 3600, 2)
    overtime = Overtime.objects.create(officer=officer, unit=unit, hours=hours, reason=reason.strip(), recorded_by=_user(actor))
    unit.officers.add(officer)
    summary = _("%(officer)s works overtime in %(unit)s (%(shift)s), %(hours)s hours.") % {
        "officer": officer.name, "unit": unit.call_sign, "shift": _shift_label(unit.shift), "hours": f"{hours:g}"}
    _edited(period, RosterChangeKind.OVERTIME, summary, {"overtime": overtime.pk, "unit": unit.pk}, actor)
    return overtime


def _check_overtime(period: RosterPeriod, officer: Officer, unit: Unit) -> None:
    shift = unit.shift
    if officer.platform_id != period.platform_id or not officer.active:
        message = _("%(officer)s is not an active officer of this roster's platform.")
        raise ValidationError({"officer": message % {"officer": officer.name}})
    busy = (Unit.objects.filter(officers=officer, shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
            .select_related("shift").first())
    if busy:
        raise ValidationError({"officer": _("%(officer)s is already on duty at that time, in %(unit)s (%(shift)s).")
                               % {"officer": officer.name, "unit": busy.call_sign, "shift": _shift_label(busy.shift)}})
    if officer.absences.filter(starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at).exists():
        raise ValidationError({"officer": _("%(officer)s is recorded away at that time.") % {"officer": officer.name}})


def refuse_approved_change(*, platform_id: int, starts_at: datetime) -> None:
    """Shifts of an approved roster change only through its adjustments, which withdraw the
    approval and are recorded: a plain edit (the shifts and units API) is refused."""
    day = timezone.localdate(starts_at)
    period = RosterPeriod.objects.filter(platform_id=platform_id, starts_on__lte=day, ends_on__gte=day,
                                         status=RosterStatus.APPROVED).first()
    if period:
        raise ValidationError(_("This shift belongs to the approved roster %(first)s to %(last)s: change it through the "
                                "roster's adjustments, which ask for approval again.")
                              % {"first": period.starts_on.isoformat(), "last": period.ends_on.isoformat()}, code="conflict")


# --- the shift changeover ---------------------------------------------------------------------

def shift_changeover(*, now: datetime | None = None) -> dict:
    """Crewed units of approved shifts under way come on the board (off duty → available); units
    whose shift is over, or no longer approved, go off it unless they are on a job (they go when
    they clear, at a later run). Idempotent and safe beside dispatch: rows another transaction
    holds are skipped and taken at the next run. Beat runs it every 30 s."""
    now = now or timezone.now()
    on_duty = Q(shift__approved=True, shift__starts_at__lte=now, shift__ends_at__gt=now)
    moves = {
        UnitStatus.AVAILABLE: Unit.objects.filter(on_duty, status=UnitStatus.OFF_DUTY, officers__isnull=False).distinct(),
        UnitStatus.OFF_DUTY: Unit.objects.filter(status__in=(UnitStatus.AVAILABLE, UnitStatus.UNAVAILABLE)).exclude(on_duty),
    }
    counts = {}
    for status, queryset in moves.items():
        counts[status] = 0
        for pk in list(queryset.values_list("pk", flat=True)):
            with transaction.atomic():
                unit = Unit.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
                if unit is None or not UNIT_TRANSITIONS.allows(unit.status, status):
                    continue  # held by a dispatcher, or moved on since it was listed
                unit_move(unit, status)
                unit.save(update_fields=["status", "status_changed_at", "version"])
                events.unit_status_changed(unit)
                counts[status] += 1
    return {"on": counts[UnitStatus.AVAILABLE], "off": counts[UnitStatus.OFF_DUTY]}


@transaction.atomic
def roster_delete(*, period: RosterPeriod, actor=None) -> None:
    """Delete a draft period with its shifts, crews and plans (nothing was dispatched from a draft:
    the engine uses approved shifts only); an approved period is history and stays."""
    period = RosterPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status != RosterStatus.DRAFT:
        raise ValidationError(_("Only a draft roster can be deleted: withdraw nothing that was approved."),
                              code="conflict")
    shifts = shifts_of(period).filter(approved=False)
    PatrolPlan.objects.filter(shift__in=shifts).delete()
    Unit.objects.filter(shift__in=shifts).delete()
    shifts.delete()
    period.delete()
