"""`make demo`: migrate, import the demo road network, seed the demo city, then run the production topology on this machine —
the ASGI web server, a Celery worker and Celery beat — until Ctrl-C (or --run-for seconds)."""
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from command.demo.seed import DEMO_USERS
from command.serving import uvicorn_env

OFFICER_CHECK_S = 10.0  # how soon after a shift change the demo officer's login has a crew on duty again


class Command(BaseCommand):
    help = "Start the whole demo: embedded services, migrations, demo city, web + worker + beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("DEMO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_PORT", "8000")))
        parser.add_argument("--password", default="shanghai110")
        parser.add_argument("--run-for", type=float, default=None, help="stop after this many seconds (smoke tests)")
        parser.add_argument("--no-simulator", action="store_true", help="do not start the live simulator")
        parser.add_argument("--history-days", type=int, default=int(os.environ.get("DEMO_HISTORY_DAYS", "400")),
                            help="days of history seeded in the background once (manage.py seed_history); 0: none")

    def handle(self, *args, host, port, password, run_for, no_simulator=False, history_days=0, **options):
        if settings.PRODUCTION:
            raise CommandError("`demo` seeds known passwords: it runs only in development mode")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("import_roads")  # a no-op once the demo extract is imported
        call_command("seed_demo", password=password)
        processes = self._start(host, port, simulator=not no_simulator)
        history = self._seed_history(history_days)
        self._announce(host, port, password)
        try:
            self._supervise(processes, run_for)
        finally:
            if history is not None and history.poll() is None:
                self._stop({"history": history})

    def _seed_history(self, days: int) -> subprocess.Popen | None:
        """The review pages' past (analysis/): seeded beside the running demo at a low priority, so the
        demo starts as fast as without it; days seeded already are kept, so only the first start
        pays (about a minute for 400 days) and a later one tops up the days since."""
        if days <= 0:
            return None
        env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL, "PYTHONUNBUFFERED": "1"}
        return self._spawn("history", ["nice", "-n", "10", sys.executable, "manage.py", "seed_history", "--days", str(days)],
                           env)

    def _start(self, host: str, port: int, *, simulator: bool = True) -> dict[str, subprocess.Popen]:
        # The children get the URLs explicitly, so they reuse this run's services instead of racing
        # to start their own.
        env = uvicorn_env({**os.environ, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL,
                           "PYTHONUNBUFFERED": "1"})
        python = sys.executable
        commands = {
            "web": [python, "-m", "uvicorn", "command.asgi:application", "--host", host, "--port", str(port),
                    "--ws", "websockets", "--log-level", "warning"],
            "worker": [python, "-m", "celery", "-A", "command", "worker", "-l", "warning", "--concurrency", "2",
                       "-n", "demo-worker@%h"],
            "beat": [python, "-m", "celery", "-A", "command", "beat", "-l", "warning",
                     "--schedule", str(settings.BASE_DIR / ".local" / "celerybeat-schedule")],
        }
        if simulator:
            # The live simulator moves the units and makes calls through the HTTP API, as a dispatcher.
            env["SIMULATOR_TOKEN"] = simulator_token()
            commands["sim"] = [python, "manage.py", "simulate", "--base-url", f"http://{host}:{port}"]
        return {name: self._spawn(name, command, env) for name, command in commands.items()}

    def _spawn(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   cwd=settings.BASE_DIR, start_new_session=True)
        threading.Thread(target=self._relay, args=(name, process), daemon=True).start()
        return process

    def _relay(self, name: str, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.stdout.write(f"{name:>6} | {line.rstrip()}")

    def _announce(self, host: str, port: int, password: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nThe demo city is up: http://{host}:{port}/"))
        self.stdout.write(f"Logins (password {password!r}):")
        for username, role, scope in DEMO_USERS:
            self.stdout.write(f"  {username:<20} {role}{' ' + str(scope) if scope else ''}")
        self.stdout.write("API docs: /api/v1/docs/   admin: /admin/   Ctrl-C stops web, worker and beat.\n")

    def _supervise(self, processes: dict[str, subprocess.Popen], run_for: float | None) -> None:
        deadline = time.monotonic() + run_for if run_for else None
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the demo like Ctrl-C
        checked = 0.0
        try:
            while deadline is None or time.monotonic() < deadline:
                dead = [name for name, p in processes.items() if p.poll() is not None]
                if dead:
                    raise CommandError(f"{', '.join(dead)} stopped unexpectedly; stopping the rest")
                if time.monotonic() - checked >= OFFICER_CHECK_S:
                    checked = time.monotonic()
                    self._officer_on_duty()
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._stop(processes)

    def _officer_on_duty(self) -> None:
        from django.db import DatabaseError

        from command.demo.seed import officer_login_keep_on_duty

        try:
            if officer_login_keep_on_duty():
                self.stdout.write("shift change: the officer login now crews a unit of the shift on duty")
        except DatabaseError as error:  # the database away for a moment: the next check tries again
            self.stderr.write(f"could not check the officer login's crew: {error}")

    def _stop(self, processes: dict[str, subprocess.Popen]) -> None:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.stdout.write("demo stopped")


def simulator_token() -> str:
    """The API token of the `simulator` login (a dispatcher with no password), made on first use."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from command.models import Membership
    from common.roles import Role

    user, created = get_user_model().objects.get_or_create(username="simulator")
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.update_or_create(user=user, defaults={"role": Role.DISPATCHER, "platform": None, "district": None})
    token = Token.objects.get_or_create(user=user)[0]
    if not token_fresh(token):  # tokens expire (API_TOKEN_DAYS): a demo kept running for weeks makes a new one
        token.delete()
        token = Token.objects.create(user=user)
    return token.key


def token_fresh(token) -> bool:
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    return token.created > timezone.now() - timedelta(days=settings.API_TOKEN_DAYS - 1)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
