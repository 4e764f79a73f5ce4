"""The supervisor's roster and coverage pages and the roster exports. Thin: authorize, parse the
form with the API's input serializers, call one service, render (or redirect after a change)."""
import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from command import ical, selectors
from command.views import _require
from common.dates import bounded_date
from common.roles import Role
from common.scoping import scoped
from grid.selectors import served_area
from platforms import patrol, rosters
from platforms import roster_serializers as s
from platforms import selectors as roster_selectors
from platforms.models import Platform, RosterPeriod
from platforms.roster_checks import roster_checks

PAGE_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)


def _platforms(access):
    return scoped(Platform.objects.select_related("district"), access.platform_ids, "id").order_by("code")


def _platform(access, value) -> Platform:
    platforms = _platforms(access)
    if value in (None, ""):
        platform = platforms.first()
        if platform is None:
            raise Http404(_("No platforms in your scope."))
        return platform
    if not str(value).isdigit():
        raise Http404(_("No such platform."))
    return get_object_or_404(platforms, pk=int(value))


def _day(value, default: date) -> date:
    try:
        return bounded_date(value) if value else default
    except ValueError:
        raise Http404(_("Not a date: %(value)s.") % {"value": value}) from None


def _period(access, period_id) -> RosterPeriod:
    return get_object_or_404(scoped(RosterPeriod.objects.select_related("platform"), access.platform_ids), pk=period_id)


def _week_url(period_or_platform, monday) -> str:
    platform_id = getattr(period_or_platform, "platform_id", None) or period_or_platform.pk
    return f"{reverse('supervisor-roster')}?platform={platform_id}&week={monday.isoformat()}"


# --- the roster page --------------------------------------------------------------------------

@require_GET
def roster(request):
    access = _require(request, *PAGE_ROLES)
    platform = _platform(access, request.GET.get("platform"))
    monday = roster_selectors.week_start(_day(request.GET.get("week"), timezone.localdate()))
    return _render_roster(request, access, platform, monday)


def _render_roster(request, access, platform, monday, errors=(), status=200):
    week = roster_selectors.roster_week(platform=platform, monday=monday)
    period = week["period"]
    findings = roster_checks(period) if period else []
    context = {
        **week, "platform": platform, "platforms": _platforms(access), "monday": monday, "errors": list(errors),
        "previous_week": monday - timedelta(days=7), "next_week": monday + timedelta(days=7),
        "violations": [f for f in findings if f.hard], "warnings": [f for f in findings if not f.hard],
        "changes": period.changes.select_related("actor").order_by("-at", "-id")[:30] if period else [],
        **(roster_selectors.roster_choices(period) if period else {}),
    }
    return render(request, "command/roster.html", context, status=status)


def _after(request, access, period, action, success: str):
    """Run a roster change; on refusal show the page again (400) with the reasons, nothing saved."""
    try:
        action()
    except ValidationError as error:
        return _render_roster(request, access, period.platform, roster_selectors.week_start(period.starts_on),
                              errors=error.messages, status=409 if getattr(error, "code", None) == "conflict" else 400)
    except rosters.RosterRefused as refused:
        return _render_roster(request, access, period.platform, roster_selectors.week_start(period.starts_on),
                              errors=[v.message for v in refused.violations], status=400)
    messages.success(request, success)
    return redirect(_week_url(period, roster_selectors.week_start(period.starts_on)), permanent=False)


def _form(serializer_class, request, period=None) -> dict:
    context = {"request": request, "period": period}
    # The form's own inputs (the CSRF token, "peaks") are the page's: the API's serializer gets its fields.
    fields = serializer_class(context=context).fields
    data = {key: value for key, value in request.POST.items() if key in fields}
    serializer = serializer_class(data=data, context=context)
    if not serializer.is_valid():
        raise ValidationError([_field_error(field, errors) for field, errors in serializer.errors.items()])
    return serializer.validated_data


def _field_error(field: str, errors) -> str:
    text = " ".join(map(str, errors))
    return text if field == "non_field_errors" else f"{field}: {text}"


