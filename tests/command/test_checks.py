"""`manage.py check --deploy`: what it warns about in a production setup."""
from command.checks import device_endpoint_check


def test_an_open_device_endpoint_is_warned_about(settings):
    settings.AVL_DEVICE_ENDPOINT = "open"
    [warning] = device_endpoint_check(None)
    assert (warning.id, warning.msg) == ("command.W001", "AVL_DEVICE_ENDPOINT is open: a tracker's identifier "
                                                         "alone moves its unit at /osmand/.")


def test_device_keys_or_a_closed_endpoint_pass(settings):
    for mode in ("keys", "off"):
        settings.AVL_DEVICE_ENDPOINT = mode
        assert device_endpoint_check(None) == []


def test_the_check_runs_with_check_deploy(settings):
    from django.core import checks

    settings.AVL_DEVICE_ENDPOINT = "open"
    ids = [message.id for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]
    assert "command.W001" in ids
    assert "command.W001" not in [m.id for m in checks.run_checks(tags=[checks.Tags.security])]
