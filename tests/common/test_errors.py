"""The API's error handler: model validation and constraint errors answer 4xx with messages, never a 500."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from common.errors import exception_handler


class TestErrorShapes:
    def test_field_errors(self):
        response = exception_handler(ValidationError({"lon": ["Outside."]}), {})
        assert (response.status_code, response.data) == (400, {"lon": ["Outside."]})

    def test_a_conflict_code_is_409(self):
        response = exception_handler(ValidationError("Unit taken.", code="conflict"), {})
        assert (response.status_code, response.data) == (409, {"detail": "Unit taken.", "code": "conflict"})

    def test_an_integrity_error_is_409(self):
        response = exception_handler(IntegrityError("duplicate key"), {})
        assert (response.status_code, response.data) == (409, {"detail": "The change conflicts with the current data."})
