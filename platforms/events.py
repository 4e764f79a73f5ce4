"""Real-time events for resources, sent after commit (DESIGN §4).

`publish` is the one door to the channel layer for this app and for `dispatch` (which may import
us, not the other way round). Delivery through the layer is at most once; clients recover from the
REST snapshot, so a failed send is logged and never undoes or fails the committed write.
"""
import asyncio
import logging
import os
import threading
import time

from channels.layers import get_channel_layer
from django.db import transaction

from platforms.models import Platform, Unit

log = logging.getLogger(__name__)

CITY = "console.city"


def district_group(district_id) -> str:
    return f"console.district.{district_id}"


def platform_group(platform_id) -> str:
    return f"console.platform.{platform_id}"


def unit_group(unit_id) -> str:
    return f"unit.{unit_id}"


def publish(event: str, data: dict, groups) -> None:
    """Send `event` with `data` to `groups` once the current transaction commits."""
    groups = [group for group in dict.fromkeys(groups) if group]
    transaction.on_commit(lambda: send_now(event, data, groups))


def send_now(event: str, data: dict, groups) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "event.relay", "event": event, "data": data, "sent_at": time.time()}
    try:
        PUBLISHER.send(layer, list(groups), message)
    except Exception:  # the write is committed; clients resync from the snapshot
        log.exception("could not publish %s to %s", event, groups)


class Publisher:
    """One event loop per process, in a thread of its own, through which sync code sends to the
    channel layer. `async_to_sync` from sync code makes and closes an event loop per call, and
    channels-redis opens new connections for every new loop: a publish to three groups cost three
    new Redis connections and 11 ms (measured). Here the layer keeps its connections."""

    def __init__(self, timeout_s: float = 5.0):
        self.timeout_s, self._loop, self._pid, self._lock = timeout_s, None, None, threading.Lock()

    def send(self, layer, groups: list[str], message: dict) -> None:
        asyncio.run_coroutine_threadsafe(_send_all(layer, groups, message), self._running_loop()).result(self.timeout_s)

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # a forked worker starts its own
                self._loop, self._pid = asyncio.new_event_loop(), os.getpid()
                threading.Thread(target=self._loop.run_forever, name="channel-layer-publisher", daemon=True).start()
            return self._loop


async def _send_all(layer, groups: list[str], message: dict) -> None:
    for group in groups:
        try:
            await layer.group_send(group, message)
        except Exception:  # one group's failure leaves the others their news
            log.exception("could not publish %s to %s", message["event"], group)


PUBLISHER = Publisher()


class Lookup:
    """A small read-through cache of a row's platform or district: events are published many times a
    second and those almost never change; a change is seen within `ttl_s`."""

    def __init__(self, query, ttl_s: float = 60.0):
        self.query, self.ttl_s, self.values = query, ttl_s, {}

    def __call__(self, pk):
        if pk is None:
            return None
        value, at = self.values.get(pk, (None, -self.ttl_s))
        if time.monotonic() - at >= self.ttl_s:
            value = self.query(pk)
            self.values[pk] = (value, time.monotonic())
        return value


platform_district = Lookup(lambda pk: Platform.objects.filter(pk=pk).values_list("district_id", flat=True).first())
unit_platform = Lookup(lambda pk: Unit.objects.filter(pk=pk).values_list("platform_id", flat=True).first())


def platform_groups(platform_ids) -> list[str]:
    """The consoles that watch these platforms: the city, their districts', their own (in that order)."""
    platform_ids = [pk for pk in dict.fromkeys(platform_ids) if pk is not None]
    districts = [district_group(district) for pk in platform_ids if (district := platform_district(pk)) is not None]
    return list(dict.fromkeys([CITY, *districts, *(platform_group(pk) for pk in platform_ids)]))


def unit_groups(unit: Unit) -> list[str]:
    """Where news of a unit goes: its platform's consoles and its own tablet; no query once cached."""
    return [*platform_groups([unit.platform_id]), unit_group(unit.pk)]


def unit_payload(unit: Unit) -> dict:
    return {"id": unit.pk, "call_sign": unit.call_sign, "status": unit.status, "platform": unit.platform_id,
            "status_changed_at": unit.status_changed_at.isoformat(), "status_reason": unit.status_reason,
            "version": unit.version}


def unit_status_changed(unit: Unit) -> None:
    publish("unit.status", unit_payload(unit), unit_groups(unit))
