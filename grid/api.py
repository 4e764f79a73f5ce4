"""The grid's API: zones, key sites, must-patrol points and routes, and `locate`.

Only administrators redraw the map; the command centre and the platform supervisors read it.
"""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from command.rest import EditableViewSet
from command.models import Role
from command.roles import roles
from grid import filters, serializers
from grid.models import KeySite, PatrolPoint, PatrolRoute, Zone, check_point_served
from grid.selectors import locate

MAP_READERS = (Role.DISPATCHER, Role.SUPERVISOR)


class ZoneViewSet(EditableViewSet):
    """Grid patrol zones (网格巡区): polygon, owning platform and response class."""

    queryset = Zone.objects.all()
    serializer_class = serializers.ZoneSerializer
    filterset_class = filters.ZoneFilter
    permission_classes = [roles(Role.ADMINISTRATOR, read=MAP_READERS)]
    ordering_fields = ["code", "name", "response_class", "updated_at"]


class KeySiteViewSet(EditableViewSet):
    """Key sites (重点部位): a call within their radius or polygon has the 1-minute target."""

    queryset = KeySite.objects.all()
    serializer_class = serializers.KeySiteSerializer
    filterset_class = filters.KeySiteFilter
    permission_classes = [roles(Role.ADMINISTRATOR, read=MAP_READERS)]
    ordering_fields = ["code", "name", "kind"]


class PatrolPointViewSet(EditableViewSet):
    """Must-patrol points (必巡点)."""

    queryset = PatrolPoint.objects.all()
    serializer_class = serializers.PatrolPointSerializer
    filterset_class = filters.PatrolPointFilter
    permission_classes = [roles(Role.ADMINISTRATOR, read=MAP_READERS)]
    ordering_fields = ["code", "name"]


class PatrolRouteViewSet(EditableViewSet):
    """Must-patrol lines (必巡线) along real streets."""

    queryset = PatrolRoute.objects.all()
    serializer_class = serializers.PatrolRouteSerializer
    filterset_class = filters.PatrolRouteFilter
    permission_classes = [roles(Role.ADMINISTRATOR, read=MAP_READERS)]
    ordering_fields = ["code", "name", "length_m"]


class LocateView(APIView):
    """Which zone and key site a point falls in, and so its response target."""

    permission_classes = [roles(Role.ADMINISTRATOR, *MAP_READERS)]

    @extend_schema(operation_id="locate", parameters=[serializers.LocateQuerySerializer],
                   responses=serializers.LocationSerializer)
    def get(self, request):
        query = serializers.LocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        lon, lat = check_point_served(query.validated_data["lon"], query.validated_data["lat"], field="lon")
        return Response(serializers.LocationSerializer(locate(lon, lat)).data)
