"""Enforcement and help records under /api/v1/traffic/: the violation types the tablet offers (kept by an
administrator), and violations, drink-driving checks, impounds and help records: taken by officers
(an Idempotency-Key makes a replayed send the same row, answered 200), listed in the reader's scope, and
counted per officer, unit or platform over a period."""
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.pagination import Pagination
from common.rest import CheckedModelSerializer, EditableViewSet, validated_input
from common.roles import Role, access_of, roles
from common.scoping import scoped
from dispatch.api.visibility import IDEMPOTENCY_HEADER, idempotency_key
from traffic import records, selectors
from traffic.access import acting_unit
from traffic.models import DrinkCheck, HelpKind, HelpRecord, Impound, VehicleKind, Violation, ViolationType
from traffic.models.records import MAX_SPEED_KMH

COUNT_READERS = (Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.LEADERSHIP)
LIST_READERS = (*COUNT_READERS, Role.OFFICER)


class ViolationTypeSerializer(CheckedModelSerializer):
    class Meta:
        model = ViolationType
        fields = ["id", "code", "name", "name_en", "points", "fine_yuan", "needs_speed", "non_motor", "active", "order"]


class ViolationTypeViewSet(EditableViewSet):
    """The violation codes the tablet offers (the common ones are seeded; an administrator keeps the list)."""

    queryset = ViolationType.objects.all()
    serializer_class = ViolationTypeSerializer
    permission_classes = [roles(Role.ADMINISTRATOR, read=LIST_READERS)]
    pagination_class = None


class RecordInSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="The unit you crew.")
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="Where (the tablet's position).")
    lat = serializers.FloatField(min_value=-90, max_value=90)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                   help_text="When (the tablet's time: a record kept offline); now if not given.")
    notes = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    idempotency_key = serializers.CharField(max_length=100, required=False, default=None, allow_null=True)


class ViolationInSerializer(RecordInSerializer):
    violation_type = serializers.PrimaryKeyRelatedField(queryset=ViolationType.objects.all())
    plate = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    vehicle_kind = serializers.ChoiceField(choices=VehicleKind.choices, default=VehicleKind.CAR)
    measured_speed_kmh = serializers.IntegerField(required=False, allow_null=True, default=None,
                                                  help_text=f"Refused above {MAX_SPEED_KMH} km/h.")
    speed_limit_kmh = serializers.IntegerField(min_value=5, max_value=130, required=False, allow_null=True, default=None)
    photo = serializers.FileField(required=False, help_text="JPEG, PNG or WebP (checked by its bytes), at most 5 MB.")


class DrinkCheckInSerializer(RecordInSerializer):
    plate = serializers.CharField(max_length=20)
    vehicle_kind = serializers.ChoiceField(choices=VehicleKind.choices, default=VehicleKind.CAR)
    alcohol_mg_100ml = serializers.FloatField(help_text="The breath result in mg/100 ml: 20 drink-driving, 80 drunk.")


class ImpoundInSerializer(RecordInSerializer):
    plate = serializers.CharField(max_length=20)
    vehicle_kind = serializers.ChoiceField(choices=VehicleKind.choices, default=VehicleKind.CAR)
    reason = serializers.CharField(max_length=200, allow_blank=True)


class HelpInSerializer(RecordInSerializer):
    kind = serializers.ChoiceField(choices=HelpKind.choices)
    people = serializers.IntegerField(min_value=1, max_value=100, default=1)


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    officer = serializers.IntegerField()
    unit = serializers.IntegerField(allow_null=True)
    platform = serializers.IntegerField()
    zone = serializers.IntegerField(allow_null=True)
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    details = serializers.DictField(help_text="The kind's own fields (plate, violation code, result, people...).")


class RecordPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = RecordSerializer(many=True)


DETAILS = {
    "violation": lambda r: {"violation_type": r.violation_type_id, "code": r.violation_type.code, "plate": r.plate,
                            "vehicle_kind": r.vehicle_kind, "measured_speed_kmh": r.measured_speed_kmh,
                            "speed_limit_kmh": r.speed_limit_kmh, "photo": bool(r.photo)},
    "drink_check": lambda r: {"plate": r.plate, "alcohol_mg_100ml": r.alcohol_mg_100ml, "result": r.result},
    "impound": lambda r: {"plate": r.plate, "vehicle_kind": r.vehicle_kind, "reason": r.reason},
    "help": lambda r: {"kind": r.kind, "people": r.people},
}


def record_json(kind: str, row) -> dict:
    return {"id": row.pk, "kind": kind, "at": row.at, "officer": row.officer_id, "unit": row.unit_id,
            "platform": row.platform_id, "zone": row.zone_id, "lon": row.lon, "lat": row.lat,
            "details": {**DETAILS[kind](row), "notes": row.notes}}


