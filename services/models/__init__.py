"""The public services desk's rows: the catalogue and slots (`catalogue`), the desk's day (`desk`), callback
surveys (`surveys`) and the SMS gateway (`sms`). Every model is importable from here, as Django and the
migrations expect."""
from services.models.catalogue import OpeningHours, ServiceOffer, ServiceType, Slot, Station, Weekday  # noqa: F401
from services.models.desk import (  # noqa: F401
    ACTIVE_APPOINTMENT_STATUSES,
    OPEN_TICKET_STATUSES,
    Appointment,
    AppointmentPhoneReveal,
    AppointmentStatus,
    DeskEvent,
    DeskEventKind,
    HelpGiven,
    HelpKind,
    Outcome,
    Ticket,
    TicketStatus,
    new_token,
)
from services.models.sms import PhoneCode, SmsMessage, SmsPurpose, SmsReceipt, SmsStatus  # noqa: F401
from services.models.surveys import (  # noqa: F401
    RATING_SCORE,
    AttemptOutcome,
    CallbackAttempt,
    CallbackSurvey,
    Channel,
    FollowUp,
    FollowUpNote,
    FollowUpStatus,
    OptOut,
    Rating,
    SurveyStatus,
)
