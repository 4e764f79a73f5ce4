"""The audit trail, the login lockouts and one's own API token over the API (issue 19)."""
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from command import audit
from common.rest import AnyRole
from common.roles import Role, access_of, roles

ADMIN, SUPERVISOR = Role.ADMINISTRATOR, Role.SUPERVISOR


class EntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(audit.KINDS))
    at = serializers.DateTimeField()
    actor = serializers.CharField(help_text="The login that acted (or tried to).")
    address = serializers.CharField(help_text="The address it came from, where known.")
    subject = serializers.CharField()
    summary = serializers.CharField()
    changes = serializers.DictField(help_text="Per field: [from, to].")


class AuditPageSerializer(serializers.Serializer):
    results = EntrySerializer(many=True)
    before = serializers.DateTimeField(allow_null=True, help_text="Pass as `before` for the next, older page.")


class AuditQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(audit.KINDS), required=False)
    before = serializers.DateTimeField(required=False)
    since = serializers.DateTimeField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)


def audit_query(params) -> dict:
    query = AuditQuerySerializer(data=params.dict() if hasattr(params, "dict") else params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class AuditView(APIView):
    """The audit trail, newest first: administrators everything, a supervisor their platforms'."""

    permission_classes = [roles(ADMIN, SUPERVISOR)]

    @extend_schema(operation_id="audit_list", parameters=[AuditQuerySerializer], responses=AuditPageSerializer)
    def get(self, request):
        data = audit_query(request.query_params)
        entries = audit.audit_entries(platform_ids=access_of(request).platform_ids, **data)
        older = entries[-1].at if len(entries) == data["limit"] else None
        return Response(AuditPageSerializer({"results": entries, "before": older}).data)


class LockoutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    ip_address = serializers.CharField(allow_null=True)
    failures = serializers.IntegerField(source="failures_since_start")
    attempt_time = serializers.DateTimeField()
    locked = serializers.BooleanField()


def _attempts():
    rows = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return rows.order_by("-attempt_time")


class LockoutsView(APIView):
    """Failed logins being counted now, by account and address, and whether each is locked out."""

    permission_classes = [roles(ADMIN)]

    @extend_schema(operation_id="lockouts_list", responses=LockoutSerializer(many=True))
    def get(self, request):
        rows = [{**vars_of(row), "locked": row.failures_since_start >= settings.AXES_FAILURE_LIMIT} for row in _attempts()]
        return Response(LockoutSerializer(rows, many=True).data)


def vars_of(row) -> dict:
    return {name: getattr(row, name) for name in ("id", "username", "ip_address", "failures_since_start", "attempt_time")}


class LockoutLiftView(APIView):
    """Lift a lockout: the account and address may log in again at once (recorded in the audit trail)."""

    permission_classes = [roles(ADMIN)]

    @extend_schema(operation_id="lockouts_lift", request=None, responses={204: None})
    def post(self, request, attempt_id: int):
        attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
        attempt.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenSerializer(serializers.Serializer):
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField()
    key = serializers.CharField(required=False, help_text="Only in the answer that made it.")


class OwnTokenView(APIView):
    """One's own API token (`Authorization: Token <key>`): see when it expires, make a new one (the
    old one stops at once; the key is in this answer only), or revoke it."""

    permission_classes = [AnyRole]

    @extend_schema(operation_id="auth_token_read", responses={200: TokenSerializer, 404: None})
    def get(self, request):
        token = get_object_or_404(Token, user=request.user)
        return Response(TokenSerializer(_token(token, with_key=False)).data)

    @extend_schema(operation_id="auth_token_make", request=None, responses={201: TokenSerializer})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response(TokenSerializer(_token(token, with_key=True)).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="auth_token_revoke", request=None, responses={204: None})
    def delete(self, request):
        if not Token.objects.filter(user=request.user).delete()[0]:
            raise ValidationError({"detail": _("You have no API token.")})
        return Response(status=status.HTTP_204_NO_CONTENT)


def _token(token, *, with_key: bool) -> dict:
    expires = token.created + timedelta(days=settings.API_TOKEN_DAYS)
    return {"created": token.created, "expires": expires, **({"key": token.key} if with_key else {})}
