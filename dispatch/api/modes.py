"""What each way of moving may be sent to, per category (issue 16): the rows over dispatch.mode_policy's
defaults, kept by administrators, read by dispatchers and supervisors; and every category's effective rules."""
from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.rest import CheckedModelSerializer
from common.roles import roles
from dispatch import mode_policy
from dispatch.api.visibility import ADMIN, DISPATCHER, SUPERVISOR
from dispatch.models import Category, ModePolicy
from grid import modes


class ModePolicySerializer(CheckedModelSerializer):
    class Meta:
        model = ModePolicy
        fields = ["id", "category", "mode", "allowed", "max_eta_s", "car_backup"]


class EffectiveRuleSerializer(serializers.Serializer):
    category = serializers.CharField()
    mode = serializers.CharField()
    allowed = serializers.BooleanField()
    max_eta_s = serializers.FloatField(allow_null=True)
    car_backup = serializers.BooleanField()
    overridden = serializers.BooleanField(help_text="A row sets it; else the default of dispatch.mode_policy.")


class ModePolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Per category and mode: may such a unit be sent, its longest ETA, and whether a car goes beside it.
    A row overrides the default for its pair; deleting it restores the default."""

    queryset = ModePolicy.objects.all()
    serializer_class = ModePolicySerializer
    permission_classes = [roles(ADMIN, read=(DISPATCHER, SUPERVISOR))]
    pagination_class = None

    def perform_create(self, serializer):
        serializer.save()
        mode_policy.forget()

    def perform_update(self, serializer):
        serializer.save()
        mode_policy.forget()

    def perform_destroy(self, instance):
        instance.delete()
        mode_policy.forget()

    @extend_schema(responses=EffectiveRuleSerializer(many=True))
    @action(detail=False, methods=["get"])
    def effective(self, request):
        """Every category and mode as the engine applies them now."""
        overridden = set(ModePolicy.objects.values_list("category", "mode"))
        rows = [{"category": category, "mode": mode, **asdict(mode_policy.limit(category, mode)),
                 "overridden": (category, mode) in overridden}
                for category in Category.values for mode in modes.MODES]
        return Response(EffectiveRuleSerializer(rows, many=True).data)
