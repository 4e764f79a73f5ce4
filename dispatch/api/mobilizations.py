"""Mass musters (集结) over the API."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.rest import validated_input
from common.roles import roles
from dispatch import mobilization, serializers
from dispatch.api.visibility import ADMIN, DISPATCHER, SUPERVISOR
from dispatch.models import Mobilization


class MobilizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Mass musters (集结): propose by ETA keeping zone cover, then confirm to dispatch."""

    serializer_class = serializers.MobilizationSerializer
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR,))]
    queryset = Mobilization.objects.all()

    @extend_schema(request=serializers.MobilizationOrderSerializer, responses={201: serializers.MobilizationSerializer})
    def create(self, request, *args, **kwargs):
        """Propose a muster: the units by ETA, the arrival curve, who stays for zone cover."""
        data = validated_input(serializers.MobilizationOrderSerializer, request)
        proposed = mobilization.mobilization_propose(actor=request.user, **data)
        return Response(self.get_serializer(proposed).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.MobilizationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Dispatch the proposed units under one mass-event incident."""
        confirmed = mobilization.mobilization_confirm(actor=request.user, mobilization=self.get_object())
        return Response(self.get_serializer(confirmed).data)

    @extend_schema(request=None, responses=serializers.MobilizationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        cancelled = mobilization.mobilization_cancel(actor=request.user, mobilization=self.get_object())
        return Response(self.get_serializer(cancelled).data)
