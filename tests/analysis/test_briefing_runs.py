"""Briefings made on schedule (Celery beat's task run directly, with the clock fixed) and the PDF that
comes out: it opens, its title is the briefing's Chinese title as text (not drawn shapes), and its
figures are there."""
import io
from datetime import datetime

import pypdf
import pytest
from django.conf import settings
from django.utils import timezone

from analysis import rollups, tasks
from analysis.models import Briefing
from tests import factories as f
from tests.analysis.history import hand_built_history

pytestmark = pytest.mark.django_db
MONDAY_MORNING = datetime(2026, 11, 23, 7, 5)   # the week of 16-22 November is over


def fix_clock(monkeypatch, moment: datetime) -> datetime:
    at = timezone.make_aware(moment, timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at


@pytest.fixture
def fixed_clock(monkeypatch):
    return fix_clock(monkeypatch, MONDAY_MORNING)


@pytest.fixture
def city():
    built = hand_built_history()
    rollups.rollups_build_all()
    return built


def made_by_beat(kind: str, django_capture_on_commit_callbacks) -> list[Briefing]:
    """Beat's task, then what the worker does with each briefing it queued."""
    with django_capture_on_commit_callbacks() as queued:
        assert tasks.briefings_scheduled(kind) == 4   # the city, the district, its two platforms
    assert len(queued) == 4
    for briefing in Briefing.objects.all():
        tasks.briefing_make_task(briefing.pk)
    return list(Briefing.objects.order_by("id"))


def test_the_weekly_schedule_is_monday_morning():
    entry = settings.ANALYSIS_BEAT_SCHEDULE["analysis-weekly-briefings"]
    assert (entry["task"], entry["args"]) == ("analysis.tasks.briefings_scheduled", ("weekly",))
    assert (entry["schedule"].hour, entry["schedule"].minute, entry["schedule"].day_of_week) == ({7}, {5}, {1})


def test_beat_makes_last_weeks_briefings_once(city, fixed_clock, django_capture_on_commit_callbacks):
    made = made_by_beat("weekly", django_capture_on_commit_callbacks)

    assert [(b.kind, str(b.starts_on), str(b.ends_on), b.scheduled, b.status, b.progress) for b in made] == [
        ("weekly", "2026-11-16", "2026-11-22", True, "done", 100)] * 4
    assert {(b.district_id, b.platform_id) for b in made} == {
        (None, None), (city.centre_platform.district_id, None), (None, city.centre_platform.pk),
        (None, city.other_platform.pk)}
    whole_city = next(b for b in made if b.district_id is None and b.platform_id is None)
    assert whole_city.figures["totals"]["incidents"] == {"value": 6, "previous": 4, "last_year": 5, "pop_pct": 50.0,
                                                         "yoy_pct": 20.0}
    assert whole_city.figures["response"]["overall"]["p90_response_s"] == 320.0
    assert whole_city.finished_at == fixed_clock
    with django_capture_on_commit_callbacks() as queued:
        assert tasks.briefings_scheduled("weekly") == 0   # beat fired twice: nothing more
    assert (len(queued), Briefing.objects.count()) == (0, 4)


def test_the_daily_briefing_at_seven_covers_yesterday(city, monkeypatch, django_capture_on_commit_callbacks):
    fix_clock(monkeypatch, datetime(2026, 11, 17, 7, 0))
    made = made_by_beat("daily", django_capture_on_commit_callbacks)
    assert {(str(b.starts_on), str(b.ends_on)) for b in made} == {("2026-11-16", "2026-11-16")}
    totals = next(b for b in made if b.platform_id is None and b.district_id is None).figures["totals"]
    assert (totals["incidents"]["value"], totals["cancelled"]["value"]) == (4, 1)


def pdf_of(as_, briefing, language: str) -> pypdf.PdfReader:
    response = as_("leadership").get(f"/api/v1/analysis/briefings/{briefing.pk}/briefing.pdf",
                                     headers={"accept-language": language})
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    return pypdf.PdfReader(io.BytesIO(response.content))


def test_the_pdf_opens_with_its_chinese_title_as_text(as_, city, fixed_clock, django_capture_on_commit_callbacks):
    whole_city = made_by_beat("weekly", django_capture_on_commit_callbacks)[0]
    pdf = pdf_of(as_, whole_city, "zh-hans")
    first = pdf.pages[0].extract_text()

    assert first.splitlines()[0] == "周会商 · 全市 · 2026-11-16 至 2026-11-22"
    assert pdf.metadata.title == "周会商 · 全市 · 2026-11-16 至 2026-11-22"
    assert "警情类别分布" in first and "刑事" in first
    fonts = {str(font["/BaseFont"]) for page in pdf.pages for font in page["/Resources"]["/Font"].values()}
    assert "/STSong-Light" in fonts   # Adobe's Chinese font, named, not embedded: nothing to install


def test_the_pdf_in_english_and_its_response_figures(as_, city, fixed_clock, django_capture_on_commit_callbacks):
    whole_city = made_by_beat("weekly", django_capture_on_commit_callbacks)[0]
    text = "\n".join(page.extract_text() for page in pdf_of(as_, whole_city, "en").pages)

    assert text.splitlines()[0] == "Weekly briefing · The whole city · 2026-11-16 to 2026-11-22"
    assert "\n".join(["City centre (180 s)", "3", "66.7%", "150.0 / 200.0", "170.0 / 220.0", "0"]) in text  # a row
    assert "Beside them: 0 incidents found on patrol" in text


def traffic_work(city) -> None:
    """The centre platform's traffic work: this week 3 violations, a drunk driver, help for 2 people;
    the week before 1 violation; the same week of 2025 2 violations. The other platform 1 violation."""
    from traffic.models import DrinkCheck, HelpRecord, Violation, ViolationType

    kind = ViolationType.objects.get_or_create(code="1625", defaults={"name": "闯红灯", "name_en": "Red light"})[0]
    officer = f.OfficerFactory(user=f.UserFactory(), platform=city.centre_platform)
    other = f.OfficerFactory(user=f.UserFactory(), platform=city.other_platform)
    fields = lambda who: {"officer": who, "platform": who.platform, "recorded_by": who.user,  # noqa: E731
                          "lon": 121.476, "lat": 31.231}
    at = lambda day: datetime(*day, 10, tzinfo=timezone.get_current_timezone())  # noqa: E731
    for day in [(2026, 11, 16), (2026, 11, 18), (2026, 11, 22), (2026, 11, 10), (2025, 11, 18), (2025, 11, 19)]:
        Violation.objects.create(violation_type=kind, plate="沪A12345", at=at(day), **fields(officer))
    Violation.objects.create(violation_type=kind, plate="沪A54321", at=at((2026, 11, 17)), **fields(other))
    DrinkCheck.objects.create(plate="沪B12345", alcohol_mg_100ml=95, result="drunk", at=at((2026, 11, 20)),
                              **fields(officer))
    HelpRecord.objects.create(kind="directions", people=2, at=at((2026, 11, 21)), **fields(officer))


def test_the_briefing_counts_the_traffic_work_against_last_week_and_last_year(
        as_, city, fixed_clock, django_capture_on_commit_callbacks):
    traffic_work(city)
    made = made_by_beat("weekly", django_capture_on_commit_callbacks)
    whole_city = next(b for b in made if b.district_id is None and b.platform_id is None)
    centre = next(b for b in made if b.platform_id == city.centre_platform.pk)
    rows = {row["key"]: row for row in whole_city.figures["traffic"]}

    assert [row["key"] for row in whole_city.figures["traffic"]] == [
        "violations", "drink_checks", "drink_driving", "drunk_driving", "impounds", "help_records", "people_helped"]
    assert rows["violations"] == {"key": "violations", "label": "违法行为", "value": 4, "previous": 1, "last_year": 2,
                                  "pop_pct": 300.0, "yoy_pct": 100.0}
    assert [(r["value"], r["previous"], r["last_year"]) for r in whole_city.figures["traffic"][1:]] == [
        (1, 0, 0), (0, 0, 0), (1, 0, 0), (0, 0, 0), (1, 0, 0), (2, 0, 0)]
    assert centre.figures["traffic"][0]["value"] == 3   # the other platform's violation is not the centre's
    text = "\n".join(page.extract_text() for page in pdf_of(as_, whole_city, "en").pages)
    assert "Traffic work" in text and "\n".join(["Violations", "4", "1", "+300.0%", "2", "+100.0%"]) in text
