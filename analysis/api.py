"""The analysis API under /api/v1/analysis/: search, trace, track playback, briefings (list, run on
demand, read, CSV and PDF), figures, hot spots and hot-spot patrols. Thin: parse, authorize, call
one selector or service, answer. Dispatchers and supervisors (their platforms) read and run
briefings, supervisors send hot-spot patrols, leadership reads everything and changes nothing."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from analysis import briefing_runs, briefings, exports, hotspot_patrols, hotspots, inputs, periods, selectors, trace
from analysis.scopes import scope_for, scope_of_briefing
from analysis.search import SearchQuery, incidents_search
from common.roles import Role, access_of, roles

ADMIN, DISPATCHER, SUPERVISOR, LEADERSHIP = Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.LEADERSHIP
READERS = roles(ADMIN, DISPATCHER, SUPERVISOR, read=(LEADERSHIP,))
PATROL_WRITERS = roles(ADMIN, SUPERVISOR, read=(DISPATCHER, LEADERSHIP))
MAX_POINTS = 5000
MAX_COUNT = 10_000   # a count past this reads "10,000+": counting every match of a loose search costs more than it tells


def _query(serializer_class, request, data=None) -> dict:
    serializer = serializer_class(data=request.query_params if data is None else data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _scope(request, data: dict):
    try:
        return scope_for(access_of(request), platform=data.get("platform"), district=data.get("district"))
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.message_dict) from None


def _search_query(request, data: dict) -> SearchQuery:
    access = access_of(request)
    if data.get("platform") is not None:
        _scope(request, {"platform": data["platform"]})
    if data.get("unit") is not None and not selectors.visible_units(access).filter(pk=data["unit"]).exists():
        raise serializers.ValidationError({"unit": [_unknown("unit")]})
    return SearchQuery(since=data["since"], until=data["until"], text=data["q"].strip(), categories=data["category"],
                       priorities=data["priority"], statuses=data["status"], zone=data.get("zone"),
                       platform=data.get("platform"), unit=data.get("unit"), response_class=data["response_class"],
                       met={"met": True, "missed": False}.get(data["target"]), area=data["area"])


def _unknown(what: str) -> str:
    from django.utils.translation import gettext as _  # noqa: PLC0415

    return {"unit": _("Unknown unit."), "briefing": _("Unknown briefing.")}[what]


def _row(incident) -> dict:
    return {"id": incident.pk, "number": incident.number, "received_at": trace._iso(incident.received_at),
            "category": incident.category, "category_label": str(incident.get_category_display()),
            "priority": incident.priority, "status": incident.status, "status_label": str(incident.get_status_display()),
            "address": incident.address, "lon": incident.lon, "lat": incident.lat,
            "zone": incident.zone.code if incident.zone else "", "target_s": incident.target_s,
            "dispatch_to_scene_s": incident.dispatch_to_scene_s, "met_target": incident.met_target,
            "trace": f"/analysis/incidents/{incident.pk}/"}


class IncidentSearchView(APIView):
    permission_classes = [READERS]

    @extend_schema(parameters=[inputs.SearchInput], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """Incidents matching the text and filters, newest first, a page at a time (at most 100)."""
        data = _query(inputs.SearchInput, request)
        found = incidents_search(platform_ids=access_of(request).platform_ids, query=_search_query(request, data))
        page, size = data["page"], data["page_size"]
        rows = list(found[(page - 1) * size:page * size])
        count = found.order_by()[:MAX_COUNT + 1].count()
        return Response({"count": min(count, MAX_COUNT), "count_capped": count > MAX_COUNT, "page": page, "page_size": size,
                         "results": [_row(i) for i in rows]})


class IncidentPointsView(APIView):
    permission_classes = [READERS]

    @extend_schema(parameters=[inputs.SearchInput], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """The same search's incidents for the map: [id, lon, lat, priority], newest first, at most 5,000."""
        data = _query(inputs.SearchInput, request)
        found = incidents_search(platform_ids=access_of(request).platform_ids, query=_search_query(request, data))
        points = list(found.values_list("id", "lon", "lat", "priority")[:MAX_POINTS + 1])
        return Response({"points": [list(p) for p in points[:MAX_POINTS]], "truncated": len(points) > MAX_POINTS})


class IncidentTraceView(APIView):
    permission_classes = [READERS]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, incident_id: int):
        """Everything about one call, end to end: timeline, units and their tracks, clocks, callback."""
        access = access_of(request)
        incident = get_object_or_404(selectors.visible_incidents(access).select_related("zone", "key_site"), pk=incident_id)
        return Response(trace.incident_trace(incident, access=access))


