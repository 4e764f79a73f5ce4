"""`manage.py check --deploy` warnings for settings that are legal but unsafe in production."""
from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def device_endpoint_check(app_configs, **kwargs):
    """With AVL_DEVICE_ENDPOINT=open a registered tracker's identifier alone is believed: anyone who
    learns one can move that unit on the dispatcher's map (and so steer the engine's choice).
    Production refuses to start so (command.security_settings); elsewhere it is a warning."""
    if settings.AVL_DEVICE_ENDPOINT != "open":
        return []
    return [Warning("AVL_DEVICE_ENDPOINT is open: a tracker's identifier alone moves its unit at /osmand/.",
                    hint="Set AVL_DEVICE_ENDPOINT=keys (each tracker with its own key, registered in the admin) "
                    "or off.", id="command.W001")]
