"""The environment uvicorn is started with, wherever this project starts it (the demo, the benches,
the browser tests' server; the Dockerfile and docker-compose.yml set the same), so that what is
measured is what runs.

WebSocket per-message deflate is off unless `UVICORN_WS_PER_MESSAGE_DEFLATE` says otherwise (uvicorn
reads its options from `UVICORN_*` variables). Measured with `manage.py bench fanout --units 10000
--consoles 50 --tablets 5000 --web-processes 2` (README, "Live fan-out"): compressing each console's
`units.moved` for each socket was most of the web processes' work (fix -> console p99 3.5 s with it,
2.2 s without; order -> tablet p99 5.2 s against 1.0 s), and zlib's two contexts per socket cost
about 90 KB of memory each (144 KB per tablet socket with it, 55 KB without). The price is bandwidth:
a console over 10,000 moving units takes about half a megabyte a second uncompressed. A deployment
whose consoles sit behind a thin line sets the variable to true."""
import os

DEFLATE = "UVICORN_WS_PER_MESSAGE_DEFLATE"


def uvicorn_env(env: dict | None = None) -> dict:
    """`env` (by default this process's) with per-message deflate off unless it says otherwise."""
    env = dict(os.environ if env is None else env)
    env.setdefault(DEFLATE, "false")
    return env
