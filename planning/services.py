"""Writes of deployment planning: asking for a band's plan, running it, accepting it (its platform
moves scheduled for the band's start and the patrol plan rewritten), and the due moves carried out.
Keyword-only; validate, then change, then notify after commit."""
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from planning import bands, city, events, patrol_update
from planning.models import DeploymentPlan, MoveStatus, PlannedMove, PlanStatus, Stand
from platforms.models import District, Platform
from platforms.services import platform_move

log = logging.getLogger(__name__)


# --- asking for a plan ---------------------------------------------------------------------------

def plan_request(*, starts_at, district: District | None, platform_ids, actor) -> DeploymentPlan:
    """A plan of the band starting at `starts_at` for the district's platforms (the city's without
    one) that the login may see (`platform_ids`, None: all); queued to run after commit."""
    band = _band(starts_at)
    platforms = _scope(district, platform_ids)
    staffing = bands.crews_on_duty(platforms, band)
    try:
        bands.require_crews(staffing, band)
    except bands.NoCrews as error:
        raise ValidationError({"starts_at": str(error)}) from None
    with transaction.atomic():
        plan = DeploymentPlan.objects.create(
            district=district, starts_at=band.starts_at, ends_at=band.ends_at, mode=band.mode,
            rosters=bands.roster_versions(platforms, band), created_by=_user(actor),
            staffing={"crews": staffing.crews, "trucks": staffing.trucks, "units": staffing.units})
        plan.platforms.set(platforms)
        transaction.on_commit(lambda: _queue(plan.pk))
    return plan


def _queue(plan_id: int) -> None:
    from planning.tasks import plan_run_task

    plan_run_task.delay(plan_id)


def _band(starts_at) -> bands.Band:
    band = bands.band_starting(starts_at) if starts_at else None
    if band is None:
        raise ValidationError({"starts_at": _("Choose a band of the patrol plan by its start.")})
    if band.ends_at <= timezone.now():
        raise ValidationError({"starts_at": _("This band is over: plan one still to come or under way.")})
    return band


def _scope(district: District | None, platform_ids) -> list[Platform]:
    platforms = Platform.objects.order_by("code")
    if district is not None:
        platforms = platforms.filter(district=district)
    if platform_ids is not None:
        platforms = platforms.filter(pk__in=platform_ids)
    found = list(platforms.prefetch_related("zones"))
    if not found:
        raise ValidationError({"district": _("None of this district's platforms is yours to plan.")})
    return found


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- running it ------------------------------------------------------------------------------

def plan_run(*, plan_id: int) -> DeploymentPlan | None:
    """Claim a queued plan (one worker only), compute it with its progress shown, keep the result.
    A plan already claimed or gone is left alone; a failure is recorded on the plan."""
    if not DeploymentPlan.objects.filter(pk=plan_id, status=PlanStatus.QUEUED).update(
            status=PlanStatus.RUNNING, stage="starting", progress=1, version=F("version") + 1):
        return None
    plan = DeploymentPlan.objects.get(pk=plan_id)
    try:
        result = _compute(plan)
    except Exception as error:  # the plan says it failed; the worker goes on
        log.exception("deployment plan %s failed", plan_id)
        _progress(plan, status=PlanStatus.FAILED, error=str(error)[:500] or error.__class__.__name__)
        return plan
    _progress(plan, status=PlanStatus.READY, progress=100, stage="done", result=result)
    return plan


def _compute(plan: DeploymentPlan) -> dict:
    platforms = list(plan.platforms.order_by("code").prefetch_related("zones"))
    band = bands.Band(plan.starts_at, plan.ends_at, plan.mode)
    staffing = bands.Staffing(**plan.staffing)
    return city.plan_band(platforms=platforms, band=band, staffing=staffing,
                          progress=lambda stage, percent: _progress(plan, stage=stage, progress=percent))


def _progress(plan: DeploymentPlan, **fields) -> None:
    """Progress is written and committed at once: the page polls it."""
    DeploymentPlan.objects.filter(pk=plan.pk).update(version=F("version") + 1, **fields)
    for name, value in fields.items():
        setattr(plan, name, value)


# --- accepting it ------------------------------------------------------------------------------

class Conflict(ValidationError):
    """The plan no longer fits the roster, or was decided already: 409."""


@transaction.atomic
def plan_accept(*, plan: DeploymentPlan, actor) -> DeploymentPlan:
    """Schedule the plan's platform moves at its band's start and rewrite its band's patrol tasks,
    recording who approved it; refused with the reason, and nothing changed, when the plan is not
    ready, its band is over, or the roster changed since the plan was made."""
    plan = DeploymentPlan.objects.select_for_update().get(pk=plan.pk)
    platforms = list(plan.platforms.order_by("code"))
    _check_acceptable(plan, platforms)
    now = timezone.now()
    _supersede_others(plan, platforms)
    due = max(plan.starts_at, now)
    stands = {s.pk: s for s in Stand.objects.filter(pk__in=[row["stand"]["id"] for row in plan.result["platforms"]
                                                             if row["moves"]])}
    by_code = {p.code: p for p in platforms}
    for row in plan.result["platforms"]:
        if row["moves"] and row["stand"]["id"] in stands:
            PlannedMove.objects.create(plan=plan, platform=by_code[row["code"]], stand=stands[row["stand"]["id"]],
                                       due_at=due)
    patrol_update.rewrite_band(plan, platforms)
    plan.status, plan.accepted_by, plan.accepted_at = PlanStatus.ACCEPTED, _user(actor), now
    plan.version += 1
    plan.save(update_fields=["status", "accepted_by", "accepted_at", "version"])
    return plan