class TrackPlaybackView(APIView):
    permission_classes = [READERS]

    @extend_schema(parameters=[inputs.TrackInput], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """A unit's track over a time range (at most ANALYSIS_MAX_TRACK_HOURS), its crew, its incidents."""
        data = _query(inputs.TrackInput, request)
        unit = selectors.visible_units(access_of(request)).filter(pk=data["unit"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit": [_unknown("unit")]})
        return Response(trace.unit_playback(unit, data["since"], data["until"]))


class FiguresView(APIView):
    permission_classes = [READERS]

    @extend_schema(parameters=[inputs.FiguresInput], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """A briefing's incident figures worked out now, not stored (`source=raw`: from raw rows)."""
        data = _query(inputs.FiguresInput, request)
        scope = _scope(request, data)
        try:
            period = periods.period_of(data["kind"], data["start"], data.get("end"))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(briefings.incident_figures(kind=data["kind"], period=period, scope=scope, source=data["source"]))


class BriefingListView(APIView):
    permission_classes = [READERS]

    @extend_schema(operation_id="analysis_briefings_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """Briefings made, newest period first (the latest 200)."""
        rows = selectors.visible_briefings(access_of(request)).order_by("-starts_on", "-created_at", "-id")[:200]
        return Response({"results": [selectors.briefing_row(b) for b in rows]})

    @extend_schema(request=inputs.BriefingInput, responses={202: OpenApiTypes.OBJECT})
    def post(self, request):
        """Run a briefing now, for any period: queued for a worker; poll it for its progress."""
        data = _query(inputs.BriefingInput, request, data=request.data)
        scope = _scope(request, data)
        try:
            briefing = briefing_runs.briefing_request(actor=request.user, kind=data["kind"], start=data["start"],
                                                      end=data.get("end"), scope=scope)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(selectors.briefing_row(briefing), status=status.HTTP_202_ACCEPTED)


def _briefing(request, briefing_id: int):
    return get_object_or_404(selectors.visible_briefings(access_of(request)), pk=briefing_id)


class BriefingDetailView(APIView):
    permission_classes = [READERS]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, briefing_id: int):
        """One briefing: its progress while it runs, its figures once done."""
        briefing = _briefing(request, briefing_id)
        return Response({**selectors.briefing_row(briefing), "figures": briefing.figures})


class BriefingCsvView(APIView):
    permission_classes = [READERS]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, briefing_id: int):
        """The briefing period's incidents as CSV (UTF-8 with BOM), callers' phones masked."""
        briefing = _briefing(request, briefing_id)
        period = periods.Period(briefing.starts_on, briefing.ends_on)
        response = StreamingHttpResponse(exports.csv_stream(period, scope_of_briefing(briefing)),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="incidents-{briefing.starts_on}-{briefing.ends_on}.csv"'
        return response


class BriefingPdfView(APIView):
    permission_classes = [READERS]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 409: OpenApiTypes.OBJECT})
    def get(self, request, briefing_id: int):
        """The briefing as a PDF with its charts (once it is done)."""
        from django.utils.translation import gettext as _  # noqa: PLC0415

        briefing = _briefing(request, briefing_id)
        if briefing.status != "done":
            return Response({"detail": _("The briefing is not ready yet.")}, status=status.HTTP_409_CONFLICT)
        content = exports.pdf_bytes(briefing, briefing.figures, selectors.briefing_title(briefing))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="briefing-{briefing.kind}-{briefing.starts_on}.pdf"'
        return response


class HotSpotsView(APIView):
    permission_classes = [READERS]

    @extend_schema(parameters=[inputs.HotSpotInput], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """Counts, density and Gi* per H3 cell for a period, category and band; hot and emerging spots."""
        data = _query(inputs.HotSpotInput, request)
        scope = _scope(request, data)
        return Response(hotspots.analyse(period=periods.Period(data["start"], data["end"]), scope=scope,
                                         category=data["category"] or None, resolution=data["resolution"],
                                         band=hotspots.Band(data["band_start"], data["band_end"] % 24 or 24)))


class HotSpotPatrolListView(APIView):
    permission_classes = [PATROL_WRITERS]

    @extend_schema(operation_id="analysis_hotspot_patrols_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """Hot-spot patrols sent, newest first (the latest 200)."""
        rows = selectors.visible_hotspot_patrols(access_of(request))[:200]
        return Response({"results": [selectors.hotspot_patrol_row(h) for h in rows]})

    @extend_schema(request=inputs.HotSpotPatrolInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        """A targeted patrol at a hot spot, in one step: the point and its tasks in the platform's plans."""
        data = _query(inputs.HotSpotPatrolInput, request, data=request.data)
        platform = _scope(request, {"platform": data["platform"]})
        hot_spot = hotspot_patrols.hotspot_patrol_create(
            actor=request.user, platform=selectors.visible_platforms(access_of(request)).get(pk=platform.pk),
            cell=data["cell"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            bands=[tuple(b) for b in data["bands"]], category=data["category"])
        return Response({**selectors.hotspot_patrol_row(hot_spot), "effect": hotspot_patrols.patrol_effect(hot_spot)},
                        status=status.HTTP_201_CREATED)


class HotSpotPatrolDetailView(APIView):
    permission_classes = [READERS]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, patrol_id: int):
        """A hot-spot patrol: incidents before and during (and around), and each task's verification."""
        hot_spot = get_object_or_404(selectors.visible_hotspot_patrols(access_of(request)), pk=patrol_id)
        return Response({**selectors.hotspot_patrol_row(hot_spot), "effect": hotspot_patrols.patrol_effect(hot_spot)})
