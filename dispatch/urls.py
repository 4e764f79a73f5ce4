from command.rest import Router
from dispatch import api

router = Router()
router.register("incidents", api.IncidentViewSet, basename="incident")
router.register("assignments", api.AssignmentViewSet, basename="assignment")

urlpatterns = router.urls
