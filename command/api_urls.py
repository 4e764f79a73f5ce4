"""Every app's API under /api/v1/."""
from django.urls import include, path

urlpatterns = [
    path("", include("grid.urls")),
    path("", include("platforms.urls")),
    path("", include("dispatch.urls")),
]
