"""Opening the site's websockets in tests as a browser would: its origin, its session cookie."""
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from command.asgi import application

ORIGIN = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
WAIT_S = 10.0  # generous ceiling for a message to arrive on a loaded machine; not a speed check


def login_headers(user=None, origin=ORIGIN) -> list:
    """The browser's headers: its origin and, when logged in, the session cookie (made synchronously)."""
    headers = list(origin)
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
                        .encode()))
    return headers


async def opened(path, headers):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=WAIT_S)
    return communicator, connected, code
