"""uvicorn as this project starts it (command.serving): websocket per-message deflate off unless the
environment says otherwise, checked on a real uvicorn against a client that offers deflate."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from websockets.sync.client import connect

from command.embedded import free_port, wait_for_port
from command.serving import DEFLATE, uvicorn_env

BASE_DIR = Path(__file__).resolve().parents[2]
ECHO_APP = "tests.command.echo_asgi:app"


def test_deflate_is_off_unless_the_environment_says_otherwise():
    assert uvicorn_env({"PATH": "/bin"}) == {"PATH": "/bin", DEFLATE: "false"}
    assert uvicorn_env({DEFLATE: "true"}) == {DEFLATE: "true"}


def test_the_images_and_the_compose_file_serve_without_deflate_by_default():
    web = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]["web"]
    assert web["environment"][DEFLATE] == "${UVICORN_WS_PER_MESSAGE_DEFLATE:-false}"
    assert f"{DEFLATE}=false" in (BASE_DIR / "Dockerfile").read_text()


def negotiated(env: dict) -> list[str]:
    """The extensions a real uvicorn agrees to with a client that offers per-message deflate."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", ECHO_APP, "--host", "127.0.0.1", "--port", str(port),
                               "--ws", "websockets", "--log-level", "warning"], env=env, cwd=BASE_DIR,
                              start_new_session=True)
    try:
        wait_for_port(port, name="uvicorn")
        with connect(f"ws://127.0.0.1:{port}/", compression="deflate") as socket:
            socket.send("ping")
            assert socket.recv(timeout=10) == "ping"
            return [extension.name for extension in socket.protocol.extensions]
    finally:
        os.killpg(server.pid, 15)
        server.wait(20)


@pytest.mark.parametrize(("setting", "extensions"), [(None, []), ("true", ["permessage-deflate"])])
def test_uvicorn_takes_the_setting(setting, extensions):
    env = {key: value for key, value in os.environ.items() if key != DEFLATE}
    if setting is not None:
        env[DEFLATE] = setting
    assert negotiated(uvicorn_env(env)) == extensions
