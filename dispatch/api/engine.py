"""The engine's answers and what the dispatcher must act on: recommendations and alerts."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.rest import validated_input
from common.roles import access_of, roles
from dispatch import decisions, serializers, services
from dispatch.api.visibility import ADMIN, DISPATCHER, SUPERVISOR, visible_incidents
from dispatch.models import Alert, Recommendation


class RecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The engine's ranked units per incident; the dispatcher accepts one in one action."""

    serializer_class = serializers.RecommendationSerializer
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR,))]
    filterset_fields = ["incident"]

    def get_queryset(self):
        incidents = visible_incidents(access_of(self.request))
        return Recommendation.objects.filter(incident__in=incidents).order_by("-created_at", "-id")

    @extend_schema(request=serializers.AcceptSerializer, responses={201: serializers.AssignmentSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None)  # a plain list (the schema said paginated)
    def accept(self, request, pk=None):
        """Send the proposed units (or the ranked ones picked); 409 if a newer ranking exists or a unit was
        taken, and 409 with the fresh recommendation when this one's ETAs were stale (ranked again)."""
        data = validated_input(serializers.AcceptSerializer, request)
        try:
            made = decisions.recommendation_accept_fresh(actor=request.user, recommendation=self.get_object(), **data)
        except decisions.StaleRecommendation as stale:
            fresh = serializers.RecommendationSerializer(stale.fresh).data if stale.fresh else None
            return Response({"detail": stale.messages[0], "code": "stale", "recommendation": fresh},
                            status=status.HTTP_409_CONFLICT)
        return Response(serializers.AssignmentSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What the dispatcher must act on: not acknowledged, at risk, no unit, pre-empted."""

    serializer_class = serializers.AlertSerializer
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR,))]
    filterset_fields = {"kind": ["exact"], "incident": ["exact"], "closed_at": ["isnull"]}

    def get_queryset(self):
        access = access_of(self.request)
        alerts = Alert.objects.all()
        if access.platform_ids is not None:
            alerts = alerts.filter(incident__in=visible_incidents(access))
        return alerts

    @extend_schema(request=None, responses=serializers.AlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Mark the alert seen and handled."""
        alert = services.alert_close(actor=request.user, alert=self.get_object())
        return Response(self.get_serializer(alert).data)