class _RecordView(APIView):
    """Listed in the reader's scope (an officer: their platform's); taken by an officer for themselves."""

    kind, model, in_serializer, service = "", None, None, None
    permission_classes = [roles(Role.OFFICER, read=COUNT_READERS)]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get(self, request):
        rows = scoped(self.model.objects.all(), access_of(request).platform_ids)
        rows = rows.select_related("violation_type") if self.kind == "violation" else rows
        paginator = Pagination()
        page = paginator.paginate_queryset(rows.order_by("-at", "-id"), request, view=self)
        return paginator.get_paginated_response([record_json(self.kind, row) for row in page])

    def post(self, request):
        officer = access_of(request).officer
        if officer is None:
            raise PermissionDenied(_("This login is not linked to an officer record."))
        data = dict(validated_input(self.in_serializer, request))
        key = idempotency_key(request, data.pop("idempotency_key"))
        taker = records.Taker(user=request.user, officer=officer, unit=acting_unit(officer, data.pop("unit")))
        row, created = type(self).service(taker=taker, client_key=key, **data)
        return Response(RecordSerializer(record_json(self.kind, row)).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _record_view(name: str, kind: str, model, in_serializer, service, doc: str):
    def get(self, request):  # a function of each view's own: the schema is kept on the function
        return _RecordView.get(self, request)

    def post(self, request):
        return _RecordView.post(self, request)

    get = extend_schema(operation_id=f"traffic_{kind}s", responses=RecordPageSerializer)(get)
    post = extend_schema(operation_id=f"traffic_{kind}_record", parameters=[IDEMPOTENCY_HEADER],
                         request={"application/json": in_serializer, "multipart/form-data": in_serializer},
                         responses={201: RecordSerializer, 200: RecordSerializer})(post)
    return type(name, (_RecordView,), {"kind": kind, "model": model, "in_serializer": in_serializer, "get": get,
                                       "post": post, "service": staticmethod(service), "__doc__": doc})


ViolationsView = _record_view("ViolationsView", "violation", Violation, ViolationInSerializer, records.violation_record,
                              "Traffic violations (plate, code, place from the tablet's GPS, photo).")
DrinkChecksView = _record_view("DrinkChecksView", "drink_check", DrinkCheck, DrinkCheckInSerializer,
                               records.drink_check_record, "Drink-driving checks with their breath result.")
ImpoundsView = _record_view("ImpoundsView", "impound", Impound, ImpoundInSerializer, records.impound_record,
                            "Vehicles impounded.")
HelpRecordsView = _record_view("HelpRecordsView", "help", HelpRecord, HelpInSerializer, records.help_record,
                               "People helped (directions, escort, breakdown, rescue).")


class ViolationPhotoView(APIView):
    """A violation's photo, to those who may list its platform's records; never at a public URL."""

    permission_classes = [roles(read=LIST_READERS)]

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(operation_id="traffic_violation_photo", responses={(200, "image/*"): OpenApiTypes.BINARY})
    def get(self, request, violation_id: int):
        violation = get_object_or_404(scoped(Violation.objects.all(), access_of(request).platform_ids), pk=violation_id)
        if not violation.photo:
            raise NotFound(_("This violation has no photo."))
        try:
            opened = violation.photo.open("rb")
        except FileNotFoundError:
            raise NotFound(_("This photo's file is missing on the server.")) from None
        response = FileResponse(opened, content_type=violation.photo_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CountsQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=[("officer", "officer"), ("unit", "unit"), ("platform", "platform")],
                                 default="platform")
    since = serializers.DateTimeField(required=False, allow_null=True, default=None)
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs["since"] and attrs["until"] and attrs["until"] <= attrs["since"]:
            raise ValidationError({"until": [_("The end must be after the start.")]})
        return attrs


class CountRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    violations = serializers.IntegerField()
    drink_checks = serializers.IntegerField()
    drink_driving = serializers.IntegerField()
    drunk_driving = serializers.IntegerField()
    impounds = serializers.IntegerField()
    help_records = serializers.IntegerField()
    people_helped = serializers.IntegerField()


class CountsView(APIView):
    """Enforcement and help counted per officer, unit or platform over [since, until), in the reader's scope."""

    permission_classes = [roles(read=COUNT_READERS)]

    @extend_schema(operation_id="traffic_counts", parameters=[CountsQuerySerializer],
                   responses=CountRowSerializer(many=True))
    def get(self, request):
        query = CountsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(selectors.enforcement_counts(platform_ids=access_of(request).platform_ids, **query.validated_data))
