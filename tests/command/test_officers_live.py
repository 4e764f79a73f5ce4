"""The console's officer layer (issue 16): the snapshot's `officers` and the coalesced `officers.moved`,
scoped as the units are; names and crews sent the first time a console hears of an officer."""
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from asgiref.sync import async_to_sync

from command.live import picture as live_picture
from platforms import handsets, positions
from tests import factories as f
from tests.api_support import client_as
from tests.command.sockets import WAIT_S, login_headers, opened

pytestmark = pytest.mark.django_db(transaction=True)

SQUARE = (121.4737, 31.2304)


@pytest.fixture(autouse=True)
def _empty_pictures():
    positions.avl_wipe()
    handsets.handsets_wipe()
    live_picture.PICTURE.read_at = live_picture.OFFICERS.read_at = float("-inf")
    yield
    positions.avl_wipe()
    handsets.handsets_wipe()
    live_picture.OFFICERS.read_at = float("-inf")


def on_handset(officer, where=SQUARE, at=None):
    at = at or datetime.now(dt_timezone.utc).replace(microsecond=0)
    handsets.handset_report(officer=officer, fixes=[positions.Fix(lon=where[0], lat=where[1], at=at)])
    return at


def test_the_snapshot_lists_every_officer_on_duty_with_a_handset(request, officer, officer_unit, other_platform):
    at = on_handset(officer.officer)
    stranger = f.OfficerFactory(platform=other_platform, name="远警官")
    f.UnitFactory(platform=other_platform, call_sign="远01").officers.add(stranger)
    on_handset(stranger, (121.4800, 31.2350))
    f.OfficerFactory(platform=officer_unit.platform, name="没有手机")  # on no crew, no handset: not shown
    city = client_as(request, "dispatcher").get("/api/v1/console/snapshot").json()["officers"]
    assert [(row["name"], row["call_sign"], row["unit"], row["at_ms"], row["stale"]) for row in city] == [
        ("李警官", "人广01", officer_unit.pk, round(at.timestamp() * 1000), False),
        ("远警官", "远01", stranger.units.get().pk, row_at(city, "远警官"), False)]
    platform = client_as(request, "supervisor").get("/api/v1/console/snapshot").json()["officers"]
    assert [row["name"] for row in platform] == ["李警官"]


def row_at(rows, name):
    return next(row["at_ms"] for row in rows if row["name"] == name)


def test_officers_moved_reaches_the_consoles_that_may_see_them(officer, officer_unit, dispatcher, supervisor,
                                                               other_platform):
    far_supervisor = f.UserFactory(username="far-supervisor")
    f.membership(far_supervisor, "supervisor", platform=other_platform)
    at = on_handset(officer.officer)

    headers = [login_headers(user) for user in (dispatcher, supervisor, far_supervisor)]

    async def scenario():
        city, _, _ = await opened("/ws/console/", headers[0])
        own, _, _ = await opened("/ws/console/", headers[1])
        far, _, _ = await opened("/ws/console/", headers[2])
        heard = [await city.receive_json_from(WAIT_S), await own.receive_json_from(WAIT_S)]
        quiet = await far.receive_nothing(timeout=1.5)
        for communicator in (city, own, far):
            await communicator.disconnect()
        return heard, quiet

    heard, quiet = async_to_sync(scenario)()
    me = officer.officer
    row = [me.pk, SQUARE[0], SQUARE[1], round(at.timestamp() * 1000), False, officer_unit.pk, None, False,
           "李警官", "人广01", "police"]
    for message in heard:
        assert message["event"] == "officers.moved"
        assert (message["data"]["officers"], message["data"]["gone"]) == ([row], [])
    assert quiet is True


def test_only_what_changed_is_sent_again_and_a_crew_is_named_once():
    sent = {}
    picture = {7: (1, 121.47, 31.23, 1000, False, 3, 12, False, "李警官", "人广01", "police")}
    first = live_picture.officers_moved_since(picture, sent, None)
    assert first == {"officers": [[7, 121.47, 31.23, 1000, False, 3, 12, False, "李警官", "人广01", "police"]],
                     "gone": []}
    assert live_picture.officers_moved_since(picture, sent, None) == {"officers": [], "gone": []}
    picture[7] = (1, 121.48, 31.23, 2000, False, 3, 320, True, "李警官", "人广01", "police")
    assert live_picture.officers_moved_since(picture, sent, None) == {
        "officers": [[7, 121.48, 31.23, 2000, False, 3, 320, True]], "gone": []}
    assert live_picture.officers_moved_since({}, sent, None) == {"officers": [], "gone": [7]}
    assert live_picture.officers_moved_since(picture, {}, {2}) == {"officers": [], "gone": []}
