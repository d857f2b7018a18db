"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, never a patched or in-memory mail backend.

``smtp_server`` starts it once per test run. ``smtp`` empties its inbox for one test and points the project's
mailer (``post.smtp.EmailBackend``, as in production) at it; ``smtp.empfangen`` holds what arrived, parsed
(``email.message.EmailMessage`` with ``.envelope_to``). A test makes the server refuse with ``smtp.rcpt_antwort``
(per address) or ``smtp.data_antwort`` (every message), e.g. ``"451 4.3.0 Bitte später"`` or ``"550 5.1.1 Unbekannt"``,
and makes it unreachable with ``smtp.abschalten()`` (the mailer then points at a port nobody listens on).
"""

import email
import email.policy
import socket
import threading

import pytest


def _freier_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postfach:
    def __init__(self):
        self.sperre = threading.Lock()
        self.zuruecksetzen()

    def zuruecksetzen(self):
        with self.sperre:
            self.empfangen = []
            self.rcpt_antwort = {}
            self.data_antwort = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        antwort = self.rcpt_antwort.get(address.lower())
        if antwort:
            return antwort
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_antwort:
            return self.data_antwort
        nachricht = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        nachricht.envelope_to = list(envelope.rcpt_tos)
        nachricht.envelope_from = envelope.mail_from
        with self.sperre:
            self.empfangen.append(nachricht)
        return f"250 2.0.0 Ok: queued as T{len(self.empfangen)}"


class SMTPServer:
    def __init__(self, controller, postfach):
        self.controller = controller
        self.postfach = postfach
        self.host = controller.hostname
        self.port = controller.port


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    postfach = Postfach()
    controller = Controller(postfach, hostname="127.0.0.1", port=_freier_port())
    controller.start()
    try:
        yield SMTPServer(controller, postfach)
    finally:
        controller.stop()


class SMTP:
    """What one test sees of the server."""

    def __init__(self, server, settings):
        self.server = server
        self.settings = settings
        self.postfach = server.postfach

    @property
    def empfangen(self):
        return list(self.postfach.empfangen)

    def an(self, adresse):
        return [n for n in self.empfangen if adresse.lower() in [a.lower() for a in n.envelope_to]]

    @property
    def rcpt_antwort(self):
        return self.postfach.rcpt_antwort

    @property
    def data_antwort(self):
        return self.postfach.data_antwort

    @data_antwort.setter
    def data_antwort(self, antwort):
        self.postfach.data_antwort = antwort

    def mailer(self, port):
        self.settings.MAILERS = {
            "default": {
                "BACKEND": "post.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }

    def abschalten(self):
        self.mailer(_freier_port())

    def einschalten(self):
        self.mailer(self.server.port)


@pytest.fixture
def smtp(smtp_server, settings):
    smtp_server.postfach.zuruecksetzen()
    verbunden = SMTP(smtp_server, settings)
    verbunden.einschalten()
    yield verbunden
    smtp_server.postfach.zuruecksetzen()
