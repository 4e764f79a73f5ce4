"""Citizens' bookings: the one-time code, the slot's places, a double submit, cancel and move; bad input
refused with its message and nothing changed."""
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from services import booking
from services.models import Appointment, DeskEvent, PhoneCode, Slot, SmsMessage
from tests.services.support import MOBILE, desk, last_code, local, run_on_commit, slot_at, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(platform):
    return desk(platform)


@pytest.fixture
def ten(platform, service):
    return slot_at(platform, service, local(tomorrow(), 10))


def book(slot, *, phone=MOBILE, key=None, name="赵女士"):
    booking.code_request(phone=phone)
    return booking.booking_create(slot_id=slot.pk, name=name, phone=phone, code=last_code(phone), idempotency_key=key)


def messages_of(error) -> list[str]:
    return [str(m) for m in error.value.messages]


def test_a_booking_takes_a_place_and_sends_the_link_with_the_documents(ten, eager_tasks):
    appointment, created = book(ten)
    run_on_commit()

    ten.refresh_from_db()
    assert created is True and ten.booked == 1
    assert (appointment.citizen_phone, appointment.starts_at, appointment.status) == (MOBILE, ten.starts_at, "booked")
    confirmation = SmsMessage.objects.get(purpose="booking")
    assert appointment.manage_token in confirmation.body and "居民身份证; 户口簿" in confirmation.body
    assert list(DeskEvent.objects.values_list("kind", flat=True)) == ["booked"]


def test_the_code_is_kept_hashed_and_blanked_in_the_sent_message(ten, eager_tasks):
    booking.code_request(phone=MOBILE)
    code = last_code()

    sent = SmsMessage.objects.get(purpose="code")
    assert code not in sent.body and "●●●●●●" in sent.body and sent.status == "sent"
    assert code not in PhoneCode.objects.get().code_hash


def test_a_double_submitted_booking_is_one_booking(ten, eager_tasks):
    first, created = book(ten, key="form-1")
    again, created_again = booking.booking_create(slot_id=ten.pk, name="赵女士", phone=MOBILE, code="000000",
                                                  idempotency_key="form-1")

    ten.refresh_from_db()
    assert (created, created_again, again.pk, ten.booked, Appointment.objects.count()) == (True, False, first.pk, 1, 1)


@pytest.mark.parametrize(("code", "message"), [
    ("999999", "The code is wrong: check the SMS and type it again."),
])
def test_a_wrong_code_is_refused_and_counted(ten, eager_tasks, code, message):
    booking.code_request(phone=MOBILE)
    if last_code() == code:
        code = "888888"
    with pytest.raises(ValidationError) as refused:
        booking.booking_create(slot_id=ten.pk, name="赵女士", phone=MOBILE, code=code)

    ten.refresh_from_db()
    assert messages_of(refused) == [message]
    assert (ten.booked, Appointment.objects.count(), PhoneCode.objects.get().tries) == (0, 0, 1)


def test_an_expired_code_and_a_used_code_are_refused(ten, eager_tasks):
    booking.code_request(phone=MOBILE)
    code = last_code()
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as expired:
        booking.booking_create(slot_id=ten.pk, name="赵女士", phone=MOBILE, code=code)
    PhoneCode.objects.update(expires_at=timezone.now() + timedelta(minutes=5))
    booking.booking_create(slot_id=ten.pk, name="赵女士", phone=MOBILE, code=code)
    with pytest.raises(ValidationError) as used:
        booking.booking_create(slot_id=ten.pk, name="赵女士", phone=MOBILE, code=code)

    assert messages_of(expired) == ["This code has expired: request a new one."]
    assert messages_of(used) == ["Request a code first: it is sent to your phone by SMS."]
    assert Appointment.objects.count() == 1


def test_too_many_wrong_codes_need_a_new_one(ten, eager_tasks, settings):
    settings.BOOKING_CODE_TRIES = 2
    booking.code_request(phone=MOBILE)
    PhoneCode.objects.update(tries=2)
    with pytest.raises(ValidationError) as refused:
        booking.booking_create(slot_id=ten.pk, name="赵女士", phone=MOBILE, code=last_code())

    assert messages_of(refused) == ["Too many wrong codes: request a new one."]


@pytest.mark.parametrize("phone", ["abc", "12345", "1380013800x", "+1 555 0100"])
def test_a_phone_that_is_not_a_mobile_number_is_refused(phone):
    with pytest.raises(ValidationError) as refused:
        booking.code_request(phone=phone)

    assert messages_of(refused) == ["Enter a mobile phone number: 11 digits starting with 1, e.g. 13800138000."]
    assert SmsMessage.objects.count() == 0


