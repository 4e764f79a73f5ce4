"""The SMPP 3.4 backend against a real SMPP server on loopback (tests/services/smsc.py, built on
smpplib's PDU classes): the bind, submit_sm in UCS-2 for Chinese with the UDH parts of a long text,
GSM 7-bit for English, delivery receipts acknowledged and stored, a citizen's "TD" reply, and what a
busy or refusing SMSC does to the task."""
import threading

import pytest
import smpplib.consts as c
from django.core.management import CommandError, call_command

from services.models import OptOut, SmsMessage, SmsReceipt
from services.sms import gateway
from services.sms.backends import SmsTransient
from services.sms.smpp import ReceiptListener, SmppBackend, encode
from services.tasks import sms_send_task
from tests.services.smsc import Smsc

pytestmark = pytest.mark.django_db
LONG_CHINESE = "您好，这里是110。" + "感谢您对公安工作的支持，请对本次处警进行评价。" * 6


def queued(body: str, phone: str = "13800138000") -> SmsMessage:
    return SmsMessage.objects.create(phone=phone, body=body, purpose="survey", backend="smpp")


def test_a_chinese_message_binds_and_submits_in_ucs2(smsc):
    message = queued("您的预约已确认。")
    gateway.sms_deliver(message_id=message.pk)

    assert smsc.commands() == ["bind_transmitter", "submit_sm", "unbind"]
    bind, = smsc.of("bind_transmitter")
    submit, = smsc.of("submit_sm")
    assert (bind.system_id, bind.password) == (b"police", b"secret")
    assert (submit.data_coding, submit.esm_class, submit.registered_delivery) == (8, 0, 1)
    assert (submit.destination_addr, submit.dest_addr_ton, submit.source_addr) == (b"8613800138000", 1, b"110")
    assert submit.short_message.decode("utf-16-be") == "您的预约已确认。"
    message.refresh_from_db()
    assert (message.status, message.parts, message.smsc_ids, message.attempts) == ("sent", 1, ["M0001"], 1)


def test_a_long_message_is_split_with_a_concatenation_header(smsc):
    message = queued(LONG_CHINESE)
    gateway.sms_deliver(message_id=message.pk)

    parts = smsc.of("submit_sm")
    headers = [part.short_message[:6] for part in parts]
    assert len(parts) == 3 and {part.esm_class for part in parts} == {c.SMPP_GSMFEAT_UDHI}
    assert {part.data_coding for part in parts} == {8}
    reference = headers[0][3]
    assert headers == [bytes([5, 0, 3, reference, 3, n]) for n in (1, 2, 3)]
    assert "".join(part.short_message[6:].decode("utf-16-be") for part in parts) == LONG_CHINESE
    assert all(len(part.short_message) <= 140 for part in parts)
    message.refresh_from_db()
    assert (message.parts, message.smsc_ids) == (3, ["M0001", "M0002", "M0003"])


def test_plain_english_goes_in_gsm_7_bit():
    parts, coding, esm_class = encode("Your booking code is 123456.")
    assert (len(parts), coding, esm_class) == (1, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_delivery_receipt_is_acknowledged_and_stored_against_its_message(smsc):
    message = queued(LONG_CHINESE)
    gateway.sms_deliver(message_id=message.pk)
    stop = threading.Event()
    listener = ReceiptListener(on_receipt=gateway.receipt_record, on_reply=gateway.reply_received, timeout=1)
    thread = threading.Thread(target=listener.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert listener.bound.wait(10)
        acknowledged = smsc.receipt("M0002", "DELIVRD")
        reply = smsc.deliver(source="8613900000007", short_message=b"TD")
    finally:
        stop.set()
        thread.join(15)

    assert (acknowledged.status, reply.status) == (0, 0)
    receipt = SmsReceipt.objects.get()
    assert (receipt.message_id, receipt.smsc_id, receipt.stat, receipt.err) == (message.pk, "M0002", "DELIVRD", "000")
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at is not None
    assert list(OptOut.objects.values_list("phone", "source")) == [("13900000007", "sms")]
    assert "bind_receiver" in smsc.commands()


def test_an_unknown_receipt_is_kept_without_a_message():
    receipt = gateway.receipt_record(smsc_id="X1", stat="UNDELIV", err="001")
    assert (receipt.message, receipt.stat) == (None, "UNDELIV")


def test_a_busy_smsc_is_retried_and_a_refusal_fails_the_message(settings):
    busy = Smsc(submit_status=c.SMPP_ESME_RTHROTTLED).start()
    settings.SMS_BACKEND, settings.SMPP_PORT, settings.SMPP_SYSTEM_ID = "smpp", busy.port, "police"
    try:
        message = queued("您好")
        with pytest.raises(SmsTransient):
            gateway.sms_deliver(message_id=message.pk)
        busy.submit_status = c.SMPP_ESME_RINVDSTADR
        gateway.sms_deliver(message_id=message.pk)
    finally:
        busy.stop()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)
    assert "0xb" in message.error


def test_an_unreachable_smsc_is_transient(settings):
    settings.SMS_BACKEND, settings.SMPP_PORT, settings.SMPP_SYSTEM_ID = "smpp", 1, "police"
    with pytest.raises(SmsTransient):
        SmppBackend().send(phone="13800138000", text="hi", reference="1")


def test_the_task_gives_up_after_its_retries(settings, monkeypatch):
    settings.SMS_BACKEND, settings.SMPP_PORT, settings.SMPP_SYSTEM_ID, settings.SMS_MAX_RETRIES = "smpp", 1, "x", 0
    message = queued("您好")
    sms_send_task.apply(args=(message.pk,))

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.error.startswith("SMSC unreachable")


@pytest.mark.django_db(transaction=True)
def test_the_listen_command_stores_receipts_until_it_stops(smsc):
    message = queued("您好")
    gateway.sms_deliver(message_id=message.pk)
    command = threading.Thread(target=call_command, args=("smpp_listen", "--run-for", "3"), daemon=True)
    command.start()
    smsc.receipt("M0001", "UNDELIV")
    command.join(20)

    message.refresh_from_db()
    assert not command.is_alive() and message.status == "undelivered"
    assert list(message.receipts.values_list("stat", flat=True)) == ["UNDELIV"]


def test_the_listen_command_needs_the_smpp_backend(settings):
    settings.SMS_BACKEND = "console"
    with pytest.raises(CommandError):
        call_command("smpp_listen", "--run-for", "1")
