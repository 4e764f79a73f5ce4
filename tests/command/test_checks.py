"""`manage.py check --deploy`: what it warns about in a production setup."""
from command.checks import device_key_check


def test_an_empty_device_key_is_warned_about(settings):
    settings.AVL_DEVICE_KEY = ""
    [warning] = device_key_check(None)
    assert (warning.id, warning.msg) == ("command.W001", "AVL_DEVICE_KEY is empty: any device that can reach "
                                         "/api/v1/positions/osmand can report a position for any unit.")


def test_a_set_device_key_passes(settings):
    settings.AVL_DEVICE_KEY = "s3cret-fleet-key"
    assert device_key_check(None) == []


def test_the_check_runs_with_check_deploy(settings):
    from django.core import checks

    settings.AVL_DEVICE_KEY = ""
    ids = [message.id for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]
    assert "command.W001" in ids
    assert "command.W001" not in [m.id for m in checks.run_checks(tags=[checks.Tags.security])]
