"""Every app's API under /api/v1/."""
from django.urls import include, path

from command.live_api import ConsoleSnapshotView, MessageReadView, UnitMessagesView, UnitSnapshotView

urlpatterns = [
    path("", include("grid.urls")),
    path("", include("platforms.urls")),
    path("", include("dispatch.urls")),
    path("console/snapshot", ConsoleSnapshotView.as_view(), name="console-snapshot"),
    path("units/<int:unit_id>/snapshot", UnitSnapshotView.as_view(), name="unit-snapshot"),
    path("units/<int:unit_id>/messages", UnitMessagesView.as_view(), name="unit-messages"),
    path("messages/<int:message_id>/read", MessageReadView.as_view(), name="message-read"),
]
