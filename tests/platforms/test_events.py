"""Which consoles hear of a unit (DESIGN §4): the city, its district, its platform and its own tablet,
sent after commit, from cached lookups (no query per event once warm)."""
import pytest

from platforms import events
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_lookups():
    events.platform_district.values.clear()
    events.unit_platform.values.clear()
    yield
    events.platform_district.values.clear()
    events.unit_platform.values.clear()


@pytest.fixture
def sent(monkeypatch):
    heard = []
    monkeypatch.setattr(events, "send_now", lambda event, data, groups: heard.append((event, data, groups)))
    return heard


def test_group_names():
    assert (events.CITY, events.district_group(3), events.platform_group(7), events.unit_group(11)) == (
        "console.city", "console.district.3", "console.platform.7", "unit.11")


def test_a_units_news_goes_to_the_city_its_district_its_platform_and_its_tablet(platform, officer_unit):
    assert events.unit_groups(officer_unit) == [
        "console.city", f"console.district.{platform.district_id}", f"console.platform.{platform.pk}",
        f"unit.{officer_unit.pk}"]


def test_the_groups_of_a_unit_cost_one_query_cold_and_none_warm(officer_unit, django_assert_num_queries):
    with django_assert_num_queries(1):
        cold = events.unit_groups(officer_unit)
    other = f.UnitFactory(platform=officer_unit.platform)
    with django_assert_num_queries(0):
        assert events.unit_groups(officer_unit) == cold
        assert events.unit_groups(other)[:3] == cold[:3]


def test_platforms_of_one_district_name_the_district_once(platform):
    neighbour = f.PlatformFactory(district=platform.district)
    far = f.PlatformFactory()
    assert events.platform_groups([platform.pk, neighbour.pk, None, far.pk, platform.pk]) == [
        "console.city", f"console.district.{platform.district_id}", f"console.district.{far.district_id}",
        f"console.platform.{platform.pk}", f"console.platform.{neighbour.pk}", f"console.platform.{far.pk}"]


def test_no_platform_means_the_city_only():
    assert events.platform_groups([None]) == ["console.city"]


def test_a_status_change_is_sent_after_commit_with_its_version(platform, officer_unit, sent,
                                                                django_capture_on_commit_callbacks):
    officer_unit.status, officer_unit.version, officer_unit.status_reason = "unavailable", 5, "车辆故障"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events.unit_status_changed(officer_unit)
        assert sent == []
    assert len(callbacks) == 1
    assert sent == [("unit.status", {"id": officer_unit.pk, "call_sign": "人广01", "status": "unavailable",
                                     "platform": platform.pk, "version": 5, "status_reason": "车辆故障",
                                     "status_changed_at": officer_unit.status_changed_at.isoformat()},
                     ["console.city", f"console.district.{platform.district_id}", f"console.platform.{platform.pk}",
                      f"unit.{officer_unit.pk}"])]


def test_a_unit_moved_to_another_platform_is_seen_once_the_lookup_expires(officer_unit, other_platform):
    lookup = events.Lookup(lambda pk: type(officer_unit).objects.filter(pk=pk).values_list("platform_id", flat=True)
                           .first(), ttl_s=0)
    first = lookup(officer_unit.pk)
    type(officer_unit).objects.filter(pk=officer_unit.pk).update(platform=other_platform)
    assert (first, lookup(officer_unit.pk), lookup(None)) == (officer_unit.platform_id, other_platform.pk, None)


def test_a_status_set_by_hand_is_heard_once_and_a_repeat_not_at_all(platform, officer_unit, dispatcher, sent,
                                                                    django_capture_on_commit_callbacks):
    from platforms.services import unit_set_status

    with django_capture_on_commit_callbacks(execute=True):
        unit_set_status(unit=officer_unit, status="unavailable", actor=dispatcher, reason="车辆故障")
        unit_set_status(unit=officer_unit, status="unavailable", actor=dispatcher, reason="车辆故障")
    assert [(name, data["status"], data["version"], groups[-2:]) for name, data, groups in sent] == [
        ("unit.status", "unavailable", 2, [f"console.platform.{platform.pk}", f"unit.{officer_unit.pk}"])]
