"""`manage.py check --deploy` warnings for settings that are legal but unsafe in production."""
from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def device_key_check(app_configs, **kwargs):
    """The OsmAnd/Traccar endpoint authenticates devices by a shared key only; without one, anyone who
    can reach it can move any unit on the dispatcher's map (and so steer the engine's choice)."""
    if settings.AVL_DEVICE_KEY:
        return []
    return [Warning("AVL_DEVICE_KEY is empty: any device that can reach /api/v1/positions/osmand can report "
                    "a position for any unit.", hint="Set AVL_DEVICE_KEY and give it to the fleet's tracking apps "
                    "(they send it as ?key=...).", id="command.W001")]
