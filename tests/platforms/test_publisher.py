"""The process's one publishing loop: sync code reaches the channel layer without a new event loop,
and so without new Redis connections, per publish; what it sends arrives."""
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from platforms import events
from platforms.positions import redis_client


def connections_so_far() -> int:
    return redis_client().info("stats")["total_connections_received"]


def test_publishing_keeps_the_layers_connections():
    events.send_now("test.warm", {"id": 0}, ["console.city", "console.district.1", "console.platform.1"])
    before = connections_so_far()
    for n in range(20):
        events.send_now("test.ping", {"id": n}, ["console.city", "console.district.1", "console.platform.1"])
    assert connections_so_far() == before


def test_what_is_published_arrives_in_each_group():
    layer = get_channel_layer()

    async def listen_then_publish():
        channels = {group: await layer.new_channel() for group in ("console.city", "console.platform.7")}
        for group, channel in channels.items():
            await layer.group_add(group, channel)
        from asgiref.sync import sync_to_async

        await sync_to_async(events.send_now)("unit.status", {"id": 42}, list(channels))
        heard = {group: await layer.receive(channel) for group, channel in channels.items()}
        for group, channel in channels.items():
            await layer.group_discard(group, channel)
        return heard

    heard = async_to_sync(listen_then_publish)()
    assert {group: (m["type"], m["event"], m["data"]) for group, m in heard.items()} == {
        "console.city": ("event.relay", "unit.status", {"id": 42}),
        "console.platform.7": ("event.relay", "unit.status", {"id": 42})}


def test_a_forked_process_starts_its_own_loop(monkeypatch):
    publisher = events.Publisher()
    first = publisher._running_loop()
    assert publisher._running_loop() is first
    monkeypatch.setattr(events.os, "getpid", lambda: -1)   # as in a prefork child after fork
    assert publisher._running_loop() is not first
