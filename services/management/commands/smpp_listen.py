"""`manage.py smpp_listen`: the SMPP receiver (a process of its own beside web, worker and beat when
SMS_BACKEND=smpp): delivery receipts stored against their messages, "TD" replies recorded as opt-outs.
Reconnects with backoff when the SMSC drops the bind; stops cleanly on SIGTERM."""
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from services.sms import gateway
from services.sms.smpp import ReceiptListener


class Command(BaseCommand):
    help = "Listen to the SMSC for delivery receipts and replies (SMPP receiver bind)."

    def add_arguments(self, parser):
        parser.add_argument("--run-for", type=float, default=None, help="Stop after this many seconds.")

    def handle(self, *args, run_for=None, **options):
        if settings.SMS_BACKEND != "smpp":
            raise CommandError("SMS_BACKEND is not smpp: there is no SMSC to listen to.")
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
        if run_for:
            threading.Timer(run_for, stop.set).start()
        backoff = 1.0
        while not stop.is_set():
            listener = ReceiptListener(on_receipt=gateway.receipt_record, on_reply=gateway.reply_received,
                                       timeout=min(settings.SMPP_TIMEOUT_S, 5))
            self.stdout.write(f"binding as receiver to {settings.SMPP_HOST}:{settings.SMPP_PORT}")
            listener.run(stop)
            backoff = 1.0 if listener.bound.is_set() else min(60.0, backoff * 2)
            stop.wait(backoff)
        self.stdout.write("stopped")
