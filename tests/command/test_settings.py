"""Settings come from the environment and fail loudly; production refuses defaults."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from command import env

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_MODE": "production",
    "SECRET_KEY": "k" * 10 + "9f3Jq-x_Lr0aP2mZ7vB4nC8dE1hG6tY5uI0oW3sR2eQ" + "zz",
    "ALLOWED_HOSTS": "dispatch.example.org",
    "DATABASE_URL": "postgresql://dispatch:pw@db.example.org:5432/dispatch",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "AVL_DEVICE_ENDPOINT": "keys",  # each tracker its own key (issue 19); "open" refuses to start
}


def manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DEBUG"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=clean | environ,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("override, message", [
    ({"SECRET_KEY": ""}, "SECRET_KEY is required"),
    ({"SECRET_KEY": "django-insecure-" + "a1" * 30}, "default or weak key"),
    ({"SECRET_KEY": "changeme"}, "default or weak key"),
    ({"DEBUG": "true"}, "DEBUG=true is not allowed"),
    ({"DEBUG": "flase"}, "is not a boolean"),
    ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required"),
    ({"DATABASE_URL": ""}, "DATABASE_URL is required"),
    ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "must be a PostgreSQL URL"),
    ({"REDIS_URL": "memcached://x"}, "REDIS_URL must start with"),
    ({"DJANGO_MODE": "staging"}, "must be one of: development, production"),
    ({"AVL_DEVICE_ENDPOINT": "open"}, "AVL_DEVICE_ENDPOINT=open is not allowed with DJANGO_MODE=production"),
])
def test_production_refuses_bad_or_default_settings(override, message):
    result = manage("check", **(PRODUCTION | override))
    assert result.returncode != 0
    assert message in result.stderr


def test_makemigrations_is_clean():
    result = manage("makemigrations", "--check", "--dry-run", DATABASE_URL=os.environ["DATABASE_URL"],
                    REDIS_URL=os.environ["REDIS_URL"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize("value, expected", [("true", True), ("0", False), ("Yes", True), ("off", False), (None, True)])
def test_env_bool_reads_the_usual_words(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("FLAG", raising=False)
    else:
        monkeypatch.setenv("FLAG", value)
    assert env.env_bool("FLAG", True) is expected


@pytest.mark.parametrize("name, value, call, message", [
    ("N", "ten", lambda: env.env_int("N", 1), "is not a whole number"),
    ("N", "3", lambda: env.env_int("N", 1, minimum=5), "below the minimum 5"),
    ("X", "nan", lambda: env.env_float("X", 1.0), "not a finite number"),
    ("L", "a,,b", lambda: env.env_list("L", []), "has an empty item"),
])
def test_env_helpers_reject_bad_values(monkeypatch, name, value, call, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        call()


def test_language_and_time_zone(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, [code for code, _ in settings.LANGUAGES]) == (
        "zh-hans", "Asia/Shanghai", ["zh-hans", "en"])


def test_docker_compose_runs_the_production_topology_with_the_same_variables():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["DJANGO_MODE"] == "production"
        assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= set(environment)
    assert set(compose["volumes"]) == {"postgres-data", "redis-data"}


def test_docker_compose_runs_replicas_of_web_and_worker_behind_one_proxy_without_sticky_sessions():
    """Issue 21, 4: N web and M worker replicas; the proxy spreads requests and websockets over every
    web replica Docker's DNS names, passing the upgrade through; nothing pins a client to one."""
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    assert (services["web"]["deploy"], services["worker"]["deploy"]) == (
        {"replicas": "${WEB_REPLICAS:-2}"}, {"replicas": "${WORKER_REPLICAS:-2}"})
    assert "--workers $${WEB_PROCESSES:-2}" in services["web"]["command"][-1]
    assert "--concurrency $${WORKER_CONCURRENCY:-2}" in services["worker"]["command"][-1]
    assert services["proxy"]["volumes"] == ["./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro"]
    assert "beat" not in {name for name, service in services.items() if "deploy" in service}  # one beat only
    conf = (BASE_DIR / "deploy" / "nginx" / "nginx.conf").read_text()
    for line in ("server web:8000 resolve;", "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $connection_upgrade;", "least_conn;"):
        assert line in conf
    assert "ip_hash" not in conf and "sticky" not in conf.replace("sticky sessions", "")


def test_docker_compose_runs_the_sms_receiver_only_with_an_smsc():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    receiver = compose["services"]["sms-receiver"]
    assert (receiver["command"], receiver["profiles"]) == (["python", "manage.py", "smpp_listen"], ["smpp"])
    assert receiver["environment"]["SMS_BACKEND"] == "${SMS_BACKEND:-console}"


def test_docker_compose_trusts_forwarded_headers_from_its_proxy_only_and_has_no_default_password():
    """Issue 19, low 9: compose believed X-Forwarded-* from every address while publishing the web port,
    and the database password had a default."""
    import re

    text = (BASE_DIR / "docker-compose.yml").read_text()
    web = yaml.safe_load(text)["services"]["web"]
    command = " ".join(web["command"])
    assert '--forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"' in command and "'*'" not in command
    assert web["environment"]["FORWARDED_ALLOW_IPS"] == "${FORWARDED_ALLOW_IPS:-127.0.0.1,172.30.0.0/24}"
    assert "ports" not in web  # only the proxy is published, and only on loopback by default
    compose = yaml.safe_load(text)
    assert compose["services"]["proxy"]["ports"] == ["${WEB_BIND:-127.0.0.1}:${WEB_PORT:-8000}:80"]
    assert compose["networks"]["edge"]["ipam"]["config"] == [{"subnet": "172.30.0.0/24"}]
    database_passwords = re.findall(r"\$\{((?:POSTGRES|DB_\w+)_PASSWORD)(:.)", text)
    assert {name for name, _ in database_passwords} == {"POSTGRES_PASSWORD", "DB_OWNER_PASSWORD", "DB_APP_PASSWORD"}
    assert {modifier for _, modifier in database_passwords} == {":?"}  # required: compose refuses to start without
    assert "postgresql://dispatch_app:" in text and "postgresql://postgres:" not in text


def test_the_channel_layer_shards_over_the_valkey_hosts_named():
    """Issue 21, 3: where the channel layer is the limit, it spreads over several Valkey hosts
    (channels-redis hashes groups to hosts) rather than a broker of our own."""
    code = "from django.conf import settings; print([h['address'] for h in settings.CHANNEL_LAYERS['default']['CONFIG']['hosts']])"
    sharded = manage("shell", "-c", code, **PRODUCTION, CHANNEL_LAYER_URLS="redis://a:6379/0,redis://b:6379/0")
    plain = manage("shell", "-c", code, **PRODUCTION)
    assert (sharded.stdout.strip().splitlines()[-1], plain.stdout.strip().splitlines()[-1]) == (
        "['redis://a:6379/0', 'redis://b:6379/0']", "['redis://redis.example.org:6379/0']")
