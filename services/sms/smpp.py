"""SMPP 3.4 to an SMSC with smpplib: a transmitter bind per send (submit_sm for each part, text in GSM
7-bit when it fits and UCS-2, data_coding 8, otherwise; a long text split into parts with a
concatenation UDH, esm_class 0x40), and a receiver bind that listens for delivery receipts and the
citizens' replies (`manage.py smpp_listen`)."""
import logging
import re
import socket
import threading

import smpplib.client
import smpplib.consts as c
import smpplib.exceptions
import smpplib.gsm
from django.conf import settings

from services.sms.backends import Sent, SmsRejected, SmsTransient

logger = logging.getLogger("services.sms.smpp")
# Statuses an SMSC answers when it is busy, not when the message is wrong: worth another try later.
TRANSIENT = {c.SMPP_ESME_RTHROTTLED, c.SMPP_ESME_RMSGQFUL, c.SMPP_ESME_RSYSERR, c.SMPP_ESME_RBINDFAIL}
RECEIPT = re.compile(r"id:(?P<id>\S+).*?stat:(?P<stat>[A-Z]+)(?:\s+err:(?P<err>\w+))?", re.S | re.I)
DELIVERY_RECEIPT = 0x04  # esm_class bits 2-5: SMSC delivery receipt


def encode(text: str) -> tuple[list[bytes], int, int]:
    """(parts, data_coding, esm_class): GSM 7-bit for plain Latin text, UCS-2 for Chinese; a text longer
    than one SMS split into parts of 153 / 67 characters, each led by a 6-byte concatenation UDH."""
    return smpplib.gsm.make_parts(text)


def destination(phone: str) -> str:
    return f"86{phone}"  # international format (TON 1, NPI 1) for a mainland mobile


def _client(timeout: float) -> smpplib.client.Client:
    return smpplib.client.Client(settings.SMPP_HOST, settings.SMPP_PORT, timeout=timeout,
                                 allow_unknown_opt_params=True, logger_name="services.sms.smpp.client")


def _bind(client, mode: str) -> None:
    getattr(client, f"bind_{mode}")(system_id=settings.SMPP_SYSTEM_ID, password=settings.SMPP_PASSWORD,
                                    system_type=settings.SMPP_SYSTEM_TYPE)


class SmppBackend:
    name = "smpp"

    def send(self, *, phone: str, text: str, reference: str) -> Sent:
        parts, coding, esm_class = encode(text)
        client = _client(settings.SMPP_TIMEOUT_S)
        try:
            client.connect()
            _bind(client, "transmitter")
            ids = [_submit(client, phone, part, coding, esm_class) for part in parts]
            client.unbind()
        except (smpplib.exceptions.ConnectionError, OSError) as error:
            raise SmsTransient(f"SMSC unreachable: {error}") from error
        except smpplib.exceptions.PDUError as error:
            status = error.args[1] if len(error.args) > 1 else None
            raise (SmsTransient if status in TRANSIENT else SmsRejected)(str(error)) from error
        finally:
            client.disconnect()
        return Sent(ids=ids)


def _submit(client, phone: str, part: bytes, coding: int, esm_class: int) -> str:
    """One submit_sm, and its submit_sm_resp's message id (the key of the delivery receipt)."""
    request = client.send_message(
        source_addr_ton=c.SMPP_TON_UNK, source_addr_npi=c.SMPP_NPI_UNK, source_addr=settings.SMS_SENDER,
        dest_addr_ton=c.SMPP_TON_INTL, dest_addr_npi=c.SMPP_NPI_ISDN, destination_addr=destination(phone),
        short_message=part, data_coding=coding, esm_class=esm_class, registered_delivery=1)
    while True:
        response = client.read_pdu()
        if response.command == "enquire_link":
            client._enquire_link_received(response)
        elif response.command == "submit_sm_resp" and response.sequence == request.sequence:
            if response.is_error():
                raise smpplib.exceptions.PDUError(f"submit_sm refused: 0x{response.status:x}", int(response.status))
            return _text(response.message_id)


def _text(value) -> str:
    return value.decode("ascii", "replace") if isinstance(value, bytes) else str(value or "")


def decode_message(pdu) -> str:
    raw = pdu.short_message or b""
    if pdu.data_coding == c.SMPP_ENCODING_ISO10646:
        return raw.decode("utf-16-be", "replace")
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)


def receipt_of(pdu) -> dict | None:
    """{smsc_id, stat, err, text} of a delivery receipt, or None for a citizen's own message."""
    if not (pdu.esm_class or 0) & DELIVERY_RECEIPT:
        return None
    text = decode_message(pdu)
    found = RECEIPT.search(text)
    smsc_id = _text(getattr(pdu, "receipted_message_id", None)) or (found["id"] if found else "")
    return {"smsc_id": smsc_id, "stat": (found["stat"] if found else "UNKNOWN").upper()[:10],
            "err": (found["err"] or "") if found else "", "text": text[:300]}


class ReceiptListener:
    """A receiver bind that stores each delivery receipt against its message and records a citizen's
    "TD" (退订) reply as an opt-out; every deliver_sm is acknowledged (deliver_sm_resp). Runs until
    `stop` is set; the SMSC's silence is answered with enquire_link every `timeout` seconds."""

    def __init__(self, *, on_receipt, on_reply, timeout: float = 10.0):
        self.on_receipt, self.on_reply, self.timeout = on_receipt, on_reply, timeout
        self.bound = threading.Event()

    def run(self, stop: threading.Event) -> None:
        client = _client(self.timeout)
        client.set_message_received_handler(self._received)
        try:
            client.connect()
            _bind(client, "receiver")
            self.bound.set()
            while not stop.is_set():
                client.read_once()
            client.unbind()
        except (smpplib.exceptions.ConnectionError, socket.timeout, OSError) as error:
            logger.warning("SMPP receiver: %s", error)
        finally:
            client.disconnect()

    def _received(self, pdu, **kwargs):
        try:
            receipt = receipt_of(pdu)
            if receipt is not None:
                self.on_receipt(**receipt)
            else:
                self.on_reply(phone=_text(pdu.source_addr), text=decode_message(pdu))
        except Exception:  # the SMSC redelivers on a temporary error: nothing is lost
            logger.exception("SMPP receiver: a deliver_sm could not be stored")
            return c.SMPP_ESME_RX_T_APPN
        return c.SMPP_ESME_ROK
