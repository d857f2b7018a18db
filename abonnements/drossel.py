"""Limits on the mails a stranger can cause: sign-ups and manage-link requests, per address and per client.

Every request that would send a mail (a confirmation, a "bereits abonniert" note, a manage link) is counted in
Django's cache per e-mail address typed in (``RATSINFO_ABO_ANFRAGEN_JE_ADRESSE``) and per client address
(``RATSINFO_ABO_ANFRAGEN_JE_CLIENT``) within ``RATSINFO_ABO_FENSTER_SEKUNDEN``, counted from the first request and
not renewed, so the owner of an address can always try again later. Both count whether the address is known or
not, and the refusal reads the same either way: the limit says nothing about who subscribes. Without them anyone
could make Ratsinfo mail a stranger's inbox full of confirmation requests.

The counters follow ``konten.drossel`` (a feature app of its own, not imported here; both read the client's
address with ``ratsinfo.clientadresse``): the cache must be shared by the web processes (``REDIS_URL``), and behind
a reverse proxy ``RATSINFO_PROXY_IP_HEADER`` names the header with the client's address.
"""

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

CACHE_PRAEFIX = "ratsinfo:abo"


def _schluessel(art, wert):
    # Hashed: the cache holds no readable e-mail address.
    return f"{CACHE_PRAEFIX}:{art}:{hashlib.sha256(wert.encode()).hexdigest()}"


class AboDrossel:
    """The counters of one request: the e-mail address typed in and the client address."""

    def __init__(self, adresse, ip):
        self.adress_schluessel = _schluessel("adresse", str(adresse).strip().lower())
        self.client_schluessel = _schluessel("client", ip) if ip else None

    def _schluessel_liste(self):
        return [self.adress_schluessel, *filter(None, [self.client_schluessel])]

    def ablehnungsgrund(self):
        """A German sentence when the request is over a limit, else None."""
        stand = cache.get_many(self._schluessel_liste())
        minuten = max(1, math.ceil(settings.RATSINFO_ABO_FENSTER_SEKUNDEN / 60))
        if self.client_schluessel and stand.get(self.client_schluessel, 0) >= settings.RATSINFO_ABO_ANFRAGEN_JE_CLIENT:
            return ngettext(
                "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Anfragen. Bitte versuchen Sie es in %(minuten)d "
                "Minute erneut.",
                "Von Ihrem Anschluss kamen in kurzer Zeit zu viele Anfragen. Bitte versuchen Sie es in %(minuten)d "
                "Minuten erneut.",
                minuten,
            ) % {"minuten": minuten}
        if stand.get(self.adress_schluessel, 0) >= settings.RATSINFO_ABO_ANFRAGEN_JE_ADRESSE:
            return ngettext(
                "Für diese E-Mail-Adresse wurden in kurzer Zeit schon mehrere E-Mails angefordert. Bitte sehen Sie in "
                "Ihrem Postfach nach (auch im Spam-Ordner) oder versuchen Sie es in %(minuten)d Minute erneut.",
                "Für diese E-Mail-Adresse wurden in kurzer Zeit schon mehrere E-Mails angefordert. Bitte sehen Sie in "
                "Ihrem Postfach nach (auch im Spam-Ordner) oder versuchen Sie es in %(minuten)d Minuten erneut.",
                minuten,
            ) % {"minuten": minuten}
        return None

    def zaehlen(self):
        frist = settings.RATSINFO_ABO_FENSTER_SEKUNDEN
        for schluessel in self._schluessel_liste():
            cache.add(schluessel, 0, frist)
            try:
                cache.incr(schluessel)
            except ValueError:  # expired between add() and incr()
                cache.set(schluessel, 1, frist)
