"""Roles and their scopes, read once per request: who the user is to the command centre.

A login's role is its `membership` row (command.models.Membership), reached through the user's
related accessors only, so this kit imports no app."""
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    SUPERVISOR = "supervisor", _("Platform supervisor")
    OFFICER = "officer", _("Officer")
    CLERK = "clerk", _("Service clerk")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Command-centre leadership: reads the whole city's reviews, briefings and hot spots; changes nothing.
    LEADERSHIP = "leadership", _("Leadership")


# The roles that watch and act on the whole city.
COMMAND_CENTRE = (Role.DISPATCHER, Role.ADMINISTRATOR)


class Access:
    """What one login may see: its role and, for supervisors and officers, their scope."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def role(self) -> str | None:
        if not self.user.is_authenticated or not self.user.is_active:
            return None
        if self.user.is_superuser:
            return Role.ADMINISTRATOR
        membership = getattr(self.user, "membership", None)
        return membership.role if membership else None

    @cached_property
    def platform_ids(self) -> set[int] | None:
        """Platforms this login is scoped to; None means every platform."""
        if self.role in (Role.ADMINISTRATOR, Role.DISPATCHER, Role.LEADERSHIP):
            return None
        membership = getattr(self.user, "membership", None)
        if self.role == Role.OFFICER:
            officer = getattr(self.user, "officer", None)
            return {officer.platform_id} if officer else set()
        if membership and membership.platform_id:
            return {membership.platform_id}
        if membership and membership.district_id:
            return set(membership.district.platforms.values_list("id", flat=True))
        return None if self.role == Role.CLERK else set()

    @cached_property
    def officer(self):
        return getattr(self.user, "officer", None) if self.role == Role.OFFICER else None

    @property
    def sees_caller_phone(self) -> bool:
        return self.role in (Role.DISPATCHER, Role.ADMINISTRATOR)


def access_of(request) -> Access:
    if not hasattr(request, "_access"):
        request._access = Access(request.user)
    return request._access


def role_context(request):
    access = access_of(request) if hasattr(request, "user") else None
    return {"role": access.role if access else None}


def roles(*names: str, read: tuple[str, ...] = ()) -> type[BasePermission]:
    """A permission class: `names` may read and write, `read` may only read."""

    class RolePermission(BasePermission):
        message = "Your role may not use this resource."

        def has_permission(self, request, view):
            role = access_of(request).role
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return role in names or role in read
            return role in names

    RolePermission.__name__ = f"Roles_{'_'.join(names)}"
    return RolePermission
