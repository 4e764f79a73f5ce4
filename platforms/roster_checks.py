"""The checks a roster period passes before approval, each with its own message.

Hard (approval refused): a gap (fewer crewed units on duty than the platform's minimum), a crew
without a sworn officer, a person in two places at once, an officer working longer without a
break than ROSTER_MAX_CONTINUOUS_HOURS. Soft (shown as warnings): a shift with fewer than one
police officer to two auxiliaries overall, an officer over ROSTER_MAX_WEEKLY_HOURS in a week.
"""
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms.models import OfficerKind, RosterPeriod, Unit
from platforms.rosters import period_window, shifts_of


@dataclass(frozen=True)
class Finding:
    check: str  # gap | crew | ratio | weekly_hours | continuous_hours | two_places
    hard: bool
    message: str
    refs: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


def roster_checks(period: RosterPeriod) -> list[Finding]:
    units = list(Unit.objects.filter(shift__in=shifts_of(period)).select_related("shift__squad")
                 .prefetch_related("officers").order_by("shift__starts_at", "call_sign"))
    return [*gaps(period, units), *crews_without_police(units), *thin_ratios(units), *hours(period, units),
            *two_places(units)]


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}"


def gaps(period: RosterPeriod, units: list[Unit]) -> list[Finding]:
    """Stretches of the period with fewer crewed units on duty than the platform's minimum."""
    minimum = period.platform.min_units_on_duty
    start, end = period_window(period)
    edges = defaultdict(int)
    for unit in units:
        if unit.officers.all():
            edges[max(unit.shift.starts_at, start)] += 1
            edges[min(unit.shift.ends_at, end)] -= 1
    found, count, short_from, fewest = [], 0, None, None
    for moment in sorted({start, end, *edges}):
        if moment >= end:
            break
        count += edges[moment]
        if count < minimum and short_from is None:
            short_from, fewest = moment, count
        elif count < minimum:
            fewest = min(fewest, count)
        elif short_from is not None:
            found.append(_gap(short_from, moment, fewest, minimum))
            short_from = None
    if short_from is not None:
        found.append(_gap(short_from, end, fewest, minimum))
    return found


def _gap(start, end, count, minimum) -> Finding:
    message = _("Gap: from %(start)s to %(end)s only %(count)d units are on duty; the platform needs at least %(minimum)d.") % {
        "start": _local(start), "end": _local(end), "count": count, "minimum": minimum}
    return Finding("gap", True, message, {"starts_at": start.isoformat(), "ends_at": end.isoformat(), "units": count})


def crews_without_police(units: list[Unit]) -> list[Finding]:
    return [Finding("crew", True, _("Crew %(unit)s (%(start)s) has no sworn police officer.")
                    % {"unit": unit.call_sign, "start": _local(unit.shift.starts_at)}, {"unit": unit.pk, "shift": unit.shift_id})
            for unit in units if not any(o.kind == OfficerKind.POLICE for o in unit.officers.all())]


def thin_ratios(units: list[Unit]) -> list[Finding]:
    """One sworn officer to two auxiliaries, counted over each shift's crews."""
    per_shift = defaultdict(lambda: [0, 0, None])
    for unit in units:
        tally = per_shift[unit.shift_id]
        tally[2] = unit.shift
        for officer in unit.officers.all():
            tally[0] += officer.kind == OfficerKind.POLICE
            tally[1] += officer.kind == OfficerKind.AUXILIARY
    return [Finding("ratio", False, _("%(squad)s %(start)s: %(police)d police officers for %(auxiliaries)d auxiliaries, "
                                      "fewer than one officer to two auxiliaries.")
                    % {"squad": shift.squad.name, "start": _local(shift.starts_at), "police": police, "auxiliaries": aux},
                    {"shift": shift.pk, "police": police, "auxiliaries": aux})
            for police, aux, shift in per_shift.values() if 2 * police < aux]


def _duty_by_officer(units: list[Unit]) -> dict:
    duty = defaultdict(list)
    for unit in units:
        for officer in unit.officers.all():
            duty[officer].append((unit.shift.starts_at, unit.shift.ends_at, unit))
    return {officer: sorted(spans, key=lambda span: span[:2]) for officer, spans in duty.items()}


def hours(period: RosterPeriod, units: list[Unit]) -> list[Finding]:
    found = []
    for officer, spans in _duty_by_officer(units).items():
        found += _weekly(period, officer, spans) + _continuous(officer, spans)
    return found


def _weekly(period: RosterPeriod, officer, spans) -> list[Finding]:
    limit = settings.ROSTER_MAX_WEEKLY_HOURS
    start, end = period_window(period)
    found = []
    while start < end:
        week_end = min(start + timedelta(days=7), end)
        worked = sum(max((min(e, week_end) - max(s, start)).total_seconds(), 0) for s, e, _unit in spans) / 3600
        if worked > limit:
            found.append(Finding("weekly_hours", False, _("%(officer)s is rostered %(hours)s hours in the week from %(week)s, "
                                                          "over the limit of %(limit)s.")
                                 % {"officer": officer.name, "hours": f"{worked:g}", "week": f"{timezone.localtime(start):%m-%d}",
                                    "limit": f"{limit:g}"}, {"officer": officer.pk, "hours": worked}))
        start = week_end
    return found


def _continuous(officer, spans) -> list[Finding]:
    limit = settings.ROSTER_MAX_CONTINUOUS_HOURS
    found, run_start, run_end = [], None, None
    for s, e, _unit in [*spans, (None, None, None)]:
        if run_start is not None and (s is None or s > run_end):
            worked = (run_end - run_start).total_seconds() / 3600
            if worked > limit:
                message = _("%(officer)s works %(hours)s hours without a break from %(start)s, over the limit of %(limit)s.")
                found.append(Finding("continuous_hours", True, message % {
                    "officer": officer.name, "hours": f"{worked:g}", "start": _local(run_start), "limit": f"{limit:g}"},
                    {"officer": officer.pk, "hours": worked}))
            run_start = None
        if s is not None:
            run_start, run_end = (s, e) if run_start is None else (run_start, max(run_end, e))
    return found


def two_places(units: list[Unit]) -> list[Finding]:
    found = []
    for officer, spans in _duty_by_officer(units).items():
        latest = spans[0]  # of the spans so far, the one that ends last
        for s2, e2, second in spans[1:]:
            _s1, e1, first = latest
            if s2 < e1:
                message = _("%(officer)s is in two places at once: %(first)s and %(second)s from %(start)s.")
                found.append(Finding("two_places", True, message % {
                    "officer": officer.name, "first": first.call_sign, "second": second.call_sign, "start": _local(s2)},
                    {"officer": officer.pk, "units": [first.pk, second.pk]}))
            latest = max(latest, (s2, e2, second), key=lambda span: span[1])
    return found
