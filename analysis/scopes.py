"""What a review covers: the city, a district or a platform, as a login may ask for it. A platform or
district outside the login's scope reads as unknown, as one that does not exist (common.rest does
the same for related rows)."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.names import local_name
from grid.models import Zone
from platforms.models import District, Platform


@dataclass(frozen=True)
class Scope:
    level: str                            # "city", "district" or "platform"
    pk: int | None
    name: str
    platform_ids: frozenset | None        # None: every platform (the city)

    @property
    def district_id(self):
        return self.pk if self.level == "district" else None

    @property
    def platform_id(self):
        return self.pk if self.level == "platform" else None

    def zone_ids(self) -> list[int] | None:
        """The zones whose incidents it covers (None: all, incidents outside any zone included)."""
        if self.platform_ids is None:
            return None
        return list(Zone.objects.filter(platform_id__in=self.platform_ids).values_list("pk", flat=True))

    def as_json(self) -> dict:
        return {"level": self.level, "id": self.pk, "name": self.name}


def city_scope() -> Scope:
    return Scope("city", None, _("The whole city"), None)


def platform_scope(platform: Platform) -> Scope:
    return Scope("platform", platform.pk, local_name(platform), frozenset({platform.pk}))


def district_scope(district: District) -> Scope:
    return Scope("district", district.pk, local_name(district), frozenset(district.platforms.values_list("pk", flat=True)))


def scope_for(access, *, platform: int | None = None, district: int | None = None) -> Scope:
    """The scope asked for, checked against the login's own; nothing asked: the login's whole scope."""
    allowed = access.platform_ids
    if platform is not None and district is not None:
        raise ValidationError({"platform": [_("Give a platform or a district, not both.")]})
    if platform is not None:
        found = Platform.objects.filter(pk=platform).first()
        if found is None or (allowed is not None and found.pk not in allowed):
            raise ValidationError({"platform": [_("Unknown platform.")]})
        return platform_scope(found)
    if district is not None:
        found = District.objects.filter(pk=district).first()
        if found is None or (allowed is not None and not set(found.platforms.values_list("pk", flat=True)) <= allowed):
            raise ValidationError({"district": [_("Unknown district.")]})
        return district_scope(found)
    return own_scope(access)


def own_scope(access) -> Scope:
    """The city for the command centre and leadership; a supervisor's district or platform."""
    allowed = access.platform_ids
    if allowed is None:
        return city_scope()
    membership = getattr(access.user, "membership", None)
    if membership is not None and membership.district_id:
        return district_scope(membership.district)
    platform = Platform.objects.filter(pk__in=allowed).order_by("code").first()
    if platform is None:
        raise ValidationError({"platform": [_("Your login covers no platform.")]})
    return platform_scope(platform)


def scope_of_briefing(briefing) -> Scope:
    if briefing.platform_id:
        return platform_scope(briefing.platform)
    if briefing.district_id:
        return district_scope(briefing.district)
    return city_scope()
