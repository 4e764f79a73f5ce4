"""Units sent to incidents: send one (or a backup), advance its steps, replace it or take it back."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.rest import validated_input
from common.roles import access_of, roles
from dispatch import serializers, services, unit_control
from dispatch import filters
from dispatch.api.visibility import ADMIN, DISPATCHER, OFFICER, SUPERVISOR, visible_assignments
from dispatch.inputs import ReasonSerializer, ReassignSerializer


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """Units sent to incidents; an officer sees and advances only their own."""

    serializer_class = serializers.AssignmentSerializer
    filterset_class = filters.AssignmentFilter
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR, OFFICER))]
    ordering_fields = ["assigned_at", "status"]

    def get_queryset(self):
        return visible_assignments(access_of(self.request))

    @extend_schema(request=serializers.AssignmentOrderSerializer, responses={201: serializers.AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        """Send a unit: 409 when the unit was taken meanwhile (another dispatcher or the engine)."""
        data = validated_input(serializers.AssignmentOrderSerializer, request)
        assignment = services.assignment_create(actor=request.user, **data)
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.AssignmentProgressSerializer, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER, OFFICER)])
    def status(self, request, pk=None):
        """Acknowledge, en route, on scene, cleared; 409 when the step no longer fits."""
        assignment = self.get_object()
        data = dict(validated_input(serializers.AssignmentProgressSerializer, request))
        lon, lat = data.pop("lon"), data.pop("lat")
        where = (lon, lat) if lon is not None and lat is not None else None
        assignment = services.assignment_advance(actor=request.user, assignment=assignment, where=where, **data)
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=ReassignSerializer, responses={201: serializers.AssignmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER)])
    def reassign(self, request, pk=None):
        """Replace the unit on the job (改派): it is released with the reason, the new one sent; 409 when
        the new unit was taken meanwhile (the first then stays)."""
        data = validated_input(ReassignSerializer, request)
        made = unit_control.assignment_reassign(actor=request.user, assignment=self.get_object(), **data)
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER)])
    def recall(self, request, pk=None):
        """Take the unit back from the job, with the reason: it is available again."""
        data = validated_input(ReasonSerializer, request)
        released = unit_control.assignment_recall(actor=request.user, assignment=self.get_object(), **data)
        return Response(self.get_serializer(released).data)