def _check_acceptable(plan: DeploymentPlan, platforms: list[Platform]) -> None:
    if plan.status != PlanStatus.READY:
        raise Conflict(_("This plan cannot be accepted: it is %(status)s.") % {"status": plan.get_status_display()},
                       code="conflict")
    if plan.ends_at <= timezone.now():
        raise Conflict(_("This plan's band is over."), code="conflict")
    band = bands.Band(plan.starts_at, plan.ends_at, plan.mode)
    reasons = _roster_changes(plan, platforms, band)
    if reasons:
        raise Conflict(" ".join(reasons + [_("Run the plan again on the roster as it stands.")]), code="conflict")


def _roster_changes(plan: DeploymentPlan, platforms: list[Platform], band: bands.Band) -> list[str]:
    """Why the roster the plan was made on is not the roster now, in words; none if it is."""
    reasons, now = [], bands.roster_versions(platforms, band)
    periods = {str(p.pk): p for p in _periods(set(plan.rosters) | set(now))}
    for pk in sorted(set(plan.rosters) | set(now), key=int):
        period = periods.get(pk)
        name = f"{period.platform.code} {period.starts_on:%m-%d}–{period.ends_on:%m-%d}" if period else pk
        if pk not in now:
            reasons.append(_("The roster %(roster)s is no longer approved.") % {"roster": name})
        elif pk not in plan.rosters:
            reasons.append(_("The roster %(roster)s was approved after the plan was made.") % {"roster": name})
        elif now[pk] != plan.rosters[pk]:
            reasons.append(_("The roster %(roster)s changed since the plan was made (version %(old)d, now %(new)d).")
                           % {"roster": name, "old": plan.rosters[pk], "new": now[pk]})
    staffing = bands.crews_on_duty(platforms, band)
    for code, crews in sorted(plan.staffing.get("crews", {}).items()):
        if staffing.crews.get(code, 0) != crews:
            reasons.append(_("%(platform)s has %(now)d crews on duty in the band, not the %(then)d planned for.")
                           % {"platform": code, "now": staffing.crews.get(code, 0), "then": crews})
    return reasons


def _periods(pks):
    from platforms.models import RosterPeriod

    return RosterPeriod.objects.filter(pk__in=[int(pk) for pk in pks]).select_related("platform")


def _supersede_others(plan: DeploymentPlan, platforms: list[Platform]) -> None:
    """An earlier accepted plan of the same band and platforms gives way: its moves not yet made
    are cancelled."""
    ids = set(DeploymentPlan.objects.filter(status=PlanStatus.ACCEPTED, starts_at=plan.starts_at, platforms__in=platforms)
              .exclude(pk=plan.pk).values_list("pk", flat=True))
    for other in DeploymentPlan.objects.filter(pk__in=ids).order_by("pk").select_for_update():
        other.moves.filter(status=MoveStatus.SCHEDULED).update(status=MoveStatus.CANCELLED,
                                                               note=_("Superseded by plan #%(id)d.") % {"id": plan.pk})
        other.status, other.version = PlanStatus.SUPERSEDED, other.version + 1
        other.save(update_fields=["status", "version"])


# --- the due moves ------------------------------------------------------------------------------

def planned_moves_due(*, now=None) -> int:
    """Carry out the accepted plans' platform moves that are due; each claimed by one sweeper."""
    now = now or timezone.now()
    done = 0
    for pk in PlannedMove.objects.filter(status=MoveStatus.SCHEDULED, due_at__lte=now).values_list("pk", flat=True):
        done += _carry_out(pk, now)
    return done


@transaction.atomic
def _carry_out(pk: int, now) -> int:
    planned = (PlannedMove.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("plan", "platform", "stand").filter(pk=pk, status=MoveStatus.SCHEDULED).first())
    if planned is None:
        return 0
    reason = _("Deployment plan #%(id)d, band from %(start)s: stand %(stand)s.") % {
        "id": planned.plan_id, "start": f"{timezone.localtime(planned.plan.starts_at):%m-%d %H:%M}",
        "stand": f"{planned.stand.code} {planned.stand.name}"}
    try:
        with transaction.atomic():
            move = platform_move(platform=planned.platform, lon=planned.stand.lon, lat=planned.stand.lat,
                                 reason=reason, actor=planned.plan.accepted_by)
    except ValidationError as error:
        planned.status, planned.note, planned.done_at = MoveStatus.FAILED, "; ".join(error.messages)[:300], now
        planned.save(update_fields=["status", "note", "done_at"])
        return 0
    planned.status, planned.move, planned.done_at = MoveStatus.DONE, move, now
    planned.save(update_fields=["status", "move", "done_at"])
    events.platform_moved(Platform.objects.get(pk=planned.platform_id), stand=planned.stand, plan_id=planned.plan_id)
    return 1
