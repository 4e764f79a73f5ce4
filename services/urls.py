from django.urls import path

from common.rest import Router
from services.api import desk, public, surveys

router = Router()
router.register("service-offers", desk.OfferViewSet, basename="service-offer")
router.register("opening-hours", desk.OpeningHoursViewSet, basename="opening-hours")
router.register("stations", desk.StationViewSet, basename="station")
router.register("slots", desk.SlotViewSet, basename="slot")
router.register("appointments", desk.AppointmentViewSet, basename="appointment")
router.register("tickets", desk.TicketViewSet, basename="ticket")
router.register("help-given", desk.HelpViewSet, basename="help-given")
router.register("surveys", surveys.SurveyViewSet, basename="survey")
router.register("follow-ups", surveys.FollowUpViewSet, basename="follow-up")

urlpatterns = [
    *router.urls,
    path("desk/figures", desk.DeskFiguresView.as_view(), name="desk-figures"),
    path("desk/display", desk.QueueDisplayView.as_view(), name="desk-display"),
    path("satisfaction", surveys.SatisfactionView.as_view(), name="satisfaction"),
    path("public/platforms", public.PlatformsView.as_view(), name="public-platforms"),
    path("public/slots", public.SlotsView.as_view(), name="public-slots"),
    path("public/codes", public.CodeRequestView.as_view(), name="public-codes"),
    path("public/bookings", public.BookingsView.as_view(), name="public-bookings"),
    path("public/bookings/<str:token>", public.BookingView.as_view(), name="public-booking"),
    path("public/bookings/<str:token>/cancel", public.BookingCancelView.as_view(), name="public-booking-cancel"),
    path("public/bookings/<str:token>/move", public.BookingMoveView.as_view(), name="public-booking-move"),
    path("public/surveys/<str:token>", public.SurveyView.as_view(), name="public-survey"),
]
