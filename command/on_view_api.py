"""The officer's own reports under /api/v1/: an on-view incident (路面见警情) from the tablet, with an
optional photo, and incidents' photos, read only through here by those who may read the incident
(the files are never at a public URL)."""
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from command.live.scope import unit_watcher
from common.rest import validated_input
from common.roles import Role, roles
from dispatch import on_view, photos
from dispatch.api.visibility import IDEMPOTENCY_HEADER, idempotency_key
from dispatch.models import ACTIVE_ASSIGNMENT_STATUSES, Category, Incident, IncidentPhoto, Priority
from dispatch.serializers import AssignmentSerializer, IncidentSerializer
from platforms.models import Unit

# A request this much over the photo's limit is refused before its body is read.
FORM_ALLOWANCE = 64 * 1024


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The photo is over 5 MB: send a smaller one.")
    default_code = "too_large"


def refuse_oversized(request) -> None:
    if int(request.META.get("CONTENT_LENGTH") or 0) > photos.MAX_PHOTO_BYTES + FORM_ALLOWANCE:
        raise TooLarge()


class OnViewReportInSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text="The reporting crew's unit.")
    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.P3)
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="Where the officer is (the tablet's position).")
    lat = serializers.FloatField(min_value=-90, max_value=90)
    description = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True,
                                        help_text="The officer's note: what they found.")
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    photo = serializers.FileField(required=False, help_text="JPEG, PNG or WebP (checked by its bytes), at most 5 MB.")
    idempotency_key = serializers.CharField(max_length=100, required=False, default=None, allow_null=True)


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    incident = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    uploaded_by = serializers.CharField(allow_null=True)
    uploaded_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="Where the photo is read (this API, with the reader's login).")


class OnViewReportSerializer(serializers.Serializer):
    incident = IncidentSerializer()
    assignment = AssignmentSerializer()
    photos = PhotoSerializer(many=True)


class PhotoInSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPEG, PNG or WebP (checked by its bytes), at most 5 MB.")


class OnViewReportView(APIView):
    """An incident the officer found on patrol: created already assigned to their unit, on scene (the
    engine sends only a backup the category needs); 201, or 200 with the first for a repeated key."""

    permission_classes = [roles(Role.OFFICER)]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="on_view_report", request={"multipart/form-data": OnViewReportInSerializer,
                                                           "application/json": OnViewReportInSerializer},
                   parameters=[IDEMPOTENCY_HEADER], responses={201: OnViewReportSerializer, 200: OnViewReportSerializer})
    def post(self, request):
        refuse_oversized(request)
        data = dict(validated_input(OnViewReportInSerializer, request))
        if unit_watcher(request.user, data["unit"].pk) != "crew":
            raise PermissionDenied(_("You may report only for a unit you crew."))
        data["idempotency_key"] = idempotency_key(request, data.pop("idempotency_key"))
        report = on_view.on_view_report(actor=request.user, **data)
        answer = {"incident": report.incident, "assignment": report.assignment,
                  "photos": [photos.photo_payload(photo) for photo in report.photos]}
        code = status.HTTP_201_CREATED if report.created else status.HTTP_200_OK
        return Response(OnViewReportSerializer(answer, context={"request": request}).data, status=code)


class IncidentPhotosView(APIView):
    """An incident's photos (those who may read the incident); the crew of a unit on it adds one."""

    permission_classes = [roles(Role.OFFICER, read=(Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR))]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="incident_photos", responses=PhotoSerializer(many=True))
    def get(self, request, incident_id: int):
        incident = readable_incident(request, incident_id)
        return Response([photos.photo_payload(photo) for photo in incident.photos.select_related("uploaded_by")])

    @extend_schema(operation_id="incident_photo_add", request={"multipart/form-data": PhotoInSerializer},
                   responses={201: PhotoSerializer})
    def post(self, request, incident_id: int):
        refuse_oversized(request)
        incident = get_object_or_404(Incident, pk=incident_id)
        crew = incident.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES,
                                           unit__officers__user=request.user).select_related("unit").first()
        if crew is None:
            raise PermissionDenied(_("Only the crew of a unit on this incident adds photos to it."))
        data = validated_input(PhotoInSerializer, request)
        photo = photos.photo_attach(actor=request.user, incident=incident, upload=data["photo"], unit=crew.unit)
        return Response(photos.photo_payload(photo), status=status.HTTP_201_CREATED)


class PhotoFileView(APIView):
    """The photo itself, to those who may read its incident; private to the browser's cache."""

    permission_classes = [roles(read=(Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.OFFICER))]

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)  # an <img> asks for image/*

    @extend_schema(operation_id="photo_file", responses={(200, "image/*"): OpenApiTypes.BINARY})
    def get(self, request, photo_id: int):
        photo = get_object_or_404(IncidentPhoto.objects.select_related("incident"), pk=photo_id)
        readable_incident(request, photo.incident_id)
        try:
            opened = photo.file.open("rb")
        except FileNotFoundError:  # the row outlived its file (a restore without the media folder)
            raise NotFound(_("This photo's file is missing on the server.")) from None
        response = FileResponse(opened, content_type=photo.content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def readable_incident(request, incident_id: int) -> Incident:
    incident = get_object_or_404(Incident, pk=incident_id)
    if not photos.may_read_incident(request.user, incident):
        raise PermissionDenied(_("You may not read this incident."))
    return incident

