"""Live move-up's writes: suggestions kept in step with each computation (ids kept for the same
move), the order to the crew's tablet with its route (the exact event), whether the crew got there,
and the coverage over time."""
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone, translation

from planning import moveup_services
from planning.models import CoverageSample, MoveUp
from planning.moveup import Destination, Free, Moves
from platforms import events, positions
from tests import factories as f

pytestmark = pytest.mark.django_db
EAST = Destination(121.4800, 31.2350, "PP31 人民广场固定岗1", np.array([True]))
WEST = Destination(121.4650, 31.2300, "PP33 上海博物馆固定岗1", np.array([True]))


@pytest.fixture
def sent(monkeypatch):
    heard = []
    monkeypatch.setattr(events, "send_now", lambda event, data, groups: heard.append((event, data, groups)))
    return heard


@pytest.fixture
def crews(platform):
    return [f.UnitFactory(platform=platform, call_sign=f"人广0{n}") for n in (1, 2)]


def found(*moves, before=0.8, after=0.85) -> Moves:
    return Moves(before=before, after=after, moves=list(moves), by_class_before={"60": 0.5, "180": 0.9}, uncovered=0.05)


def free_of(units) -> list[Free]:
    return [Free(u.pk, 121.4737, 31.2304, np.array([True]), np.array([120.0])) for u in units]


def replace(units, *moves, now=None):
    return moveup_services.suggestions_replace(found=found(*moves), free=free_of(units), destinations=[EAST, WEST],
                                               targets=np.array([60.0]), now=now or timezone.now())


def test_the_same_move_keeps_its_id_and_another_replaces_it(crews):
    replace(crews, (0, 0, 120.0, 0.05))
    first = MoveUp.objects.get()
    replace(crews, (0, 0, 120.0, 0.04))
    assert list(MoveUp.objects.values_list("pk", "status")) == [(first.pk, "open")]
    replace(crews, (0, 1, 90.0, 0.03), (1, 0, 100.0, 0.02))
    assert sorted(MoveUp.objects.values_list("unit__call_sign", "to_label", "status")) == [
        ("人广01", "PP31 人民广场固定岗1", "dropped"), ("人广01", "PP33 上海博物馆固定岗1", "open"),
        ("人广02", "PP31 人民广场固定岗1", "open")]
    assert CoverageSample.objects.count() == 3


def test_the_consoles_hear_the_coverage_and_the_suggestions(crews, platform, sent, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        replace(crews, (1, 0, 120.0, 0.05), now=now)
    move = MoveUp.objects.get()
    coverage = {"at": now.isoformat(), "expected": 0.8, "by_class": {"60": 0.5, "180": 0.9}, "uncovered": 0.05,
                "free_units": 2}
    suggestion = {"id": move.pk, "unit": crews[1].pk, "call_sign": "人广02", "platform": platform.pk, "status": "open",
                  "from": {"lon": 121.4737, "lat": 31.2304}, "to": {"lon": 121.48, "lat": 31.235, "label": "PP31 人民广场固定岗1"},
                  "drive_s": 120.0, "gain": 0.05, "coverage_before": 0.8, "coverage_after": 0.85,
                  "made_at": now.isoformat(), "ordered_at": None, "due_by": None, "version": 1}
    assert sent == [
        ("coverage.moveup", {"coverage": coverage, "suggestions": [suggestion]}, ["console.city"]),
        ("coverage.moveup", {"coverage": coverage, "suggestions": [suggestion], "partial": True},
         [f"console.district.{platform.district_id}"]),
        ("coverage.moveup", {"coverage": coverage, "suggestions": [suggestion], "partial": True},
         [f"console.platform.{platform.pk}"])]


def test_an_order_sends_the_crew_a_relocation_with_its_route(crews, dispatcher, sent, empty_live_picture,
                                                             django_capture_on_commit_callbacks):
    replace(crews, (0, 0, 120.0, 0.05))
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        move, route = moveup_services.move_up_order(move=MoveUp.objects.get(), actor=dispatcher, now=now)
    assert (move.status, move.ordered_by, move.ordered_at, move.version) == ("ordered", dispatcher, now, 2)
    assert move.due_by == now + timedelta(seconds=route["duration_s"] * 2 + 120)
    assert route["geometry"]["coordinates"][-1] == [121.48, 31.235]
    relocation = next((data, groups) for name, data, groups in sent if name == "unit.relocation")
    assert relocation == ({"move_up": move.pk, "unit": crews[0].pk, "status": "ordered", "version": 2,
                           "target": {"lon": 121.48, "lat": 31.235, "label": "PP31 人民广场固定岗1"}, "route": route,
                           "ordered_at": now.isoformat(), "due_by": move.due_by.isoformat()}, [f"unit.{crews[0].pk}"])
    assert [name for name, _data, _groups in sent].count("coverage.moveup") == 3  # the list, with the order in it


def test_a_unit_taken_for_a_job_meanwhile_cannot_be_ordered_and_the_move_is_dropped(crews, dispatcher):
    replace(crews, (0, 0, 120.0, 0.05))
    crews[0].status = "dispatched"
    crews[0].save()
    with pytest.raises(moveup_services.Conflict) as error, translation.override("en"):
        moveup_services.move_up_order(move=MoveUp.objects.get(), actor=dispatcher)
    assert error.value.messages == ["人广01 is no longer free (Dispatched): the move-up is dropped."]
    assert MoveUp.objects.get().status == "dropped"


def test_orders_end_arrived_missed_or_dropped(crews, platform, dispatcher, empty_live_picture):
    third = f.UnitFactory(platform=platform, call_sign="人广03")
    replace([*crews, third], (0, 0, 120.0, 0.05), (1, 1, 120.0, 0.04), (2, 0, 90.0, 0.03))
    now = timezone.now()
    for move in MoveUp.objects.order_by("pk"):
        moveup_services.move_up_order(move=move, actor=dispatcher, now=now)
    positions.fixes_accept(fixes=[positions.Fix(unit_id=crews[0].pk, lon=121.4801, lat=31.2351, at=now)], source="test")
    third.status = "dispatched"
    third.save()
    MoveUp.objects.filter(unit=crews[1]).update(due_by=now - timedelta(seconds=1))
    assert moveup_services.compliance_sweep(now=now) == 3
    assert dict(MoveUp.objects.values_list("unit__call_sign", "status")) == {"人广01": "arrived", "人广02": "missed",
                                                                              "人广03": "dropped"}
    summary = moveup_services.compliance(since=now - timedelta(hours=1), until=now + timedelta(hours=1))
    assert summary == {"ordered": 3, "by_status": {"ordered": 0, "arrived": 1, "missed": 1, "dropped": 1},
                       "arrived_share": 0.3333, "coverage_mean": 0.8, "samples": 1}
