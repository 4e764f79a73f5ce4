"""What the tablet's position reporting (static/command/lib/tablet.js) counts on from its unit socket:
a batch sent again after its answer was lost changes nothing, a parked tablet's repeat moves the
fix's time on and not the unit, and fixes kept offline and sent oldest first all reach the track."""
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from platforms import positions
from tests.command.sockets import WAIT_S, login_headers, opened

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_live_picture")]


def fix(lon: float, lat: float, at) -> dict:
    return {"lon": lon, "lat": lat, "at": at.isoformat(), "accuracy": 12.0}


def send_over_socket(officer, unit, *batches) -> list[dict]:
    """Each batch over one tablet socket, each answer awaited before the next is sent (as the page does)."""
    headers = login_headers(officer)

    async def scenario():
        tablet, connected, _ = await opened(f"/ws/unit/{unit.pk}/", headers)
        assert connected
        answers = []
        for batch in batches:
            await tablet.send_json_to({"type": "fixes", "fixes": batch})
            answers.append(await tablet.receive_json_from(WAIT_S))
        await tablet.disconnect()
        return answers

    return async_to_sync(scenario)()


def track(unit) -> list[tuple[float, float, int]]:
    entries = positions.redis_client().xrange(positions.key("track"))
    return [(float(fields[b"x"]), float(fields[b"y"]), int(fields[b"t"])) for _, fields in entries
            if int(fields[b"u"]) == unit.pk]


def ms(at) -> int:
    return round(at.timestamp() * 1000)


def test_a_batch_sent_again_after_its_answer_was_lost_changes_nothing(officer, officer_unit):
    at = timezone.now().replace(microsecond=0) - timedelta(seconds=10)
    batch = [fix(121.4801, 31.2333, at), fix(121.4805, 31.2336, at + timedelta(seconds=1))]
    first, again = send_over_socket(officer, officer_unit, batch, batch)
    assert first == {"type": "fixes.result", "accepted": 2, "rejected": {}}
    assert again == {"type": "fixes.result", "accepted": 0, "rejected": {"duplicate": 1, "out_of_order": 1}}
    live = positions.live_positions([officer_unit.pk])[officer_unit.pk]
    assert (live.lon, live.lat, live.at) == (121.4805, 31.2336, at + timedelta(seconds=1))
    assert track(officer_unit) == [(121.4801, 31.2333, ms(at)), (121.4805, 31.2336, ms(at) + 1000)]


def test_a_parked_tablets_repeat_moves_the_time_on_not_the_unit(officer, officer_unit):
    at = timezone.now().replace(microsecond=0) - timedelta(seconds=10)
    taken, repeated = fix(121.4801, 31.2333, at), {"lon": 121.4801, "lat": 31.2333, "at": (at + timedelta(seconds=5)).isoformat()}
    answers = send_over_socket(officer, officer_unit, [taken], [repeated])
    assert answers == [{"type": "fixes.result", "accepted": 1, "rejected": {}}] * 2
    live = positions.live_positions([officer_unit.pk])[officer_unit.pk]
    assert (live.lon, live.lat, live.at, live.stale) == (121.4801, 31.2333, at + timedelta(seconds=5), False)
    assert [point[2] - ms(at) for point in track(officer_unit)] == [0, 5000]


def test_fixes_kept_offline_and_sent_oldest_first_all_reach_the_track(officer, officer_unit):
    start = timezone.now().replace(microsecond=0) - timedelta(seconds=120)
    path = [fix(121.4700 + i * 0.0001, 31.2300, start + timedelta(seconds=i)) for i in range(60)]
    # The page sends at most 50 a message, the next batch once the first is answered.
    answers = send_over_socket(officer, officer_unit, path[:50], path[50:])
    assert answers == [{"type": "fixes.result", "accepted": 50, "rejected": {}},
                       {"type": "fixes.result", "accepted": 10, "rejected": {}}]
    assert track(officer_unit) == [(item["lon"], item["lat"], ms(start) + i * 1000) for i, item in enumerate(path)]
    live = positions.live_positions([officer_unit.pk])[officer_unit.pk]
    assert (live.lon, live.lat, live.at) == (path[-1]["lon"], 31.2300, start + timedelta(seconds=59))
