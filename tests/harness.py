"""The test harness: a real PostgreSQL and a real Valkey for the whole run, unless DATABASE_URL /
REDIS_URL point elsewhere. Loaded as a plugin (`-p tests.harness`) so the servers are up and the
variables set before pytest-django reads the settings; stopped and removed when the run ends.

Each run gets its own pair under .local/test-run-<pid>, so two runs at once (a developer's and
CI's, say) never share a test database. Leftovers of a run that died are cleaned up first."""
import os
import shutil

import psutil
import pytest

from command import embedded

RUN_DIR = embedded.LOCAL_DIR / f"test-run-{os.getpid()}"
_started: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    _clean_up_dead_runs()
    if not os.environ.get("DATABASE_URL"):
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = embedded.postgres_url(RUN_DIR / "postgres")
        _started.append("postgres")
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = embedded.valkey_url(RUN_DIR / "valkey")
        _started.append("valkey")


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
