"""The audit page (/audit/): administrators read the whole trail, supervisors their platforms'."""
from django.shortcuts import render
from rest_framework.exceptions import ValidationError

from command import audit
from command.audit_api import audit_query
from command.views import _require
from common.roles import Role, access_of


def audit_page(request):
    access = _require(request, Role.ADMINISTRATOR, Role.SUPERVISOR)
    try:
        query = audit_query(request.GET)
    except ValidationError as error:
        return render(request, "command/audit.html", {"errors": error.detail, "kinds": _kinds(access)}, status=400)
    entries = audit.audit_entries(platform_ids=access_of(request).platform_ids, **query)
    older = entries[-1].at if len(entries) == query["limit"] else None
    return render(request, "command/audit.html", {"entries": entries, "older": older, "kind": query.get("kind", ""),
                                                  "kinds": _kinds(access), "labels": audit.KINDS})


def _kinds(access) -> list[tuple[str, str]]:
    hidden = audit.ADMIN_ONLY_KINDS if access.platform_ids is not None else set()
    return [(name, label) for name, label in audit.KINDS.items() if name not in hidden]
