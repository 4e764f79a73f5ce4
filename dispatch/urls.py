from common.rest import Router
from dispatch import api

router = Router()
router.register("incidents", api.IncidentViewSet, basename="incident")
router.register("assignments", api.AssignmentViewSet, basename="assignment")
router.register("recommendations", api.RecommendationViewSet, basename="recommendation")
router.register("alerts", api.AlertViewSet, basename="alert")
router.register("mobilizations", api.MobilizationViewSet, basename="mobilization")

urlpatterns = router.urls
