"""The supervisor's roster and coverage pages and the CSV and iCalendar exports: who may open them,
generating, adjusting and approving through the forms, refusals shown with nothing saved."""
import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from command import ical
from platforms import rosters
from platforms.models import Absence, PatrolBand, PatrolPlan, PatrolTask, RosterPeriod
from tests import factories as f
from tests.platforms.roster_support import MONDAY, at, generate, staff

pytestmark = pytest.mark.django_db

WEEK = f"week={MONDAY.isoformat()}"
EN = {"accept-language": "en"}


@pytest.fixture
def staffed(platform):
    return staff(platform)


@pytest.fixture
def period(staffed):
    return generate(staffed, days=1)


@pytest.fixture
def as_(client, request):
    def login(persona):
        client.force_login(request.getfixturevalue(persona))
        return client
    return login


@pytest.mark.parametrize(("persona", "status"), [
    ("supervisor", 200), ("administrator", 200), ("dispatcher", 403), ("officer", 403), ("clerk", 403), ("leadership", 403),
    ("outsider", 403)])
def test_who_may_open_the_pages(as_, staffed, persona, status):
    client = as_(persona)
    for path in ("/supervisor/roster/", "/supervisor/coverage/"):
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize("path", ["/supervisor/roster/", "/supervisor/coverage/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert (response.status_code, response.url) == (302, f"/login/?next={path}")


def test_generate_then_approve_through_the_forms(as_, staffed):
    client = as_("supervisor")
    empty = client.get(f"/supervisor/roster/?{WEEK}")
    assert 'id="generate-form"' in empty.content.decode() and 'id="approve-form"' not in empty.content.decode()
    body = {"platform": staffed.pk, "starts_on": MONDAY.isoformat(), "ends_on": "2030-03-10", "peaks": "1"}
    generated = client.post("/supervisor/roster/generate/", body)
    assert (generated.status_code, generated.url) == (302, f"/supervisor/roster/?platform={staffed.pk}&week=2030-03-04")
    period = RosterPeriod.objects.get()
    page = client.get(generated.url, headers=EN).content.decode()
    assert page.count('class="shift ') == 35 and 'data-status="draft"' in page and "All checks pass." in page
    approved = client.post(f"/supervisor/roster/{period.pk}/approve/", {"version": "1"}, headers=EN)  # the message is made here
    assert approved.status_code == 302
    period.refresh_from_db()
    assert period.status == "approved"
    page = client.get(approved.url, headers=EN).content.decode()
    assert 'data-status="approved"' in page and "The roster is approved" in page and 'id="approve-form"' not in page


def test_a_refused_approval_shows_the_reasons_and_saves_nothing(as_, period):
    unit = rosters.shifts_of(period).get(starts_at=at(MONDAY, 8)).units.get(call_sign="P01-C01")
    unit.officers.remove(*unit.officers.filter(kind="police"))
    response = as_("supervisor").post(f"/supervisor/roster/{period.pk}/approve/", {"version": "1"}, headers=EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="roster-errors"' in html and "Crew P01-C01 (03-04 08:00) has no sworn police officer." in html
    period.refresh_from_db()
    assert period.status == "draft"


def test_an_absence_ending_before_it_starts_is_refused(as_, period):
    officer = period.platform.officers.first()
    body = {"officer": officer.pk, "kind": "sick", "starts_at": "2030-03-04T16:00", "ends_at": "2030-03-04T08:00"}
    response = as_("supervisor").post(f"/supervisor/roster/{period.pk}/absence/", body, headers=EN)
    assert response.status_code == 400
    assert "The absence must end after it starts." in response.content.decode()
    assert (Absence.objects.count(), RosterPeriod.objects.get().version) == (0, 1)


def test_swap_through_the_form(as_, period):
    day, evening = (rosters.shifts_of(period).get(starts_at=at(MONDAY, hour)) for hour in (8, 16))
    response = as_("supervisor").post(f"/supervisor/roster/{period.pk}/swap/", {"shift_a": day.pk, "shift_b": evening.pk})
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.squad_id, RosterPeriod.objects.get().version) == (evening.squad_id, 2)


def test_another_platforms_roster_is_not_found(as_, other_platform):
    foreign = generate(staff(other_platform), days=1)
    client = as_("supervisor")
    for path in (f"/supervisor/roster/{foreign.pk}.csv", f"/supervisor/roster/{foreign.pk}.ics"):
        assert client.get(path).status_code == 404
    assert client.post(f"/supervisor/roster/{foreign.pk}/approve/", {}).status_code == 404
    assert client.get(f"/supervisor/roster/?platform={other_platform.pk}").status_code == 404
    assert RosterPeriod.objects.get().status == "draft"


def test_the_csv_export(as_, period):
    response = as_("supervisor").get(f"/supervisor/roster/{period.pk}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="roster-P01-2030-03-04.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["date", "shift", "starts_at", "ends_at", "squad", "secondary", "approved", "unit", "vehicle",
                       "badge_number", "officer", "officer_kind"]
    night = rosters.shifts_of(period).get(starts_at=at(MONDAY, 0))
    first = night.units.order_by("call_sign").first()
    leader = first.officers.order_by("kind", "badge_number").first()
    assert rows[1] == ["2030-03-04", "night", "2030-03-04T00:00:00+08:00", "2030-03-04T08:00:00+08:00", night.squad.name,
                       "no", "no", "P01-C01", "P01-C01", leader.badge_number, leader.name, leader.kind]
    people = sum(unit.officers.count() for shift in rosters.shifts_of(period) for unit in shift.units.all())
    assert len(rows) == 1 + people


def test_the_icalendar_export(as_, period):
    response = as_("supervisor").get(f"/supervisor/roster/{period.pk}.ics", headers=EN)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    lines = body.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 5
    unfolded = body.replace("\r\n ", "")
    night = rosters.shifts_of(period).get(starts_at=at(MONDAY, 0))
    assert f"UID:shift-{night.pk}@testserver\r\n" in unfolded
    assert "DTSTART:20300303T160000Z\r\nDTEND:20300304T000000Z\r\n" in unfolded  # 00:00–08:00 in Shanghai
    assert f"SUMMARY:人民广场平台 {night.squad.name} Night shift\r\n" in unfolded
    assert unfolded.count("STATUS:TENTATIVE") == 5


def test_ical_escapes_text_and_folds_without_splitting_characters():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "人民广场平台" * 10
    folded = ical.fold(line)
    pieces = folded.split("\r\n ")
    assert "".join(pieces) == line
    assert [len(piece.encode("utf-8")) for piece in pieces] == [74, 72, 42]  # 188 octets: 8 + 22 characters, 24 characters, the last 14


def test_the_coverage_page(as_, period):
    f.PatrolPointFactory(platform=period.platform, code="PP1")
    html = as_("supervisor").get(f"/supervisor/coverage/?date={MONDAY.isoformat()}", headers=EN).content.decode()
    assert "Must-patrol points visited: 0 of 0." in html  # 2030: no shift has started
    assert 'id="coverage-map-data"' in html and "No shift of this day has started yet." in html
    assert as_("supervisor").get("/supervisor/coverage/?date=someday").status_code == 404


def test_the_tablet_lists_the_units_patrol_tasks_with_the_current_band_marked(client, officer, officer_unit, platform):
    shift = officer_unit.shift
    plan = PatrolPlan.objects.create(shift=shift)
    now = timezone.now()
    earlier = PatrolBand.objects.create(plan=plan, starts_at=shift.starts_at, ends_at=now - timedelta(minutes=5), mode="posts")
    current = PatrolBand.objects.create(plan=plan, starts_at=now - timedelta(minutes=5), ends_at=shift.ends_at, mode="routes")
    point = f.PatrolPointFactory(platform=platform, code="PP7", name="人民广场东门")
    route = f.PatrolRouteFactory(platform=platform, code="PR7", name="南京东路")
    PatrolTask.objects.create(band=earlier, unit=officer_unit, point=point)
    PatrolTask.objects.create(band=current, unit=officer_unit, route=route)
    PatrolTask.objects.create(band=current, unit=f.UnitFactory(platform=platform, shift=shift), point=point)  # another crew's
    client.force_login(officer)
    response = client.get("/tablet/", headers=EN)
    assert [(t.target.code, t.now) for t in response.context["patrol_tasks"]] == [("PP7", False), ("PR7", True)]
    html = response.content.decode()
    assert '<li class="now" aria-current="time" data-mode="routes">' in html and "南京东路" in html
