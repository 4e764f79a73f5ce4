"""The grid's API: zones, key sites, must-patrol points and routes, `locate`, travel (routes, ETAs,
isochrones and the road network) and address lookup (search, reverse lookup, a point's preview).

Only administrators redraw the map; the command centre and the platform supervisors read it and ask
for travel times. Officers may ask for a route (their tablet's navigation), nothing else of travel.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from common.rest import EditableViewSet, validated_input
from common.roles import Role, roles
from grid import filters, serializers, travel
from grid.isochrone import isochrone
from grid.models import KeySite, PatrolPoint, PatrolRoute, Zone, check_point_served
from grid.place_search import search_places
from grid.places import reverse_lookup
from grid.selectors import active_road_network, locate, point_preview

MAP_READERS = (Role.DISPATCHER, Role.SUPERVISOR)
PLACE_READERS = (Role.ADMINISTRATOR, *MAP_READERS, Role.OFFICER)


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


# --- travel: routes, ETAs, isochrones, and the road network they run on --------------------------

class TravelRouteView(APIView):
    """The road route between two points with turn-by-turn steps (tablet navigation, console lines)."""

    permission_classes = [roles(Role.ADMINISTRATOR, *MAP_READERS, Role.OFFICER)]

    @extend_schema(operation_id="travel_route", parameters=[serializers.RouteQuerySerializer],
                   responses=serializers.RouteSerializer)
    def get(self, request):
        query = _checked_query(serializers.RouteQuerySerializer, request)
        found = travel.route(query["origin"], query["target"], profile=query["profile"])  # NoRoute → 400
        return Response(serializers.RouteSerializer(found).data)


class TravelEtaView(APIView):
    """Travel times from many points (units) to one (an incident): one OSRM table."""

    permission_classes = [roles(Role.ADMINISTRATOR, *MAP_READERS)]

    @extend_schema(operation_id="travel_eta", request=serializers.EtaQuerySerializer, responses=serializers.EtaSerializer)
    def post(self, request):
        query = validated_input(serializers.EtaQuerySerializer, request)
        legs = travel.durations_to(query["target"], query["sources"], profile=query["profile"])
        return Response(serializers.EtaSerializer(eta_answer(legs)).data)


def eta_answer(legs: list) -> dict:
    """Parallel lists, null where a source is off the network: 5,000 answers stay compact."""
    return {"durations_s": [None if leg is None else round(leg.duration_s, 1) for leg in legs],
            "distances_m": [None if leg is None else round(leg.distance_m, 1) for leg in legs],
            "estimated": any(leg.estimated for leg in legs if leg is not None)}


class TravelIsochroneView(APIView):
    """The area reachable from a point within a time (coverage planning, the console's rings)."""

    permission_classes = [roles(Role.ADMINISTRATOR, *MAP_READERS)]

    @extend_schema(operation_id="travel_isochrone", parameters=[serializers.IsochroneQuerySerializer],
                   responses=serializers.IsochroneSerializer)
    def get(self, request):
        query = _checked_query(serializers.IsochroneQuerySerializer, request)
        area = isochrone(query["origin"], query["seconds"], profile=query["profile"])
        return Response(serializers.IsochroneSerializer(area).data)


class RoadNetworkView(APIView):
    """The road network every travel time is computed on, with its build figures; 404 when none is loaded."""

    permission_classes = [roles(Role.ADMINISTRATOR, *MAP_READERS)]

    @extend_schema(operation_id="road_network", responses=serializers.RoadNetworkSerializer)
    def get(self, request):
        network = active_road_network()
        if network is None:
            raise NotFound("No road network is loaded: run `manage.py import_roads`.")
        return Response(serializers.RoadNetworkSerializer(network).data)


# --- address lookup ---------------------------------------------------------------------------------

class PlaceSearchView(APIView):
    """Address lookup (`?q=西藏南路复兴东路口`): places of the served area for what a caller said, best match
    first. Officers too: they report what they find on patrol with its address."""

    permission_classes = [roles(*PLACE_READERS)]

    @extend_schema(operation_id="places_search", parameters=[serializers.PlaceQuerySerializer],
                   responses=serializers.PlaceHitSerializer(many=True))
    def get(self, request):
        query = _plain_query(serializers.PlaceQuerySerializer, request)
        hits = search_places(query["q"], limit=query["limit"])
        return Response(serializers.PlaceHitSerializer(hits, many=True).data)


class PlaceReverseView(APIView):
    """The address of a map point: the junction or house number there, else its street with the nearest
    named place or junction."""

    permission_classes = [roles(*PLACE_READERS)]

    @extend_schema(operation_id="places_reverse", parameters=[serializers.PointQuerySerializer],
                   responses=serializers.AddressSerializer)
    def get(self, request):
        lon, lat = _served_point(request)
        return Response(serializers.AddressSerializer(reverse_lookup(lon, lat)).data)


class PlaceLocateView(APIView):
    """Which zone, key site and response target a point falls in, with their names: shown before a call
    placed there is saved."""

    permission_classes = [roles(*PLACE_READERS)]

    @extend_schema(operation_id="places_locate", parameters=[serializers.PointQuerySerializer],
                   responses=serializers.PointPreviewSerializer)
    def get(self, request):
        lon, lat = _served_point(request)
        return Response(serializers.PointPreviewSerializer(point_preview(lon, lat)).data)


class BadQuery(APIException):
    """400 with one message a person can read, in their language: no field names."""

    status_code = 400
    default_code = "invalid"


def _plain_query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    if not query.is_valid():
        raise BadQuery(" ".join(dict.fromkeys(str(m) for messages in query.errors.values() for m in messages)))
    return query.validated_data


def _served_point(request) -> tuple[float, float]:
    query = _plain_query(serializers.PointQuerySerializer, request)
    try:
        return check_point_served(query["lon"], query["lat"])
    except DjangoValidationError as error:
        raise BadQuery(" ".join(error.messages)) from None


def _checked_query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data
