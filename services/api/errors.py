"""A service's refusal as the right HTTP answer: past the per-number SMS limit 429, an unknown link
404, an expired link 410; the rest as the API's error handler says (400, or 409 for a conflict)."""
from django.core.exceptions import ValidationError
from rest_framework import exceptions, status


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "expired"


def run(function, **kwargs):
    try:
        return function(**kwargs)
    except ValidationError as error:
        code = getattr(error, "code", None)
        if code == "throttled":
            raise exceptions.Throttled(detail=" ".join(error.messages)) from None
        if code == "not_found":
            raise exceptions.NotFound(" ".join(error.messages)) from None
        if code == "expired":
            raise Gone(" ".join(error.messages)) from None
        raise