@require_POST
def roster_generate(request):
    access = _require(request, *PAGE_ROLES)
    platform = _platform(access, request.POST.get("platform"))
    monday = roster_selectors.week_start(_day(request.POST.get("starts_on"), timezone.localdate()))
    pattern = {} if request.POST.get("peaks") else {"peaks": []}
    try:
        data = _form(s.RosterGenerateSerializer, request)
        rosters.roster_generate(platform=data["platform"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                pattern=pattern, actor=request.user)
    except ValidationError as error:
        return _render_roster(request, access, platform, monday, errors=error.messages,
                              status=409 if getattr(error, "code", None) == "conflict" else 400)
    messages.success(request, _("The roster was generated as a draft: check it, adjust it, approve it."))
    return redirect(_week_url(platform, monday))


@require_POST
def roster_approve(request, period_id: int):
    access = _require(request, *PAGE_ROLES)
    period = _period(access, period_id)
    version = request.POST.get("version")
    version = int(version) if version and version.isdigit() else None
    return _after(request, access, period, lambda: rosters.roster_approve(period=period, actor=request.user, version=version),
                  _("The roster is approved: the dispatch engine now uses its shifts."))


@require_POST
def roster_swap(request, period_id: int):
    access = _require(request, *PAGE_ROLES)
    period = _period(access, period_id)

    def swap():
        data = _form(s.SwapSerializer, request, period)
        rosters.roster_swap(period=period, shift_a=data["shift_a"].pk, shift_b=data["shift_b"].pk, actor=request.user)

    return _after(request, access, period, swap, _("The squads were swapped."))


@require_POST
def roster_absence(request, period_id: int):
    access = _require(request, *PAGE_ROLES)
    period = _period(access, period_id)

    def mark():
        rosters.roster_mark_absence(period=period, actor=request.user, **_form(s.AbsenceInputSerializer, request, period))

    return _after(request, access, period, mark, _("The absence is recorded and the officer is off those crews."))


@require_POST
def roster_overtime(request, period_id: int):
    access = _require(request, *PAGE_ROLES)
    period = _period(access, period_id)

    def add():
        rosters.roster_add_overtime(period=period, actor=request.user, **_form(s.OvertimeInputSerializer, request, period))

    return _after(request, access, period, add, _("The overtime is recorded."))


# --- exports ----------------------------------------------------------------------------------

EXPORT_HEADER = ["date", "shift", "starts_at", "ends_at", "squad", "secondary", "approved", "unit", "vehicle",
                 "badge_number", "officer", "officer_kind"]


@require_GET
def roster_csv(request, period_id: int):
    access = _require(request, *PAGE_ROLES)
    period = _period(access, period_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{period.platform.code}-{period.starts_on}.csv"'
    response.write("\ufeff")  # a byte-order mark, so spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADER)
    for shift in roster_selectors.roster_export_rows(period):
        for row in _csv_rows(shift):
            writer.writerow(row)
    return response


def _csv_rows(shift):
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    head = [start.date().isoformat(), shift.kind, start.isoformat(), end.isoformat(), shift.squad.name,
            "yes" if shift.secondary else "no", "yes" if shift.approved else "no"]
    for unit in shift.units.all():
        vehicle = unit.vehicle.call_number if unit.vehicle else ""
        people = list(unit.officers.all()) or [None]
        for officer in people:
            yield head + [unit.call_sign, vehicle, getattr(officer, "badge_number", ""), getattr(officer, "name", ""),
                          getattr(officer, "kind", "")]


@require_GET
def roster_ics(request, period_id: int):
    access = _require(request, *PAGE_ROLES)
    period = _period(access, period_id)
    body = ical.roster_calendar(period, roster_selectors.roster_export_rows(period), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{period.platform.code}-{period.starts_on}.ics"'
    return response


# --- today's coverage -------------------------------------------------------------------------

@require_GET
def coverage(request):
    access = _require(request, *PAGE_ROLES)
    platform = _platform(access, request.GET.get("platform"))
    day = _day(request.GET.get("date"), timezone.localdate())
    report = patrol.platform_coverage(platform=platform, day=day)
    map_data = {"served_area": list(served_area().bounds), "gaps": report["gaps"], "shifts": report["shifts"]}
    context = {"platform": platform, "platforms": _platforms(access), "day": day, "report": report,
               "previous_day": day - timedelta(days=1), "next_day": day + timedelta(days=1), "map_data": map_data,
               **selectors.console_tiles()}
    if "map_tiles" not in context:
        map_data["basemap"] = selectors.console_basemap()
    return render(request, "command/coverage.html", context)
