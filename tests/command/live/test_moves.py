"""`units.moved` from one tick per process: the changes worked out once, encoded once per scope, the
whole picture to a console that has just joined (command.live.moves). The sockets end to end are in
tests/command/test_consumers.py."""
import asyncio
import json

from command.live import moves

CITY, PLATFORM_10 = None, frozenset({10})


class Console:
    """What the tick needs of a console: its scope and a send that keeps what it was sent."""

    def __init__(self, platform_ids):
        self.platform_ids, self.texts = platform_ids, []

    async def send(self, text_data):
        self.texts.append(text_data)

    def heard(self) -> list[dict]:
        return [{k: v for k, v in json.loads(text)["data"].items() if k != "sent_at"} for text in self.texts]


def test_changes_are_the_rows_moved_or_turned_stale_and_the_units_gone():
    before = {1: (10, 121.1, 31.1, 1000, False), 2: (11, 121.2, 31.2, 2000, True), 3: (10, 121.3, 31.3, 3000, False)}
    now = {1: (10, 121.1, 31.1, 1000, True), 2: (11, 121.25, 31.2, 2500, True), 3: (10, 121.3, 31.3, 3000, False),
           4: (11, 121.4, 31.4, 4000, False)}
    assert moves.changes(before, now) == ([(10, [1, 121.1, 31.1, 1000, True]), (11, [2, 121.25, 31.2, 2500, True]),
                                           (11, [4, 121.4, 31.4, 4000, False])], [])
    assert moves.changes(now, {4: now[4]}) == ([], [(10, 1), (11, 2), (10, 3)])
    assert moves.whole({4: now[4]}) == ([(11, [4, 121.4, 31.4, 4000, False])], [])


def test_a_message_is_scoped_and_none_when_nothing_in_scope_changed():
    found = ([(10, [1, 121.1, 31.1, 1000, False]), (11, [2, 121.2, 31.2, 2000, True])], [(11, 3)])
    assert json.loads(moves.message(*found, CITY, 5.0)) == {
        "event": "units.moved", "data": {"units": [[1, 121.1, 31.1, 1000, False], [2, 121.2, 31.2, 2000, True]],
                                         "gone": [3], "sent_at": 5.0}}
    assert json.loads(moves.message(*found, PLATFORM_10, 5.0))["data"] == {
        "units": [[1, 121.1, 31.1, 1000, False]], "gone": [], "sent_at": 5.0}
    assert moves.message(*found, frozenset({12}), 5.0) is None
    assert moves.message([], [], CITY, 5.0) is None


def test_joining_consoles_get_the_whole_picture_then_only_the_changes():
    tick = moves.Tick()
    city, platform = Console(CITY), Console(PLATFORM_10)
    first = {1: (10, 121.1, 31.1, 1000, False), 2: (11, 121.2, 31.2, 2000, False)}
    second = {1: (10, 121.1, 31.1, 1000, False), 2: (11, 121.21, 31.2, 3000, False)}
    third = {2: (11, 121.21, 31.2, 3000, False)}

    async def scenario():
        tick.joining |= {city, platform}
        await tick.send(first)
        late = Console(CITY)
        tick.joining.add(late)
        await tick.send(second)
        await tick.send(third)
        return late

    late = asyncio.run(scenario())
    assert city.heard() == [{"units": [[1, 121.1, 31.1, 1000, False], [2, 121.2, 31.2, 2000, False]], "gone": []},
                            {"units": [[2, 121.21, 31.2, 3000, False]], "gone": []},
                            {"units": [], "gone": [1]}]
    assert platform.heard() == [{"units": [[1, 121.1, 31.1, 1000, False]], "gone": []},  # nothing of its own moved
                                {"units": [], "gone": [1]}]
    assert late.heard() == [{"units": [[1, 121.1, 31.1, 1000, False], [2, 121.21, 31.2, 3000, False]], "gone": []},
                            {"units": [], "gone": [1]}]
    assert late.texts[1] is city.texts[2]  # one encoding for the consoles of one scope


def test_a_console_that_left_is_sent_nothing_more():
    tick = moves.Tick()
    stays, leaves = Console(CITY), Console(CITY)

    async def scenario():
        tick.joining |= {stays, leaves}
        await tick.send({1: (10, 121.1, 31.1, 1000, False)})
        tick.discard(leaves)
        await tick.send({1: (10, 121.1, 31.1, 2000, False)})

    asyncio.run(scenario())
    assert (len(stays.texts), len(leaves.texts)) == (2, 1)
    assert (tick.watching, tick.joining) == ({stays}, set())
