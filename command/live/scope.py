"""Who may watch what: the groups a console socket joins and the units a tablet may follow."""
from dataclasses import dataclass

from command.broadcasts import ALL_TABLETS, tablets_of_platform
from common.roles import COMMAND_CENTRE, Access, Role
from platforms.events import CITY, district_group, platform_group, unit_group
from platforms.models import Unit


@dataclass(frozen=True)
class ConsoleScope:
    """The groups a console socket joins and the platforms whose units it is shown (None: all)."""

    groups: tuple[str, ...]
    platform_ids: frozenset[int] | None


def console_scope(user) -> ConsoleScope | None:
    """The command centre watches the city; a supervisor of a district that district's group; a
    supervisor of a platform that platform's group; nobody else watches a console."""
    access = Access(user)
    if access.role in COMMAND_CENTRE:
        return ConsoleScope((CITY,), None)
    membership = getattr(user, "membership", None)
    if access.role != Role.SUPERVISOR or membership is None or not access.platform_ids:
        return None
    group = district_group(membership.district_id) if membership.district_id else platform_group(membership.platform_id)
    return ConsoleScope((group,), frozenset(access.platform_ids))


def unit_watcher(user, unit_id: int) -> str | None:
    """"crew" for an officer of the unit (may also report its position), "command" for the command
    centre (may watch any unit), None for everyone else or a unit that does not exist."""
    access = Access(user)
    if access.role in COMMAND_CENTRE:
        return "command" if Unit.objects.filter(pk=unit_id).exists() else None
    if access.role == Role.OFFICER and access.officer is not None:
        return "crew" if Unit.objects.filter(pk=unit_id, officers=access.officer).exists() else None
    return None


def unit_groups_of(unit_id: int) -> tuple[str, ...]:
    """A tablet hears its unit's news and the broadcasts to its platform's units and to all units."""
    platform_id = Unit.objects.filter(pk=unit_id).values_list("platform_id", flat=True).first()
    return (unit_group(unit_id), tablets_of_platform(platform_id), ALL_TABLETS)
