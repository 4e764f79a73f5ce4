"""The world `bench ingest-ws` sends from: `tablets` units on an approved shift, each crewed by one
officer logged in (a session made directly, no password hashing: ten thousand logins would time the
hasher, not the ingest), and `trackers` of them with a patrol car whose tracker is registered with
its own key (issue 19)."""
from datetime import timedelta


def seed(tablets: int, trackers: int) -> tuple[list, list, tuple]:
    """([(unit id, session cookie)], [(tracker identifier, key, unit id)], the served area's bounds)."""
    from django.utils import timezone

    from grid.selectors import served_area
    from platforms.models import District, Platform, Shift, Squad, Unit, Vehicle

    west, south, east, north = bounds = served_area().bounds
    district = District.objects.create(code="BI", name="基准分局")
    platform = Platform.objects.create(code="BI01", name="基准平台", district=district,
                                       lon=(west + east) / 2, lat=(south + north) / 2)
    squad = Squad.objects.create(platform=platform, number=1, name="1班")
    now = timezone.now()
    shift = Shift.objects.create(squad=squad, kind="day", starts_at=now - timedelta(hours=1),
                                 ends_at=now + timedelta(hours=8), approved=True)
    vehicles = Vehicle.objects.bulk_create(
        [Vehicle(call_number=f"BI{n:05d}", kind="patrol_car", platform=platform, gps_device_id=f"bi-{n:05d}")
         for n in range(trackers)])
    units = Unit.objects.bulk_create(
        [Unit(call_sign=f"基{n:05d}", shift=shift, platform=platform, status="available", capabilities=["patrol"],
              vehicle=vehicles[n] if n < trackers else None) for n in range(max(tablets, trackers))], batch_size=2000)
    cookies = crews(units[:tablets], platform, squad)
    return [(unit.pk, cookie) for unit, cookie in zip(units, cookies, strict=False)], _trackers(units[:trackers]), bounds


def crews(units, platform, squad) -> list[str]:
    """One officer with a login crewing each unit, and each login's session cookie."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from command.models import Membership
    from common.roles import Role
    from platforms.models import Officer, Unit

    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"bench-officer-{n}", password="!bench") for n in range(len(units))], batch_size=2000)
    Membership.objects.bulk_create([Membership(user=user, role=Role.OFFICER) for user in users], batch_size=2000)
    officers = Officer.objects.bulk_create(
        [Officer(badge_number=f"9{n:07d}", name=f"基准{n}", kind="police", platform=platform, squad=squad, user=user)
         for n, user in enumerate(users)], batch_size=2000)
    Unit.officers.through.objects.bulk_create(
        [Unit.officers.through(unit_id=unit.pk, officer_id=officer.pk) for unit, officer in zip(units, officers)],
        batch_size=2000)
    store, expires = SessionStore(), timezone.now() + timedelta(hours=2)
    sessions = [Session(session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
                        session_data=store.encode({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                                                   BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"}),
                        expire_date=expires) for user in users]
    Session.objects.bulk_create(sessions, batch_size=2000)
    return [f"{settings.SESSION_COOKIE_NAME}={session.session_key}" for session in sessions]


def _trackers(units) -> list[tuple[str, str, int]]:
    from platforms import trackers

    issued = [(unit, trackers.tracker_register(actor=None, identifier=unit.vehicle.gps_device_id, vehicle=unit.vehicle))
              for unit in units]
    return [(unit.vehicle.gps_device_id, tracker.secret, unit.pk) for unit, tracker in issued]
