"""Websockets for the console and the tablet (DESIGN §4): authenticate, authorize, join groups, relay.

The channel layer's `event.relay` messages (platforms.events.publish) go out as `{event, data}`.
A console also gets `units.moved` about once a second: only the positions that changed since the last
one, worked out and encoded once per process and scope for all its consoles (command.live.moves), so
5,000 units moving at 1 Hz cost one message a second per console, not 5,000; and `officers.moved`
alike, per console (command.live.picture)."""
import asyncio
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.exceptions import ValidationError

from command.live import moves
from command.live.picture import OFFICERS, officers_moved_since
from common import json_depth
from command.live.scope import console_scope, unit_groups_of, unit_watcher
from platforms import positions
from platforms.serializers import fixes_from_batch

log = logging.getLogger(__name__)

REFUSED = 4403  # close code for a socket whose login may not watch what it asked for
MOVES_EVERY_S = moves.MOVES_EVERY_S


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Joins `self.joined` groups once authorized and relays what they hear."""

    joined: tuple[str, ...] = ()

    async def join(self, groups) -> None:
        self.joined = tuple(groups)
        for group in self.joined:
            await self._group_add(group)
        await self.accept()

    async def _group_add(self, group: str) -> None:
        """After a Valkey restart the layer's pooled connection is dead: the first use fails and the
        pool reconnects, so one more try (a moment later) joins, instead of the socket failing (500)."""
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except (ConnectionError, OSError, RedisError):
            await asyncio.sleep(0.2)
            await self.channel_layer.group_add(group, self.channel_name)

    async def disconnect(self, code):
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def event_relay(self, message):
        await self.send_json({"event": message["event"], "data": message["data"]})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Unreadable JSON (or JSON nested too deep to parse safely) is answered, not allowed to end
        the consumer (and the socket)."""
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # json.JSONDecodeError, json_depth.TooDeep
            await self.send_json({"type": "error", "detail": "Send JSON."})

    @classmethod
    async def decode_json(cls, text_data):
        return json_depth.loads(text_data)


class ConsoleConsumer(LiveConsumer):
    """`ws/console/`: the command centre hears the city, a district's supervisor the district, a
    platform's supervisor the platform (command.live.scope.console_scope); positions are scoped alike."""

    mover = None

    async def connect(self):
        scope = await database_sync_to_async(console_scope)(self.scope["user"])
        if scope is None:
            await self.close(code=REFUSED)
            return
        self.platform_ids, self.sent_officers = scope.platform_ids, {}
        await self.join(scope.groups)
        moves.tick().add(self)
        self.mover = asyncio.create_task(self.send_moves())

    async def disconnect(self, code):
        moves.tick().discard(self)
        if self.mover is not None:
            self.mover.cancel()
        await super().disconnect(code)

    async def send_moves(self):
        """The officers' positions; the units' come from this process's tick (command.live.moves)."""
        while True:
            await asyncio.sleep(MOVES_EVERY_S)
            await self.send_officers()

    async def send_officers(self):
        """Officers' own positions (issue 16), coalesced as the units' are."""
        try:
            picture = await database_sync_to_async(OFFICERS.read)()
        except Exception:  # Redis or the database away for a moment: try again next tick
            log.exception("could not read the officers' picture")
            return
        moved = officers_moved_since(picture, self.sent_officers, self.platform_ids)
        if moved["officers"] or moved["gone"]:
            await self.send_json({"event": "officers.moved", "data": {**moved, "sent_at": time.time()}})

    async def receive_json(self, content, **kwargs):
        """Consoles only listen; anything sent is answered so a client bug is visible."""
        await self.send_json({"type": "error", "detail": "This socket takes no messages."})


class UnitConsumer(LiveConsumer):
    """`ws/unit/<id>/`: the unit's crew (who may also report positions) or the command centre."""

    async def connect(self):
        self.unit_id = int(self.scope["url_route"]["kwargs"]["unit_id"])
        self.watcher = await database_sync_to_async(unit_watcher)(self.scope["user"], self.unit_id)
        if self.watcher is None:
            await self.close(code=REFUSED)
            return
        await self.join(await database_sync_to_async(unit_groups_of)(self.unit_id))

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("type") != "fixes":
            await self.send_json({"type": "error", "detail": "Send {\"type\": \"fixes\", \"fixes\": [...]}."})
        elif self.watcher != "crew":
            await self.send_json({"type": "error", "detail": "Only the unit's crew reports its position."})
        else:
            # Off the one thread-sensitive executor every socket of the process shares: fixes from
            # hundreds of tablets queued behind each other there (bench ingest-ws: message p50 3.2 s
            # with the server mostly idle). Reporting writes to Redis and reads no request state.
            report = database_sync_to_async(self.fixes_report, thread_sensitive=False)
            await self.send_json(await report(content.get("fixes")))

    def fixes_report(self, items) -> dict:
        """The tablet's fixes, each for this socket's unit whatever it says: the counts back."""
        if isinstance(items, list):
            items = [{**item, "unit": self.unit_id} if isinstance(item, dict) else item for item in items]
        try:
            fixes = fixes_from_batch({"fixes": items}, limit=settings.AVL_BATCH_MAX)
        except ValidationError as error:
            return {"type": "fixes.refused", "errors": error.detail}
        result = positions.fixes_accept(fixes=fixes, source="websocket", credential=f"session:{self.scope['user'].pk}")
        return {"type": "fixes.result", "accepted": result.accepted, "rejected": result.rejected}
