"""The services desk's settings fail loudly on bad values (command/services_settings.py)."""
import os
import subprocess
import sys

import pytest
from django.conf import settings

CHECK = "import django; django.setup(); from django.conf import settings; print(repr(settings.SURVEY_QUIET_HOURS))"


def settings_with(**env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60,
                          cwd=settings.BASE_DIR, env={**os.environ, "DJANGO_SETTINGS_MODULE": "command.settings", **env})


@pytest.mark.parametrize(("value", "read"), [("22:30-07:00", "'22:30-07:00'"), ("none", "''")])
def test_quiet_hours_are_a_range_or_none(value, read):
    result = settings_with(SURVEY_QUIET_HOURS=value)
    assert (result.returncode, result.stdout.strip()) == (0, read)


@pytest.mark.parametrize(("env", "message"), [
    ({"SURVEY_QUIET_HOURS": "21-8"}, "SURVEY_QUIET_HOURS='21-8' must be HH:MM-HH:MM"),
    ({"SMS_BACKEND": "smpp"}, "SMS_BACKEND=smpp needs SMPP_SYSTEM_ID"),
    ({"SMS_BACKEND": "carrier-pigeon"}, "SMS_BACKEND='carrier-pigeon' must be one of: console, smpp"),
])
def test_bad_values_stop_the_process(env, message):
    result = settings_with(**env)
    assert result.returncode != 0 and message in result.stderr
