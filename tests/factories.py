"""factory_boy factories for the domain, placed inside the demo extract's box (the default served area)."""
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from command.models import Membership
from common.roles import Role
from dispatch.models import Assignment, Category, Incident
from grid.models import KeySite, PatrolPoint, PatrolRoute, ResponseClass, Zone
from platforms.models import (
    District,
    Officer,
    OfficerKind,
    Platform,
    Shift,
    ShiftKind,
    Squad,
    TrackPoint,
    Unit,
    UnitStatus,
    Vehicle,
)

PEOPLES_SQUARE = (121.4737, 31.2304)


def square(lon: float, lat: float, half: float = 0.01) -> dict:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half],
            [lon - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save(update_fields=["password"])  # a real login must work with this password


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}分局")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    code = factory.Sequence(lambda n: f"P{n:02d}")
    name = factory.Sequence(lambda n: f"平台{n}")
    district = factory.SubFactory(DistrictFactory)
    lon, lat = PEOPLES_SQUARE


class SquadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Squad
        django_get_or_create = ("platform", "number")  # a platform's squad N is one row, whoever asks first

    platform = factory.SubFactory(PlatformFactory)
    number = factory.Sequence(lambda n: n % 5 + 1)
    name = factory.LazyAttribute(lambda squad: f"{squad.number}班")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    badge_number = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Sequence(lambda n: f"警员{n}")
    kind = OfficerKind.POLICE
    platform = factory.SubFactory(PlatformFactory)
    squad = factory.SubFactory(SquadFactory, platform=factory.SelfAttribute("..platform"))


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    call_number = factory.Sequence(lambda n: f"沪A{n:04d}警")
    kind = "patrol_car"
    platform = factory.SubFactory(PlatformFactory)
    gps_device_id = factory.Sequence(lambda n: f"gps-{n}")


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    squad = factory.SubFactory(SquadFactory)
    kind = ShiftKind.DAY
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + timedelta(hours=8))
    approved = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    call_sign = factory.Sequence(lambda n: f"巡{n:03d}")
    platform = factory.SubFactory(PlatformFactory)
    shift = factory.SubFactory(ShiftFactory, squad__platform=factory.SelfAttribute("...platform"))
    vehicle = factory.SubFactory(VehicleFactory, platform=factory.SelfAttribute("..platform"))
    capabilities = factory.LazyFunction(lambda: ["patrol", "traffic"])
    status = UnitStatus.AVAILABLE
    lon, lat = PEOPLES_SQUARE


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    code = factory.Sequence(lambda n: f"Z{n:02d}")
    name = factory.Sequence(lambda n: f"网格{n}")
    platform = factory.SubFactory(PlatformFactory)
    response_class = ResponseClass.CITY_CENTRE
    polygon = factory.LazyFunction(lambda: square(*PEOPLES_SQUARE))


class KeySiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeySite

    code = factory.Sequence(lambda n: f"K{n:02d}")
    name = factory.Sequence(lambda n: f"重点部位{n}")
    kind = "square"
    lon, lat = PEOPLES_SQUARE
    radius_m = 300


class PatrolPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolPoint

    code = factory.Sequence(lambda n: f"PP{n:02d}")
    name = factory.Sequence(lambda n: f"必巡点{n}")
    platform = factory.SubFactory(PlatformFactory)
    lon, lat = PEOPLES_SQUARE


class PatrolRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatrolRoute

    code = factory.Sequence(lambda n: f"PR{n:02d}")
    name = factory.Sequence(lambda n: f"必巡线{n}")
    platform = factory.SubFactory(PlatformFactory)
    line = factory.LazyFunction(lambda: {"type": "LineString", "coordinates": [[121.47, 31.23], [121.48, 31.23]]})


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    number = factory.Sequence(lambda n: f"110-TEST-{n:05d}")
    caller_name = "张三"
    caller_phone = "13800138000"
    category = Category.PUBLIC_ORDER
    priority = 2
    lon, lat = PEOPLES_SQUARE
    target_s = 180


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment
        skip_postgeneration_save = True  # the hook saves the incident, not the assignment

    incident = factory.SubFactory(IncidentFactory)
    unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def first_dispatch(obj, create, extracted, **kwargs):
        """As assignment_create does: the incident's first assignment stamps its dispatch clock."""
        if create and obj.incident.dispatched_at is None:
            obj.incident.dispatched_at = obj.assigned_at
            obj.incident.save(update_fields=["dispatched_at"])


class TrackPointFactory(factory.django.DjangoModelFactory):
    """A stored fix of a unit's track (patrol verification reads these by unit and time range)."""

    class Meta:
        model = TrackPoint

    unit = factory.SubFactory(UnitFactory)
    at = factory.Sequence(lambda n: timezone.now() - timedelta(minutes=30) + timedelta(seconds=5 * n))
    lon, lat = PEOPLES_SQUARE


def membership(user, role: str, **scope) -> Membership:
    return Membership.objects.create(user=user, role=role, **scope)


__all__ = ["Role", "membership"]
