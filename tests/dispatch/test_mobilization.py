"""Mass mobilization (集结): head count by ETA, every zone keeping its minimum cover."""
import pytest
from django.core.exceptions import ValidationError

from dispatch.mobilization import mobilization_cancel, mobilization_confirm, mobilization_propose
from dispatch.models import Category, Mobilization, MobilizationStatus
from tests import factories as f
from tests.dispatch.support import place
from tests.places import BUND, FAR_WEST, NANJING_EAST, PEOPLES_SQUARE, PUDONG_RIVERSIDE

pytestmark = [pytest.mark.usefixtures("demo_network"), pytest.mark.django_db]


def crew(call_sign, point, officers=3):
    unit = place(f.UnitFactory(call_sign=call_sign), point)
    for _ in range(officers):
        unit.officers.add(f.OfficerFactory(platform=unit.platform, squad=unit.shift.squad))
    return unit


@pytest.fixture
def two_zones():
    """People's Square's zone keeps one unit on cover; the riverside zone keeps none."""
    square_zone = f.ZoneFactory(polygon=f.square(*PEOPLES_SQUARE, half=0.004), min_cover_units=1)
    river_zone = f.ZoneFactory(polygon=f.square(*PUDONG_RIVERSIDE, half=0.004), min_cover_units=0)
    return square_zone, river_zone


def propose(dispatcher, head_count, deadline_s=900):
    return mobilization_propose(actor=dispatcher, lon=BUND[0], lat=BUND[1], head_count=head_count,
                                deadline_s=deadline_s, reason="外滩跨年活动")


def test_units_are_taken_by_eta_until_the_head_count_but_a_zone_keeps_its_cover(dispatcher, two_zones):
    river = crew("浦东01", PUDONG_RIVERSIDE)
    square_a = crew("人广01", PEOPLES_SQUARE)
    square_b = crew("人广02", (PEOPLES_SQUARE[0] + 0.0005, PEOPLES_SQUARE[1]))
    plan = propose(dispatcher, head_count=9).proposal
    chosen = [u["unit"] for u in plan["units"]]
    assert chosen[0] == river.pk and len(chosen) == 2
    assert set(chosen[1:]) < {square_a.pk, square_b.pk}
    assert plan["kept_for_cover"] == [({square_a.pk, square_b.pk} - set(chosen)).pop()]
    assert (plan["officers"], plan["met"]) == (6, False)
    assert [point[1] for point in plan["curve"]] == [3, 6]
    assert plan["curve"][0][0] == plan["units"][0]["eta_s"]


def test_the_count_stops_once_met_and_units_beyond_the_deadline_are_not_taken(dispatcher, two_zones):
    crew("浦东01", PUDONG_RIVERSIDE, officers=4)
    crew("远西01", FAR_WEST, officers=4)
    crew("南京东01", NANJING_EAST, officers=4)
    met = propose(dispatcher, head_count=4).proposal
    assert ([u["call_sign"] for u in met["units"]], met["met"]) == (["浦东01"], True)
    short = propose(dispatcher, head_count=12, deadline_s=600).proposal
    assert [u["call_sign"] for u in short["units"]] == ["浦东01", "南京东01"]   # 远西01 needs ~770 s
    assert (short["officers"], short["met"], short["reachable_in_time"]) == (8, False, 8)


def test_confirming_dispatches_the_units_under_one_mass_event(dispatcher, two_zones):
    river = crew("浦东01", PUDONG_RIVERSIDE)
    east = crew("南京东01", NANJING_EAST)
    mobilization = propose(dispatcher, head_count=6)
    confirmed = mobilization_confirm(actor=dispatcher, mobilization=mobilization)
    incident = confirmed.incident
    assert (confirmed.status, incident.category, incident.priority) == (MobilizationStatus.CONFIRMED, Category.MASS_EVENT, 1)
    assert sorted(incident.assignments.values_list("unit_id", flat=True)) == sorted([river.pk, east.pk])
    assert (incident.units_needed, confirmed.proposal["sent"]) == (2, [u["unit"] for u in mobilization.proposal["units"]])
    with pytest.raises(ValidationError, match="can no longer be confirmed"):
        mobilization_confirm(actor=dispatcher, mobilization=confirmed)
    with pytest.raises(ValidationError, match="Only a proposed mobilization"):
        mobilization_cancel(actor=dispatcher, mobilization=confirmed)


def test_a_unit_taken_meanwhile_is_skipped_on_confirmation(dispatcher, two_zones):
    river = crew("浦东01", PUDONG_RIVERSIDE)
    east = crew("南京东01", NANJING_EAST)
    mobilization = propose(dispatcher, head_count=6)
    east.status = "unavailable"
    east.save()
    confirmed = mobilization_confirm(actor=dispatcher, mobilization=mobilization)
    assert (confirmed.proposal["sent"], confirmed.incident.units_needed) == ([river.pk], 1)


@pytest.mark.parametrize(("fields", "message"), [
    ({"head_count": 0}, "head_count"), ({"deadline_s": 10}, "deadline_s"), ({"reason": " "}, "reason"),
    ({"lon": 122.5}, "lon"),
])
def test_bad_muster_orders_are_refused_and_nothing_is_saved(dispatcher, fields, message):
    order = {"lon": BUND[0], "lat": BUND[1], "head_count": 10, "deadline_s": 600, "reason": "集结", **fields}
    with pytest.raises(ValidationError) as error:
        mobilization_propose(actor=dispatcher, **order)
    assert message in error.value.message_dict

    assert not Mobilization.objects.exists()
