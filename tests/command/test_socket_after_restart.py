"""Issue 19, low 8: the first websocket after a Valkey restart got a 500 — the channel layer's pooled
connection was dead and joining the group failed. It tries once more (the pool has reconnected)."""
import pytest
import redis
from channels_redis.core import RedisChannelLayer

from tests.command.test_consumers import connect_outcome

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_socket_joins_though_the_layers_first_try_fails(dispatcher, monkeypatch):
    real, failures = RedisChannelLayer.group_add, []

    async def dead_then_alive(self, group, channel):
        if not failures:
            failures.append(group)
            raise redis.exceptions.ConnectionError("Connection closed by server.")
        return await real(self, group, channel)

    monkeypatch.setattr(RedisChannelLayer, "group_add", dead_then_alive)
    assert connect_outcome("/ws/console/", dispatcher) == (True, None)
    assert failures == ["console.city"]
