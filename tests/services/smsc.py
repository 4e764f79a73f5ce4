"""A small SMSC on loopback for the tests, built on smpplib's own PDU classes (the protocol parsing is
the library's; only the replies are ours): it answers binds, acknowledges each submit_sm with a
message id, records every PDU it receives, and pushes deliver_sm (a delivery receipt or a citizen's
reply) to a session bound as receiver, waiting for its deliver_sm_resp."""
import socketserver
import struct
import threading
import time

import smpplib.consts as c
from smpplib import smpp

RECEIPT_ESM_CLASS = 0x04  # SMSC delivery receipt (SMPP 3.4, 5.2.12)


class Sequence:
    def __init__(self):
        self.sequence, self.lock = 0, threading.Lock()

    def next_sequence(self):
        with self.lock:
            self.sequence += 1
            return self.sequence


def read_pdu(sock):
    head = _exactly(sock, 4)
    if head is None:
        return None
    (length,) = struct.unpack(">L", head)
    return smpp.parse_pdu(head + _exactly(sock, length - 4), client=Sequence(), allow_unknown_opt_params=True)


def _exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


class Smsc:
    def __init__(self, *, submit_status: int = c.SMPP_ESME_ROK):
        self.received, self.submit_status = [], submit_status
        self.receivers, self.sequence, self.lock = [], Sequence(), threading.Lock()
        self.message_ids = 0
        smsc = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                smsc.serve(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        for sock in list(self.receivers):
            sock.close()

    def commands(self) -> list[str]:
        return [pdu.command for pdu in self.received]

    def of(self, command: str) -> list:
        return [pdu for pdu in self.received if pdu.command == command]

    def serve(self, sock):
        while True:
            try:
                pdu = read_pdu(sock)
            except OSError:
                return
            if pdu is None:
                return
            with self.lock:
                self.received.append(pdu)
            if not self.answer(sock, pdu):
                return

    def answer(self, sock, pdu) -> bool:
        if pdu.command.startswith("bind_"):
            self._send(sock, f"{pdu.command}_resp", pdu.sequence, system_id="TESTSMSC")
            if pdu.command == "bind_receiver":
                self.receivers.append(sock)
        elif pdu.command == "submit_sm":
            self.message_ids += 1
            self._send(sock, "submit_sm_resp", pdu.sequence, status=self.submit_status,
                       message_id=f"M{self.message_ids:04d}" if self.submit_status == c.SMPP_ESME_ROK else "")
        elif pdu.command == "enquire_link":
            self._send(sock, "enquire_link_resp", pdu.sequence)
        elif pdu.command == "unbind":
            self._send(sock, "unbind_resp", pdu.sequence)
            return False
        return True

    def _send(self, sock, command, sequence, **fields):
        response = smpp.make_pdu(command, client=self.sequence, **fields)
        response.sequence = sequence
        sock.sendall(response.generate())

    def deliver(self, *, source: str, short_message: bytes, esm_class: int = 0, data_coding: int = 0, **tlv):
        """A deliver_sm to the bound receiver; returns once its deliver_sm_resp has come back."""
        deadline = time.monotonic() + 10
        while not self.receivers:
            assert time.monotonic() < deadline, "no receiver bound"
            time.sleep(0.05)
        before = len(self.of("deliver_sm_resp"))
        pdu = smpp.make_pdu("deliver_sm", client=self.sequence, source_addr=source, destination_addr="110",
                            esm_class=esm_class, data_coding=data_coding, short_message=short_message, **tlv)
        self.receivers[0].sendall(pdu.generate())
        while len(self.of("deliver_sm_resp")) == before:
            assert time.monotonic() < deadline, "no deliver_sm_resp"
            time.sleep(0.05)
        return self.of("deliver_sm_resp")[-1]

    def receipt(self, message_id: str, stat: str = "DELIVRD"):
        text = f"id:{message_id} sub:001 dlvrd:001 submit date:2612041700 done date:2612041701 stat:{stat} err:000 text:"
        return self.deliver(source="8613800138000", short_message=text.encode(), esm_class=RECEIPT_ESM_CLASS,
                            receipted_message_id=message_id)
