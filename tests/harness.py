"""The test harness: a real PostgreSQL and a real Valkey for the whole run, unless DATABASE_URL /
REDIS_URL point elsewhere. Loaded as a plugin (`-p tests.harness`) so the servers are up and the
variables set before pytest-django reads the settings; stopped and removed when the run ends.

Each run gets its own pair under .local/test-run-<pid>, so two runs at once (a developer's and
CI's, say) never share a test database. Leftovers of a run that died are cleaned up first.

With pytest-xdist (`make test` runs three workers) each worker is a run of its own: its own pair under
its own pid, so no test sees another worker's live map, queues or databases. The controller runs no
test and starts nothing. Under given URLs, the workers share the PostgreSQL server (pytest-django
names each worker's test database apart) and each takes a Valkey database number of its own.
The module `tests.scheduling` decides which worker runs what."""
import os
import shutil
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import psutil
import psycopg
import pytest

from command import embedded

RUN_DIR = embedded.LOCAL_DIR / f"test-run-{os.getpid()}"
STATEMENT_TIMEOUT_MS = 120_000
PER_WORKER = "TEST_HARNESS_PER_WORKER"  # set by the controller: the workers start their own servers
UNUSED_URLS = {"DATABASE_URL": "postgresql://unused@127.0.0.1:9/unused", "REDIS_URL": "redis://127.0.0.1:9/0"}
_started: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    _clean_up_dead_runs()
    if _is_xdist_controller(early_config):
        _leave_servers_to_the_workers()
        return
    if os.environ.get(PER_WORKER):
        for name in (*UNUSED_URLS, "DATABASE_OWNER_URL"):
            os.environ.pop(name, None)
    elif os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _worker_redis_db(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])
    if not os.environ.get("DATABASE_URL"):
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        _steady_planner(embedded.postgres_url(RUN_DIR / "postgres", role=None))
        # As in production: the tests' code connects as the app's role, the owner role makes and
        # migrates the test database (tests/conftest.py switches between them).
        os.environ["DATABASE_URL"] = _with_statement_timeout(embedded.postgres_url(RUN_DIR / "postgres"))
        os.environ["DATABASE_OWNER_URL"] = _with_statement_timeout(embedded.postgres_owner_url(RUN_DIR / "postgres"))
        _started.append("postgres")
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = embedded.valkey_url(RUN_DIR / "valkey")
        _started.append("valkey")


def _is_xdist_controller(early_config) -> bool:
    return not os.environ.get("PYTEST_XDIST_WORKER") and bool(getattr(early_config.known_args_namespace, "numprocesses", None))


def _leave_servers_to_the_workers() -> None:
    """The controller imports the settings but connects to nothing: URLs that are never used, unless
    given. The workers inherit its environment, and start their own pair where these stand."""
    if os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL"):
        return
    os.environ.update(UNUSED_URLS)
    os.environ[PER_WORKER] = "1"


def _worker_redis_db(url: str, worker: str) -> str:
    """gw0 -> db 4, gw1 -> db 5, ...: clear of the demo's (3) and the benches' (11-13). The benches'
    numbers stay shared: under given URLs, run them on one worker."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{4 + int(worker.removeprefix('gw'))}"))


def _steady_planner(url: str) -> None:
    """Autovacuum off in the run's own server. Seen: a seeding query of the demo city running for
    minutes, active and waiting on no lock, a different test timing out in each run that met it.
    The likely cause (inferred, not traced): the demo city's modules seed thousands of rows in a
    transaction they roll back; autovacuum vacuums the dead rows while the next module's transaction
    holds the table, cannot truncate it, and records pages of zero rows; the next seed's rows are
    then planned as one row, with nested loops over thousands. With autovacuum off every run plans
    alike; whatever seeds in bulk ANALYZEs what it made (seed_demo does). Statements over 2 s are
    logged and listed at the end of the run."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET autovacuum = off")
        conn.execute("ALTER SYSTEM SET log_min_duration_statement = '2s'")
        conn.execute("SELECT pg_reload_conf()")


def _with_statement_timeout(url: str) -> str:
    """A runaway statement fails its own test with the database's message after 120 s, instead of
    pytest-timeout interrupting the client mid-query and leaving the connection busy for every test
    after it."""
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode({"options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}, quote_via=quote)]))
    return urlunsplit(parts._replace(query=query))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if "postgres" not in _started:
        return
    log = RUN_DIR / "postgres" / "log"
    slow = [line.strip() for line in log.read_text(errors="replace").splitlines() if "duration:" in line] if log.exists() else []
    if slow:
        terminalreporter.section("statements slower than 2 s (the run's PostgreSQL log)")
        for line in slow[:20]:
            terminalreporter.write_line(line[:600])


def pytest_unconfigure(config):
    if _started:
        _stop(RUN_DIR)


def _stop(run_dir) -> None:
    embedded.postgres_stop(run_dir / "postgres")
    embedded.valkey_stop(run_dir / "valkey")
    shutil.rmtree(run_dir, ignore_errors=True)


def _clean_up_dead_runs() -> None:
    for run_dir in embedded.LOCAL_DIR.glob("test-run-*"):
        pid = int(run_dir.name.rsplit("-", 1)[1])
        if not psutil.pid_exists(pid):
            _stop(run_dir)
