"""The test harness: a real PostgreSQL and a real Valkey for the whole run, unless DATABASE_URL /
REDIS_URL point elsewhere. Loaded as a plugin (`-p tests.harness`) so the servers are up and the
variables set before pytest-django reads the settings; stopped and removed when the run ends.

Each run gets its own pair under .local/test-run-<pid>, so two runs at once (a developer's and
CI's, say) never share a test database. Leftovers of a run that died are cleaned up first."""
import os
import shutil
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import psutil
import psycopg
import pytest

from command import embedded

RUN_DIR = embedded.LOCAL_DIR / f"test-run-{os.getpid()}"
STATEMENT_TIMEOUT_MS = 120_000
_started: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    _clean_up_dead_runs()
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
