"""The backends a message can leave through. Each takes a phone and a text and returns what the gateway
said (the ids it gave each part); a transient failure raises SmsTransient (the task retries with
backoff), a refusal SmsRejected (no retry)."""
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("services.sms")
DEV_INBOX_KEY = "services:sms:dev-inbox"
DEV_INBOX_SIZE = 200


class SmsTransient(Exception):
    """The gateway could not be reached or asked us to try later."""


class SmsRejected(Exception):
    """The gateway refused the message for good (a bad number, a refused text)."""


@dataclass
class Sent:
    ids: list[str] = field(default_factory=list)

    @property
    def parts(self) -> int:
        return len(self.ids)


class ConsoleBackend:
    """Development and the demo: the message is written to the log and, outside production, to the
    dev inbox (a capped Redis list read by /dev/sms/ and the browser tests)."""

    name = "console"

    def send(self, *, phone: str, text: str, reference: str) -> Sent:
        logger.info("SMS to %s: %s", phone, text)
        if settings.SMS_DEV_INBOX:
            from platforms.positions import redis_client

            entry = json.dumps({"phone": phone, "text": text, "at": timezone.now().isoformat(), "ref": reference},
                               ensure_ascii=False)
            client = redis_client()
            client.lpush(DEV_INBOX_KEY, entry)
            client.ltrim(DEV_INBOX_KEY, 0, DEV_INBOX_SIZE - 1)
        return Sent(ids=[f"console-{reference}"])


def dev_inbox(phone: str | None = None) -> list[dict]:
    """The console backend's latest messages, newest first (development only)."""
    if not settings.SMS_DEV_INBOX:
        return []
    from platforms.positions import redis_client

    entries = [json.loads(raw) for raw in redis_client().lrange(DEV_INBOX_KEY, 0, DEV_INBOX_SIZE - 1)]
    return [entry for entry in entries if phone is None or entry["phone"] == phone]


def backend():
    if settings.SMS_BACKEND == "smpp":
        from services.sms.smpp import SmppBackend

        return SmppBackend()
    return ConsoleBackend()
