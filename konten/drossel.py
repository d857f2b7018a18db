"""The counters behind the login throttle and the limit on password reset mails.

Login throttling (docs/betrieb.md, "Anmeldesperre"): failed logins are counted in Django's cache per pair of
normalised username and client address, and per client address. Once a pair's counter has reached
``RATSINFO_ANMELDUNG_MAX_FEHLVERSUCHE`` (an address's counter four times that, since many people may share one
address), every further attempt of that pair, or from that address, is refused *before* the password is
checked, until ``RATSINFO_ANMELDUNG_SPERRE_SEKUNDEN`` have passed since the last counted failure. There is
deliberately no lock on a username alone: anyone who knows a councillor's username could otherwise keep her
locked out for good by failing a few times every quarter of an hour. Guessing from many addresses is slowed by
the per-pair limit and the password rules instead. Refused attempts are not counted, so the lock ends on time.
A successful login or a password reset by e-mail lifts every lock on the username (its counters carry a
generation number that both advance). The counters exist for any name typed in, whether or not an account has
it, so the lock says nothing about which accounts exist.

Password reset mails are limited per address typed in (``RATSINFO_PASSWORT_MAILS_JE_ADRESSE``) and per client
address (``RATSINFO_PASSWORT_ANFRAGEN_JE_CLIENT``) within ``RATSINFO_PASSWORT_FENSTER_SEKUNDEN``. Both count every
request, known address or not, and the refusal reads the same either way.

The cache must be shared by all web processes (``REDIS_URL``); with the per-process LocMemCache of the
embedded mode every process counts on its own. Behind a reverse proxy every request comes from the proxy's
address: set ``RATSINFO_PROXY_IP_HEADER`` to the header the proxy fills in (``X-Forwarded-For`` or
``X-Real-IP``), or all visitors share one counter. Only the proxy's own, last entry of the header is used,
since everything before it was sent by the client.

The forms and views that use them are in ``konten.forms`` and ``konten.views``; the same throttled form serves
``/admin/login/`` (``ratsinfo.urls`` sets ``admin.site.login_form``).
"""

import hashlib
import math
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

CACHE_PRAEFIX = "ratsinfo:anmeldung"
# One client address may fail this many times more often than one username.
ADRESSE_FAKTOR = 4


def max_fehlversuche():
    return settings.RATSINFO_ANMELDUNG_MAX_FEHLVERSUCHE


def sperre_sekunden():
    return settings.RATSINFO_ANMELDUNG_SPERRE_SEKUNDEN


def sperrmeldung():
    minuten = max(1, math.ceil(sperre_sekunden() / 60))
    return ngettext(
        "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in %(minuten)d Minute erneut.",
        "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in %(minuten)d Minuten erneut.",
        minuten,
    ) % {"minuten": minuten}


def benutzername_normalisieren(benutzername):
    """One counter for every spelling that could mean the same account (case, Unicode forms, spaces)."""
    return unicodedata.normalize("NFKC", str(benutzername)).strip().casefold()


def _cache_schluessel(art, wert):
    return f"{CACHE_PRAEFIX}:{art}:{hashlib.sha256(wert.encode()).hexdigest()}"


def _zaehlen(schluessel, frist, verlaengern):
    """Count one event under ``schluessel``; ``verlaengern`` renews the window with each event."""
    cache.add(schluessel, 0, frist)
    try:
        cache.incr(schluessel)
    except ValueError:  # expired between add() and incr()
        cache.set(schluessel, 1, frist)
    if verlaengern:
        cache.touch(schluessel, frist)


class Anmeldesperre:
    """The failure counters of one login attempt: its (username, client address) pair and the address."""

    def __init__(self, benutzername, ip=None):
        self.name = benutzername_normalisieren(benutzername)
        self.ip = ip or ""
        self.generation_schluessel = _cache_schluessel("generation", self.name)
        self.adress_schluessel = _cache_schluessel("ip", self.ip) if self.ip else None

    def _paar_schluessel(self):
        # The generation advances when the owner proves herself (login, reset), which voids every pair's count.
        generation = cache.get(self.generation_schluessel, 0)
        return _cache_schluessel("paar", f"{generation}\0{self.name}\0{self.ip}")

    def gesperrt(self):
        paar = self._paar_schluessel()
        stand = cache.get_many([paar, *filter(None, [self.adress_schluessel])])
        # Many people share one address (an office, a proxy without the header): it gets a larger allowance.
        return stand.get(paar, 0) >= max_fehlversuche() or (
            self.adress_schluessel is not None
            and stand.get(self.adress_schluessel, 0) >= max_fehlversuche() * ADRESSE_FAKTOR
        )

    def fehlversuch(self):
        # Each failure renews the window: the lock lasts the full time after the last failure.
        for schluessel in [self._paar_schluessel(), *filter(None, [self.adress_schluessel])]:
            _zaehlen(schluessel, sperre_sekunden(), verlaengern=True)

    def aufheben(self):
        """Lift the locks on this username from every address (the address's own counter stays)."""
        generation = cache.get(self.generation_schluessel, 0)
        # Without expiry, so an old generation and its counts never come back; only real accounts get here
        # (after a successful login or reset), which bounds the number of keys.
        cache.set(self.generation_schluessel, generation + 1, None)


def _fenster_minuten():
    return max(1, math.ceil(settings.RATSINFO_PASSWORT_FENSTER_SEKUNDEN / 60))


class PasswortDrossel:
    """The counters of one reset request: the e-mail address typed in and the client address.

    Both count every request, whether an account has the address or not, so a refusal reveals nothing.
    The window is fixed from the first request (not renewed), so a real owner can always ask again later.
    """

    def __init__(self, email, ip):
        self.adress_schluessel = _cache_schluessel("reset-mail", benutzername_normalisieren(email))
        self.client_schluessel = _cache_schluessel("reset-ip", ip) if ip else None

    def ablehnungsgrund(self):
        stand = cache.get_many([self.adress_schluessel, *filter(None, [self.client_schluessel])])
        minuten = _fenster_minuten()
        if self.client_schluessel and stand.get(self.client_schluessel, 0) >= (
            settings.RATSINFO_PASSWORT_ANFRAGEN_JE_CLIENT
        ):
            return ngettext(
                "Von Ihrem Anschluss wurden in kurzer Zeit zu viele Links angefordert. Bitte versuchen Sie es in "
                "%(minuten)d Minute erneut.",
                "Von Ihrem Anschluss wurden in kurzer Zeit zu viele Links angefordert. Bitte versuchen Sie es in "
                "%(minuten)d Minuten erneut.",
                minuten,
            ) % {"minuten": minuten}
        if stand.get(self.adress_schluessel, 0) >= settings.RATSINFO_PASSWORT_MAILS_JE_ADRESSE:
            return ngettext(
                "Für diese E-Mail-Adresse wurden in kurzer Zeit schon mehrere Links angefordert. Bitte sehen Sie "
                "in Ihrem Postfach nach (auch im Spam-Ordner) oder versuchen Sie es in %(minuten)d Minute erneut.",
                "Für diese E-Mail-Adresse wurden in kurzer Zeit schon mehrere Links angefordert. Bitte sehen Sie "
                "in Ihrem Postfach nach (auch im Spam-Ordner) oder versuchen Sie es in %(minuten)d Minuten erneut.",
                minuten,
            ) % {"minuten": minuten}
        return None

    def zaehlen(self):
        for schluessel in [self.adress_schluessel, *filter(None, [self.client_schluessel])]:
            _zaehlen(schluessel, settings.RATSINFO_PASSWORT_FENSTER_SEKUNDEN, verlaengern=False)
