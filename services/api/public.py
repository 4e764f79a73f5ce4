"""The public endpoints (no login): the catalogue, free slots, a one-time code by SMS, booking, and a
booking's or survey's own link. Throttled per address and per phone number; nobody can list bookings:
a booking is reached only through the token in its own SMS."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.names import local_name
from common.rest import validated_input
from services import booking, selectors, surveys
from services.api.errors import run
from services.api.serializers import SurveyAnswersSerializer, ServiceOfferSerializer, OpeningHoursSerializer, BookingSlotSerializer
from services.phones import mask
from services.throttles import PUBLIC_THROTTLES


class PublicView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = PUBLIC_THROTTLES


class PublicPlatformSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    offers = ServiceOfferSerializer(many=True)
    hours = OpeningHoursSerializer(many=True)


class PlatformsView(PublicView):
    @extend_schema(responses=PublicPlatformSerializer(many=True))
    def get(self, request):
        """Platforms taking bookings, each with its services (documents to bring) and opening hours."""
        rows = [{"id": p.pk, "code": p.code, "name": local_name(p), "offers": selectors.offers_of(p.pk),
                 "hours": selectors.hours_of_platform(p.pk)} for p in selectors.public_platforms()]
        return Response(PublicPlatformSerializer(rows, many=True).data)


class PublicSlotQuerySerializer(serializers.Serializer):
    platform = serializers.IntegerField()
    service_type = serializers.IntegerField()
    day = serializers.DateField()


class SlotsView(PublicView):
    @extend_schema(parameters=[PublicSlotQuerySerializer], responses=BookingSlotSerializer(many=True))
    def get(self, request):
        """The day's slots still ahead for a platform's service, with the places left."""
        query = PublicSlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = selectors.free_slots(platform_id=query.validated_data["platform"],
                                     service_type_id=query.validated_data["service_type"], day=query.validated_data["day"])
        return Response(BookingSlotSerializer(slots, many=True).data)


class BookingCodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=30)
    language = serializers.ChoiceField(choices=["zh-hans", "en"], default="zh-hans")


class CodeRequestView(PublicView):
    @extend_schema(request=BookingCodeRequestSerializer, responses={202: OpenApiTypes.OBJECT})
    def post(self, request):
        """Send a one-time code to the phone by SMS (valid for minutes)."""
        data = validated_input(BookingCodeRequestSerializer, request)
        code = run(booking.code_request, phone=data["phone"], language=data["language"])
        return Response({"phone": mask(code.phone), "expires_at": code.expires_at}, status=status.HTTP_202_ACCEPTED)


class BookingInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=30)
    code = serializers.CharField(max_length=10)
    language = serializers.ChoiceField(choices=["zh-hans", "en"], default="zh-hans")
    idempotency_key = serializers.CharField(max_length=100, required=False, allow_null=True, default=None,
                                            help_text="The same key returns the first booking (a double submit).")


class BookingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    token = serializers.CharField(source="manage_token", help_text="The link's token: keep it to cancel or move.")
    platform = serializers.IntegerField(source="platform_id")
    platform_name = serializers.SerializerMethodField()
    service_type = serializers.IntegerField(source="service_type_id")
    service_name = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    status = serializers.CharField()
    citizen_name = serializers.CharField()
    phone = serializers.SerializerMethodField()

    def get_platform_name(self, appointment) -> str:
        return local_name(appointment.platform)

    def get_service_name(self, appointment) -> str:
        return local_name(appointment.service_type)

    def get_phone(self, appointment) -> str:
        return mask(appointment.citizen_phone)


class BookingsView(PublicView):
    @extend_schema(request=BookingInputSerializer, responses={201: BookingSerializer, 200: BookingSerializer})
    def post(self, request):
        """Book a slot with the code from the SMS: 201, or 200 with the first booking for a repeated key."""
        data = validated_input(BookingInputSerializer, request)
        appointment, created = run(booking.booking_create, slot_id=data["slot"], name=data["name"], phone=data["phone"],
                                   code=data["code"], language=data["language"], idempotency_key=data["idempotency_key"])
        return Response(BookingSerializer(appointment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


TOKEN = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH, description="The token from the SMS link.")


class BookingView(PublicView):
    @extend_schema(parameters=[TOKEN], responses=BookingSerializer)
    def get(self, request, token):
        """The booking behind its link (the phone masked)."""
        appointment = selectors.booking_by_token(token)
        if appointment is None:
            return Response({"detail": str(booking.NO_BOOKING)}, status=status.HTTP_404_NOT_FOUND)
        return Response(BookingSerializer(appointment).data)


class BookingCancelView(PublicView):
    throttle_classes = [PUBLIC_THROTTLES[0]]

    @extend_schema(parameters=[TOKEN], request=None, responses=BookingSerializer)
    def post(self, request, token):
        return Response(BookingSerializer(run(booking.booking_cancel, token=token)).data)


class BookingMoveSerializer(serializers.Serializer):
    slot = serializers.IntegerField()


class BookingMoveView(PublicView):
    throttle_classes = [PUBLIC_THROTTLES[0]]

    @extend_schema(parameters=[TOKEN], request=BookingMoveSerializer, responses=BookingSerializer)
    def post(self, request, token):
        """To another slot of the same service at the same platform."""
        data = validated_input(BookingMoveSerializer, request)
        return Response(BookingSerializer(run(booking.booking_move, token=token, slot_id=data["slot"])).data)


class SurveyPublicSerializer(serializers.Serializer):
    date = serializers.DateField()
    category = serializers.CharField()
    platform = serializers.CharField(allow_blank=True)


class SurveyView(PublicView):
    throttle_classes = [PUBLIC_THROTTLES[0]]

    @extend_schema(parameters=[TOKEN], responses=SurveyPublicSerializer)
    def get(self, request, token):
        """What the survey is about, without personal data; 404 unknown, 409 answered, 410 expired."""
        return Response(selectors.survey_public(run(surveys.survey_by_token, token=token)))

    @extend_schema(parameters=[TOKEN], request=SurveyAnswersSerializer, responses={200: SurveyPublicSerializer})
    def post(self, request, token):
        """The answers; the link is used up."""
        data = validated_input(SurveyAnswersSerializer, request)
        survey = run(surveys.survey_answer, token=token, **data)
        return Response(selectors.survey_public(survey))

