from django.urls import re_path

from common.rest import Router
from grid import api

router = Router()
router.register("zones", api.ZoneViewSet, basename="zone")
router.register("key-sites", api.KeySiteViewSet, basename="key-site")
router.register("patrol-points", api.PatrolPointViewSet, basename="patrol-point")
router.register("patrol-routes", api.PatrolRouteViewSet, basename="patrol-route")

urlpatterns = [
    re_path(r"^locate/?$", api.LocateView.as_view(), name="locate"),
    re_path(r"^travel/route/?$", api.TravelRouteView.as_view(), name="travel-route"),
    re_path(r"^travel/eta/?$", api.TravelEtaView.as_view(), name="travel-eta"),
    re_path(r"^travel/isochrone/?$", api.TravelIsochroneView.as_view(), name="travel-isochrone"),
    re_path(r"^road-network/?$", api.RoadNetworkView.as_view(), name="road-network"),
    re_path(r"^places/search/?$", api.PlaceSearchView.as_view(), name="places-search"),
    re_path(r"^places/reverse/?$", api.PlaceReverseView.as_view(), name="places-reverse"),
    re_path(r"^places/locate/?$", api.PlaceLocateView.as_view(), name="places-locate"),
    *router.urls,
]
