"""Websocket routes. The consumers arrive with the real-time issue; the stack is wired now."""
websocket_urlpatterns: list = []
