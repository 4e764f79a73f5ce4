"""The clerk's desk over REST: the catalogue (offers, opening hours, stations, slots), appointments,
queue tickets, help given, the day's figures and the queue display. A clerk acts on their platform's
desk; a supervisor reads theirs (and keeps the catalogue); officers and dispatchers see none of it."""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from common.rest import CheckedModelSerializer, EditableViewSet, validated_input
from common.roles import Role, access_of, roles
from common.scoping import scoped
from platforms.models import Platform
from services import catalogue, desk, selectors
from services.api import serializers as s
from services.models import Appointment, DeskEvent, HelpGiven, OpeningHours, ServiceOffer, ServiceType, Slot, Station, Ticket

ADMIN, SUPERVISOR, CLERK = Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CLERK
DESK = roles(ADMIN, CLERK, read=(SUPERVISOR,))
CATALOGUE = roles(ADMIN, SUPERVISOR, read=(CLERK,))


def platform_in_scope(request, platform_id) -> Platform:
    platform = scoped(Platform.objects.all(), access_of(request).platform_ids, "id").filter(pk=platform_id).first()
    if platform is None:
        raise ValidationError({"platform": _("Choose one of the platforms you work for.")})
    return platform


def _service(service_id) -> ServiceType:
    service = ServiceType.objects.filter(pk=service_id).first()
    if service is None:
        raise ValidationError({"service_type": _("No such service.")})
    return service


class ScopedMixin:
    scope_path = "platform_id"

    def get_queryset(self):
        return scoped(self.queryset, access_of(self.request).platform_ids, self.scope_path)


class OfferViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                   viewsets.GenericViewSet):
    """Which services a platform offers and how: handling time, by appointment only, slot size and places."""

    queryset = ServiceOffer.objects.select_related("service_type", "platform")
    serializer_class = s.ServiceOfferSerializer
    permission_classes = [CATALOGUE]
    filterset_fields = ["platform", "service_type"]
    http_method_names = ["get", "patch", "head", "options"]


class OpeningHoursInput(CheckedModelSerializer, s.OpeningHoursSerializer):
    scoped_relations = {"platform": "id"}

    class Meta(s.OpeningHoursSerializer.Meta):
        pass


class OpeningHoursViewSet(ScopedMixin, EditableViewSet):
    """The desk's opening hours by weekday; a weekday without a row is closed."""

    queryset = OpeningHours.objects.all()
    serializer_class = OpeningHoursInput
    permission_classes = [CATALOGUE]
    filterset_fields = ["platform", "weekday"]


class StationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The stations a citizen can be referred to."""

    queryset = Station.objects.all()
    serializer_class = s.PoliceStationSerializer
    permission_classes = [roles(ADMIN, read=(SUPERVISOR, CLERK))]
    pagination_class = None


class SlotViewSet(ScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Slot.objects.all()
    serializer_class = s.BookingSlotSerializer
    permission_classes = [roles(ADMIN, SUPERVISOR, read=(CLERK,))]
    filterset_fields = {"platform": ["exact"], "service_type": ["exact"], "starts_at": ["gte", "lt"]}

    @extend_schema(request=s.DeskDayQuerySerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Make a day's slots from the opening hours for every service offered (slots made stay)."""
        data = validated_input(s.DeskDayQuerySerializer, request)
        platform = platform_in_scope(request, data["platform"])
        added = catalogue.slots_generate(platform_id=platform.pk, day=data["day"] or timezone.localdate())
        return Response({"added": added}, status=status.HTTP_201_CREATED)


class AppointmentViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bookings at the platform's desk; the citizen's phone masked."""

    queryset = Appointment.objects.select_related("ticket")
    serializer_class = s.AppointmentSerializer
    permission_classes = [DESK]
    filterset_fields = {"platform": ["exact"], "status": ["exact"], "starts_at": ["gte", "lt"]}

    @extend_schema(responses=s.DeskEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        """The booking's timeline and its ticket's, oldest step first, with who and when."""
        appointment = self.get_object()
        events = DeskEvent.objects.filter(Q(appointment=appointment) | Q(ticket__appointment=appointment))
        return Response(s.DeskEventSerializer(events.order_by("at", "id"), many=True).data)

    @extend_schema(request=None, responses={201: s.TicketSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """The citizen has arrived: a `Y…` ticket in the queue."""
        ticket = desk.appointment_check_in(actor=request.user, appointment=self.get_object())
        return Response(s.TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.RevealedPhoneSerializer)
    @action(detail=True, methods=["post"], url_path="reveal-phone", permission_classes=[roles(ADMIN, CLERK)])
    def reveal_phone(self, request, pk=None):
        """The full number to ring the citizen; the reading is recorded."""
        return Response({"phone": desk.appointment_phone_reveal(actor=request.user, appointment=self.get_object())})


class TicketViewSet(ScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Queue tickets (取号): issue, call, serve, complete, no-show."""

    queryset = Ticket.objects.select_related("appointment")
    serializer_class = s.TicketSerializer
    permission_classes = [DESK]
    filterset_fields = ["platform", "day", "status"]

    @extend_schema(request=s.TicketIssueSerializer, responses={201: s.TicketSerializer})
    def create(self, request):
        """A walk-in's ticket for a service the platform offers (not one by appointment only)."""
        data = validated_input(s.TicketIssueSerializer, request)
        ticket = desk.ticket_issue(actor=request.user, platform=platform_in_scope(request, data["platform"]),
                                   service_type=_service(data["service_type"]))
        return Response(self.get_serializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.DeskEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        """The ticket's timeline, oldest step first, with who and when."""
        return Response(s.DeskEventSerializer(self.get_object().events.order_by("at", "id"), many=True).data)

    @extend_schema(request=s.TicketCallNextSerializer, responses={200: s.TicketSerializer, 204: None})
    @action(detail=False, methods=["post"], url_path="call-next")
    def call_next(self, request):
        """Call the next waiting ticket (booked citizens first) to the counter; 204 when nobody waits."""
        data = validated_input(s.TicketCallNextSerializer, request)
        ticket = desk.ticket_call_next(actor=request.user, platform=platform_in_scope(request, data["platform"]),
                                       counter=data["counter"])
        return Response(status=status.HTTP_204_NO_CONTENT) if ticket is None else Response(self.get_serializer(ticket).data)

    @extend_schema(request=s.TicketCounterSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def call(self, request, pk=None):
        data = validated_input(s.TicketCounterSerializer, request)
        return Response(self.get_serializer(desk.ticket_call(actor=request.user, ticket=self.get_object(), **data)).data)

    @extend_schema(request=None, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def serve(self, request, pk=None):
        return Response(self.get_serializer(desk.ticket_serve(actor=request.user, ticket=self.get_object())).data)

    @extend_schema(request=s.TicketCompleteSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Done, more documents needed, or referred to a station (which one)."""
        data = validated_input(s.TicketCompleteSerializer, request)
        ticket = desk.ticket_complete(actor=request.user, ticket=self.get_object(), **data)
        return Response(self.get_serializer(ticket).data)

    @extend_schema(request=None, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        """After the grace time since the call."""
        return Response(self.get_serializer(desk.ticket_no_show(actor=request.user, ticket=self.get_object())).data)


class HelpViewSet(ScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Help that is not one of the services (directions, lost and found, first aid, a phone charge)."""

    queryset = HelpGiven.objects.all()
    serializer_class = s.HelpGivenSerializer
    permission_classes = [DESK]
    filterset_fields = {"platform": ["exact"], "kind": ["exact"], "at": ["gte", "lt"]}

    @extend_schema(request=s.HelpGivenInputSerializer, responses={201: s.HelpGivenSerializer})
    def create(self, request):
        data = validated_input(s.HelpGivenInputSerializer, request)
        given = desk.help_log(actor=request.user, platform=platform_in_scope(request, data["platform"]),
                              kind=data["kind"], note=data["note"])
        return Response(self.get_serializer(given).data, status=status.HTTP_201_CREATED)


class DeskFiguresView(APIView):
    permission_classes = [roles(ADMIN, read=(SUPERVISOR, CLERK))]

    @extend_schema(parameters=[s.DeskDayQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """A day's desk per platform and service: served, waited P50/P90 (s), no-shows; help given."""
        query = s.DeskDayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data["day"] or timezone.localdate()
        platform_ids = access_of(request).platform_ids
        if query.validated_data["platform"]:
            platform_ids = {platform_in_scope(request, query.validated_data["platform"]).pk}
        return Response({"day": day, "rows": selectors.desk_figures(platform_ids, day),
                         "help": selectors.help_counts(platform_ids, day)})


class QueueDisplayView(APIView):
    permission_classes = [roles(ADMIN, read=(SUPERVISOR, CLERK))]

    @extend_schema(parameters=[s.DeskDayQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """The platform's screen: the latest tickets called, newest first, with their counters."""
        query = s.DeskDayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        platform = platform_in_scope(request, query.validated_data["platform"])
        called = selectors.called_now(platform.pk)
        waiting = Ticket.objects.filter(platform=platform, day=timezone.localdate(), status="waiting").count()
        return Response({"platform": platform.pk, "waiting": waiting,
                         "called": [{"number": t.number, "counter": t.counter, "status": t.status,
                                     "called_at": t.called_at} for t in called]})
