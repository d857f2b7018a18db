"""Django's SMTP backend, keeping the server's answer to each message for the outbox (the proof of delivery).

``smtplib.SMTP.sendmail`` drops the reply to DATA ("250 2.0.0 Ok: queued as 4Q…"), which is what a clerk shows
when an Einladung is disputed; the connection classes below remember it, and ``_send`` hands it to the message.
"""

import smtplib

from django.core.mail.backends import smtp


class _AntwortMerken:
    letzte_antwort = ""

    def data(self, msg):
        code, antwort = super().data(msg)
        self.letzte_antwort = f"{code} {antwort.decode('utf-8', 'replace') if isinstance(antwort, bytes) else antwort}"
        return code, antwort


class _SMTP(_AntwortMerken, smtplib.SMTP):
    pass


class _SMTP_SSL(_AntwortMerken, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    @property
    def connection_class(self):
        return _SMTP_SSL if self.use_ssl else _SMTP

    def _send(self, email_message):
        gesendet = super()._send(email_message)
        if gesendet:
            email_message.smtp_antwort = getattr(self.connection, "letzte_antwort", "")
        return gesendet
