"""Websocket routes, behind the origin check and the session login of command/asgi.py."""
from django.urls import path

from command.consumers import ConsoleConsumer, UnitConsumer

websocket_urlpatterns = [
    path("ws/console/", ConsoleConsumer.as_asgi()),
    path("ws/unit/<int:unit_id>/", UnitConsumer.as_asgi()),
]
