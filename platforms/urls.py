from command.rest import Router
from platforms import api

router = Router()
router.register("districts", api.DistrictViewSet, basename="district")
router.register("platforms", api.PlatformViewSet, basename="platform")
router.register("squads", api.SquadViewSet, basename="squad")
router.register("officers", api.OfficerViewSet, basename="officer")
router.register("vehicles", api.VehicleViewSet, basename="vehicle")
router.register("shifts", api.ShiftViewSet, basename="shift")
router.register("units", api.UnitViewSet, basename="unit")

urlpatterns = router.urls
