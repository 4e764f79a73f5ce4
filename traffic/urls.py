from django.urls import path

from common.rest import Router
from traffic.api import accidents, control, layers, records

router = Router()
router.register("traffic/violation-types", records.ViolationTypeViewSet, basename="traffic-violation-type")
router.register("traffic/congestion-bands", layers.CongestionBandViewSet, basename="traffic-congestion-band")

INCIDENT = "traffic/incidents/<int:incident_id>"

urlpatterns = [
    path(f"{INCIDENT}/accident", accidents.AccidentView.as_view(), name="traffic-accident"),
    path(f"{INCIDENT}/accident/settlement", accidents.AccidentSettlementView.as_view(), name="traffic-settlement"),
    path(f"{INCIDENT}/accident/settlement.pdf", accidents.SettlementPdfView.as_view(), name="traffic-settlement-pdf"),
    path(f"{INCIDENT}/accident/escalate", accidents.AccidentEscalateView.as_view(), name="traffic-accident-escalate"),
    path("traffic/accident-parties/<int:party_id>/reveal", accidents.PartyRevealView.as_view(), name="traffic-party-reveal"),
    path(f"{INCIDENT}/congestion", accidents.CongestionView.as_view(), name="traffic-congestion"),
    path(f"{INCIDENT}/congestion/flowing", accidents.CongestionFlowingView.as_view(), name="traffic-congestion-flowing"),
    path("traffic/violations", records.ViolationsView.as_view(), name="traffic-violations"),
    path("traffic/violations/<int:violation_id>/photo", records.ViolationPhotoView.as_view(), name="traffic-violation-photo"),
    path("traffic/drink-checks", records.DrinkChecksView.as_view(), name="traffic-drink-checks"),
    path("traffic/impounds", records.ImpoundsView.as_view(), name="traffic-impounds"),
    path("traffic/help-records", records.HelpRecordsView.as_view(), name="traffic-help-records"),
    path("traffic/counts", records.CountsView.as_view(), name="traffic-counts"),
    path("traffic/control-points", control.ControlPointsView.as_view(), name="traffic-control-points"),
    path("traffic/control-points/<int:point_id>", control.ControlPointView.as_view(), name="traffic-control-point"),
    path("traffic/control-points/<int:point_id>/cancel", control.ControlPointCancelView.as_view(),
         name="traffic-control-point-cancel"),
    path("traffic/control-points/<int:point_id>/closures", control.ClosuresView.as_view(), name="traffic-closures"),
    path("traffic/closures/<int:closure_id>/cancel", control.ClosureCancelView.as_view(), name="traffic-closure-cancel"),
    path("traffic/layers/congestion", layers.CongestionLayerView.as_view(), name="traffic-congestion-layer"),
    path("traffic/layers/speeds", layers.SpeedLayerView.as_view(), name="traffic-speed-layer"),
    path("traffic/figures", layers.ClearanceFiguresView.as_view(), name="traffic-figures"),
    path("traffic/zone-factors", layers.ZoneFactorsView.as_view(), name="traffic-zone-factors"),
    *router.urls,
]
