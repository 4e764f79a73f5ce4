from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from command import api, broadcast_api, on_view_api, roster_views, views
from common.rest import AnyRole
from command import desk_views, public_views
from command import planning_views
from command import analysis_views
from command import audit_api, audit_views, health
from command import traffic_page
from platforms import api as platforms_api

# The docs page sends a stranger to the login page; the schema (fetched by the page) answers 403.
# The split view serves Swagger UI's start-up script as a file of its own: the CSP allows no inline script.
docs_view = SpectacularSwaggerSplitView.as_view(url_name="schema", permission_classes=[AnyRole])

# Every app's API under /api/v1/, with the command centre's own endpoints.
api_urlpatterns = [
    path("", include("grid.urls")),
    path("", include("platforms.urls")),
    path("", include("dispatch.urls")),
    path("", include("services.urls")),
    path("", include("planning.urls")),
    path("", include("analysis.urls")),
    path("", include("traffic.urls")),
    path("console/snapshot", api.ConsoleSnapshotView.as_view(), name="console-snapshot"),
    path("units/<int:unit_id>/snapshot", api.UnitSnapshotView.as_view(), name="unit-snapshot"),
    path("units/<int:unit_id>/messages", api.UnitMessagesView.as_view(), name="unit-messages"),
    path("messages/<int:message_id>/read", api.MessageReadView.as_view(), name="message-read"),
    path("messages/<int:message_id>/reply", api.MessageReplyView.as_view(), name="message-reply"),
    path("broadcasts", broadcast_api.BroadcastsView.as_view(), name="broadcasts"),
    path("units/<int:unit_id>/broadcasts", broadcast_api.UnitBroadcastsView.as_view(), name="unit-broadcasts"),
    path("units/<int:unit_id>/broadcasts/<int:broadcast_id>/read", broadcast_api.BroadcastReadView.as_view(),
         name="unit-broadcast-read"),
    path("on-view-reports", on_view_api.OnViewReportView.as_view(), name="on-view-reports"),
    path("incidents/<int:incident_id>/photos", on_view_api.IncidentPhotosView.as_view(), name="incident-photos"),
    path("photos/<int:photo_id>/file", on_view_api.PhotoFileView.as_view(), name="photo-file"),
    # The audit trail, login lockouts and one's own API token (command/audit_api.py, issue 19).
    path("audit", audit_api.AuditView.as_view(), name="audit"),
    path("lockouts", audit_api.LockoutsView.as_view(), name="lockouts"),
    path("lockouts/<int:attempt_id>/lift", audit_api.LockoutLiftView.as_view(), name="lockout-lift"),
    path("auth/token", audit_api.OwnTokenView.as_view(), name="own-token"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("console/", views.console, name="console"),
    path("tablet/", views.tablet, name="tablet"),
    path("tablet/sw.js", views.tablet_service_worker, name="tablet-service-worker"),
    path("tablet/traffic/", traffic_page.tablet_traffic, name="tablet-traffic"),
    path("supervisor/", views.supervisor, name="supervisor"),
    path("supervisor/roster/", roster_views.roster, name="supervisor-roster"),
    path("supervisor/roster/generate/", roster_views.roster_generate, name="supervisor-roster-generate"),
    path("supervisor/roster/<int:period_id>/approve/", roster_views.roster_approve, name="supervisor-roster-approve"),
    path("supervisor/roster/<int:period_id>/swap/", roster_views.roster_swap, name="supervisor-roster-swap"),
    path("supervisor/roster/<int:period_id>/absence/", roster_views.roster_absence, name="supervisor-roster-absence"),
    path("supervisor/roster/<int:period_id>/overtime/", roster_views.roster_overtime, name="supervisor-roster-overtime"),
    path("supervisor/roster/<int:period_id>.csv", roster_views.roster_csv, name="supervisor-roster-csv"),
    path("supervisor/roster/<int:period_id>.ics", roster_views.roster_ics, name="supervisor-roster-ics"),
    path("supervisor/coverage/", roster_views.coverage, name="supervisor-coverage"),
    path("supervisor/what-if/", views.supervisor_what_if, name="supervisor-what-if"),
    path("supervisor/planning/", planning_views.planning_page, name="supervisor-planning"),
    # Review and analysis (研判): command/analysis_views.py, the API in analysis/api.py.
    path("analysis/search/", analysis_views.search, name="review-search"),
    path("analysis/incidents/<int:incident_id>/", analysis_views.incident_trace, name="review-trace"),
    path("analysis/tracks/", analysis_views.track_playback, name="review-tracks"),
    path("analysis/briefings/", analysis_views.briefings, name="review-briefings"),
    path("analysis/briefings/<int:briefing_id>/", analysis_views.briefing, name="review-briefing"),
    path("analysis/hotspots/", analysis_views.hotspots, name="review-hotspots"),
    path("analysis/hotspot-patrols/<int:patrol_id>/", analysis_views.hotspot_patrol, name="review-hotspot-patrol"),
    # The services desk (command/desk_views.py) and the public's pages (command/public_views.py).
    path("desk/", desk_views.desk_page, name="desk"),
    path("desk/display/", desk_views.queue_display, name="desk-queue-display"),
    path("desk/walk-in/", desk_views.desk_walk_in, name="desk-walk-in"),
    path("desk/call-next/", desk_views.desk_call_next, name="desk-call-next"),
    path("desk/tickets/<int:ticket_id>/<slug:step>/", desk_views.desk_ticket_step, name="desk-ticket-step"),
    path("desk/appointments/<int:appointment_id>/check-in/", desk_views.desk_check_in, name="desk-check-in"),
    path("desk/help/", desk_views.desk_help, name="desk-help"),
    path("desk/callbacks/<int:survey_id>/", desk_views.desk_callback, name="desk-callback"),
    path("supervisor/follow-ups/<int:follow_up_id>/note/", desk_views.follow_up_note, name="follow-up-note"),
    path("supervisor/follow-ups/<int:follow_up_id>/close/", desk_views.follow_up_close, name="follow-up-close"),
    path("book/", public_views.booking_page, name="book"),
    path("b/<str:token>/", public_views.booking_manage, name="booking-manage"),
    path("s/<str:token>", public_views.survey_page, name="survey"),
    path("dev/sms/", public_views.sms_inbox, name="dev-sms-inbox"),
    path("basemap/<int:z>/<int:x>/<int:y>.json", views.basemap_tile, name="basemap-tile"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urlpatterns)),
    path("api/v1/schema/", SpectacularAPIView.as_view(permission_classes=[AnyRole]), name="schema"),
    path("api/v1/docs/", login_required(docs_view), name="api-docs"),
    path("healthz", health.healthz, name="healthz"),
    path("audit/", audit_views.audit_page, name="audit-page"),
    # OsmAnd / Traccar Client devices (no login, optional shared key): platforms.api.osmand_report.
    re_path(r"^osmand/?$", platforms_api.osmand_report, name="osmand"),
]

# Django's own refusals before any view (a body too large: 413) answer JSON to the API (command/error_pages.py).
handler400 = "command.error_pages.bad_request"
