from django.urls import path

from analysis import api

urlpatterns = [
    path("analysis/incidents", api.IncidentSearchView.as_view(), name="analysis-incidents"),
    path("analysis/incidents/points", api.IncidentPointsView.as_view(), name="analysis-incident-points"),
    path("analysis/incidents/<int:incident_id>/trace", api.IncidentTraceView.as_view(), name="analysis-incident-trace"),
    path("analysis/tracks", api.TrackPlaybackView.as_view(), name="analysis-tracks"),
    path("analysis/figures", api.FiguresView.as_view(), name="analysis-figures"),
    path("analysis/briefings", api.BriefingListView.as_view(), name="analysis-briefings"),
    path("analysis/briefings/<int:briefing_id>", api.BriefingDetailView.as_view(), name="analysis-briefing"),
    path("analysis/briefings/<int:briefing_id>/incidents.csv", api.BriefingCsvView.as_view(),
         name="analysis-briefing-csv"),
    path("analysis/briefings/<int:briefing_id>/briefing.pdf", api.BriefingPdfView.as_view(),
         name="analysis-briefing-pdf"),
    path("analysis/hotspots", api.HotSpotsView.as_view(), name="analysis-hotspots"),
    path("analysis/hotspot-patrols", api.HotSpotPatrolListView.as_view(), name="analysis-hotspot-patrols"),
    path("analysis/hotspot-patrols/<int:patrol_id>", api.HotSpotPatrolDetailView.as_view(),
         name="analysis-hotspot-patrol"),
]
