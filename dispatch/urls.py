from common.rest import Router
from dispatch.api import assignments, engine, incidents, mobilizations, modes

router = Router()
router.register("incidents", incidents.IncidentViewSet, basename="incident")
router.register("assignments", assignments.AssignmentViewSet, basename="assignment")
router.register("recommendations", engine.RecommendationViewSet, basename="recommendation")
router.register("alerts", engine.AlertViewSet, basename="alert")
router.register("mobilizations", mobilizations.MobilizationViewSet, basename="mobilization")
router.register("mode-policies", modes.ModePolicyViewSet, basename="mode-policy")

urlpatterns = router.urls