def test_the_per_number_sms_limit(settings, eager_tasks, service):
    settings.SMS_PER_NUMBER_PER_HOUR = 2
    booking.code_request(phone=MOBILE)
    booking.code_request(phone="+86 138-0013-8000")
    with pytest.raises(ValidationError) as refused:
        booking.code_request(phone=MOBILE)

    assert messages_of(refused) == ["Too many messages to this number in the last hour: please try again later."]
    assert SmsMessage.objects.count() == 2 and PhoneCode.objects.count() == 2


def test_a_slot_in_the_past_or_outside_opening_hours_is_refused(platform, service, eager_tasks):
    past = Slot.objects.create(platform=platform, service_type=service, starts_at=timezone.now() - timedelta(hours=1),
                               ends_at=timezone.now() - timedelta(minutes=30), capacity=2)
    night = Slot.objects.create(platform=platform, service_type=service, starts_at=local(tomorrow(), 22),
                                ends_at=local(tomorrow(), 22, 30), capacity=2)
    booking.code_request(phone=MOBILE)
    code = last_code()
    refusals = []
    for slot in (past, night):
        with pytest.raises(ValidationError) as refused:
            booking.booking_create(slot_id=slot.pk, name="赵女士", phone=MOBILE, code=code)
        refusals.append(messages_of(refused))

    assert refusals == [["This time has already passed: choose a later one."],
                        ["The desk is not open at this time: choose a time within its opening hours."]]
    assert PhoneCode.objects.get().used_at is None and Appointment.objects.count() == 0


def test_a_full_slot_is_refused_and_the_code_stays_usable(platform, eager_tasks):
    service = desk(platform, capacity=1)
    ten = slot_at(platform, service, local(tomorrow(), 10))
    book(ten, phone="13900000001")
    booking.code_request(phone=MOBILE)
    with pytest.raises(ValidationError) as full:
        booking.booking_create(slot_id=ten.pk, name="钱先生", phone=MOBILE, code=last_code())
    half_past = slot_at(platform, service, local(tomorrow(), 10, 30))
    moved_on, created = booking.booking_create(slot_id=half_past.pk, name="钱先生", phone=MOBILE, code=last_code())

    assert messages_of(full) == ["This time slot is full: choose another one."]
    assert created and moved_on.slot_id == half_past.pk


@pytest.mark.django_db(transaction=True)
def test_two_bookings_for_the_last_place_exactly_one_wins(platform, eager_tasks):
    """Two citizens, two threads, two database connections, one place left."""
    service = desk(platform, capacity=1)
    ten = slot_at(platform, service, local(tomorrow(), 10))
    phones = ["13900000001", "13900000002"]
    codes = {}
    for phone in phones:
        booking.code_request(phone=phone)
        codes[phone] = last_code(phone)
    barrier, outcomes = threading.Barrier(2), {}

    def attempt(phone):
        try:
            barrier.wait()
            outcomes[phone] = booking.booking_create(slot_id=ten.pk, name="市民", phone=phone, code=codes[phone])[0].pk
        except ValidationError as error:
            with translation.override("en"):  # a thread's language is its own
                outcomes[phone] = error.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    ten.refresh_from_db()
    won = [phone for phone in phones if isinstance(outcomes[phone], int)]
    lost = [outcomes[phone] for phone in phones if phone not in won]
    assert len(won) == 1 and lost == [["This time slot is full: choose another one."]]
    assert (ten.booked, Appointment.objects.count()) == (1, 1)


def test_cancel_gives_the_place_back_and_a_cancelled_booking_cannot_change(ten, eager_tasks):
    appointment, _ = book(ten)
    booking.booking_cancel(token=appointment.manage_token.lower())
    run_on_commit()
    with pytest.raises(ValidationError) as again:
        booking.booking_cancel(token=appointment.manage_token)

    ten.refresh_from_db()
    appointment.refresh_from_db()
    assert (appointment.status, ten.booked) == ("cancelled", 0)
    assert messages_of(again) == ["This booking can no longer be changed (Cancelled)."]
    assert SmsMessage.objects.filter(purpose="booking_cancelled").count() == 1


def test_move_takes_the_new_place_and_frees_the_old(platform, service, ten, eager_tasks):
    appointment, _ = book(ten)
    eleven = slot_at(platform, service, local(tomorrow(), 11))
    booking.booking_move(token=appointment.manage_token, slot_id=eleven.pk)

    ten.refresh_from_db()
    eleven.refresh_from_db()
    appointment.refresh_from_db()
    assert (ten.booked, eleven.booked, appointment.starts_at) == (0, 1, eleven.starts_at)
    assert list(appointment.events.values_list("kind", flat=True)) == ["booked", "moved"]


def test_an_unknown_link_is_refused():
    with pytest.raises(ValidationError) as refused:
        booking.booking_cancel(token="NOSUCHTOKEN")

    assert messages_of(refused) == ["No booking behind this link."]
