"""Django's own error answers (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host)
come before any view and were HTML: the API and the devices get JSON with the reason instead (issue 19),
and a body too large is 413, not 400."""
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as html_bad_request


def wants_json(request) -> bool:
    return (request.path.startswith(("/api/", "/osmand")) or "application/json" in request.headers.get("Accept", "")
            or request.content_type == "application/json")


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse({"detail": _("The request body is too large.")}, status=413)
    if not wants_json(request):
        return html_bad_request(request, exception)
    if isinstance(exception, TooManyFieldsSent):
        return JsonResponse({"detail": _("The request has too many fields.")}, status=400)
    return JsonResponse({"detail": _("The request could not be read.")}, status=400)
