from django.urls import re_path

from common.rest import Router
from planning import api

router = Router()
router.register("stands", api.StandViewSet, basename="stand")
router.register("deployment-plans", api.DeploymentPlanViewSet, basename="deployment-plan")
router.register("move-ups", api.MoveUpViewSet, basename="move-up")

urlpatterns = [
    re_path(r"^move-ups/compliance/?$", api.MoveUpComplianceView.as_view(), name="move-ups-compliance"),
    re_path(r"^coverage-samples/?$", api.CoverageSamplesView.as_view(), name="coverage-samples"),
    *router.urls,
]
