from django.urls import re_path

from common.rest import Router
from platforms import api, handset_api, roster_api, tracker_api

router = Router()
router.register("districts", api.DistrictViewSet, basename="district")
router.register("platforms", api.PlatformViewSet, basename="platform")
router.register("squads", api.SquadViewSet, basename="squad")
router.register("officers", api.OfficerViewSet, basename="officer")
router.register("vehicles", api.VehicleViewSet, basename="vehicle")
router.register("shifts", api.ShiftViewSet, basename="shift")
router.register("units", api.UnitViewSet, basename="unit")
router.register("roster-periods", roster_api.RosterPeriodViewSet, basename="roster-period")
router.register("patrol-plans", roster_api.PatrolPlanViewSet, basename="patrol-plan")
router.register("patrol-tasks", roster_api.PatrolTaskViewSet, basename="patrol-task")
router.register("tracker-devices", tracker_api.TrackerDeviceViewSet, basename="tracker-device")

urlpatterns = [
    re_path(r"^positions/?$", api.PositionBatchView.as_view(), name="positions"),
    re_path(r"^positions/live/?$", api.LivePositionsView.as_view(), name="positions-live"),
    re_path(r"^positions/stats/?$", api.PositionStatsView.as_view(), name="positions-stats"),
    re_path(r"^positions/osmand/?$", api.osmand_report, name="positions-osmand"),
    re_path(r"^handsets/fixes/?$", handset_api.HandsetReportView.as_view(), name="handsets-report"),
    re_path(r"^handsets/live/?$", handset_api.OfficersLiveView.as_view(), name="handsets-live"),
    re_path(r"^patrol-coverage/?$", roster_api.PatrolCoverageView.as_view(), name="patrol-coverage"),
    *router.urls,
]
