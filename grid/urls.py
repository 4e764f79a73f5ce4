from django.urls import re_path
from command.rest import Router
from grid import api

router = Router()
router.register("zones", api.ZoneViewSet, basename="zone")
router.register("key-sites", api.KeySiteViewSet, basename="key-site")
router.register("patrol-points", api.PatrolPointViewSet, basename="patrol-point")
router.register("patrol-routes", api.PatrolRouteViewSet, basename="patrol-route")

urlpatterns = [
    re_path(r"^locate/?$", api.LocateView.as_view(), name="locate"),
    *router.urls,
]
