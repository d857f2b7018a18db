"""Whole pages for anonymous visitors from the cache (issue 8): the same HTML for everyone without a session.

A request is served from and stored into the cache only when it carries no cookie but the CSRF and language
cookies: no session, so no login, no messages, nothing personal, and the page is the one every anonymous
visitor gets. The key holds the absolute URL with its query, the language and a data version. Two things still
differ between visitors and are kept out of the stored copy:

* the CSRF token of the forms in ``base.html`` (language switch): stored as a placeholder and replaced, when
  served, by the visitor's own token (``get_token`` also makes CsrfViewMiddleware set the cookie);
* headers added by the outer middleware (CSP, Content-Language, cookies): the cache sits inside them.

Two tiers: Redis, shared by all web processes, and a small copy in each process (``LOKAL``, at most
``RATSINFO_SEITEN_CACHE_LOKAL_MB``), so a page read again and again does not travel from Redis on every request.
Only the data version is asked of Redis each time; it is part of the key, so a write in any process makes the
local copies stale at once too.

Invalidation: every committed write through the ORM (``post_save``, ``post_delete``, ``m2m_changed``) raises
the data version, so the next request renders afresh. Writes around the ORM (``QuerySet.update``, COPY) and the
passing of time ("kommende Sitzungen") are bounded by ``RATSINFO_SEITEN_CACHE_SEKUNDEN``. 0 switches the cache
off (the default outside production, and in the tests).
"""

import collections
import hashlib
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

PLATZHALTER = b"@@ratsinfo-csrf-token@@"
CSRF_FELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
VERSION = "seiten:version"
AUSGENOMMEN = ("/admin/", "/konto/", "/i18n/")
INHALTSTYPEN = ("text/html", "application/json")
GROESSTE_SEITE = 1024 * 1024
# A stored page is the same for every anonymous visitor only if it varies by nothing but these (the language is in
# the key; the cookies allowed are the same for everyone who gets a stored page).
VARY_ERLAUBT = {"cookie", "accept-language", "accept-encoding"}

logger = logging.getLogger(__name__)


def daten_geaendert(sender=None, **kwargs):
    """Signal receiver: a write makes every stored page stale, now and again once its transaction is committed
    (a page rendered by another request in between still shows the old data)."""
    if settings.RATSINFO_SEITEN_CACHE_SEKUNDEN <= 0 or (sender is not None and sender._meta.app_label == "sessions"):
        return
    version_erhoehen()
    transaction.on_commit(version_erhoehen)


def version_erhoehen():
    try:
        try:
            cache.incr(VERSION)
        except ValueError:
            cache.set(VERSION, 2, None)
    except Exception:
        # A cache that cannot count must not fail the write; pages then age out after their seconds at the latest.
        logger.exception("Seitencache: Datenversion nicht erhöht")


def version():
    # A fresh start (Redis restarted or emptied) begins above every version used before, not at 1 again: a page kept
    # in a process under an old version's key must never match.
    return cache.get_or_set(VERSION, time.time_ns, None)


class LokalerSpeicher:
    """The pages of one process, newest use last, at most ``RATSINFO_SEITEN_CACHE_LOKAL_MB``; thread-safe.

    A page leaves at the end of its time as stored in Redis (``bis``, a Unix time), not its time counted anew from
    when this process fetched it: the bound on what the data version cannot see stays the configured seconds.
    """

    def __init__(self):
        self.seiten = collections.OrderedDict()
        self.bytes = 0
        self.sperre = threading.Lock()

    def get(self, schluessel):
        with self.sperre:
            eintrag = self.seiten.get(schluessel)
            if eintrag is None:
                return None
            if eintrag[3] < time.time():
                self._entfernen(schluessel)
                return None
            self.seiten.move_to_end(schluessel)
            return eintrag

    def set(self, schluessel, seite):
        grenze = settings.RATSINFO_SEITEN_CACHE_LOKAL_MB * 1024 * 1024
        groesse = len(seite[2])
        if groesse > grenze:
            return
        with self.sperre:
            if schluessel in self.seiten:
                self._entfernen(schluessel)
            while self.seiten and self.bytes + groesse > grenze:
                self._entfernen(next(iter(self.seiten)))
            self.seiten[schluessel] = seite
            self.bytes += groesse

    def clear(self):
        with self.sperre:
            self.seiten.clear()
            self.bytes = 0

    def _entfernen(self, schluessel):
        self.bytes -= len(self.seiten.pop(schluessel)[2])


LOKAL = LokalerSpeicher()


def anonym_ohne_sitzung(request):
    erlaubt = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return set(request.COOKIES) <= erlaubt


class SeitenCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sekunden = settings.RATSINFO_SEITEN_CACHE_SEKUNDEN
        if (
            sekunden <= 0
            or request.method != "GET"
            or request.path.startswith(AUSGENOMMEN)
            or not anonym_ohne_sitzung(request)
        ):
            return self.get_response(request)
        try:
            teile = f"{version()}|{getattr(request, 'LANGUAGE_CODE', '')}|{request.build_absolute_uri()}"
            # "v2": a stored page is (status, headers, content, until); older entries had no "until".
            schluessel = "seite:v2:" + hashlib.sha256(teile.encode()).hexdigest()
            gespeichert = LOKAL.get(schluessel)
            if gespeichert is None:
                gespeichert = cache.get(schluessel)
                if gespeichert is not None:
                    LOKAL.set(schluessel, gespeichert)
        except Exception:
            # The cache (Redis) is down: the page is rendered as if there were no cache, never an error page.
            logger.exception("Seitencache nicht erreichbar")
            return self.get_response(request)
        if gespeichert is not None:
            return self.antwort(request, *gespeichert)
        antwort = self.get_response(request)
        if self.speicherbar(antwort):
            inhalt = CSRF_FELD.sub(rb"\1" + PLATZHALTER + rb"\2", antwort.content)
            seite = (antwort.status_code, list(antwort.headers.items()), inhalt, time.time() + sekunden)
            LOKAL.set(schluessel, seite)
            try:
                cache.set(schluessel, seite, sekunden)
            except Exception:
                logger.exception("Seitencache: Seite nicht gespeichert")
        return antwort

    @staticmethod
    def speicherbar(antwort):
        cache_control = antwort.get("Cache-Control", "")
        vary = {teil.strip().lower() for teil in antwort.get("Vary", "").split(",") if teil.strip()}
        return (
            antwort.status_code == 200
            and not antwort.streaming
            and not antwort.cookies
            and antwort.get("Content-Type", "").startswith(INHALTSTYPEN)
            and "private" not in cache_control
            and "no-store" not in cache_control
            and len(antwort.content) <= GROESSTE_SEITE
            and vary <= VARY_ERLAUBT
        )

    @staticmethod
    def antwort(request, status, kopfzeilen, inhalt, _bis):
        if PLATZHALTER in inhalt:
            inhalt = inhalt.replace(PLATZHALTER, get_token(request).encode())
        antwort = HttpResponse(inhalt, status=status)
        for name, wert in kopfzeilen:
            antwort[name] = wert
        antwort["Content-Length"] = str(len(inhalt))
        return antwort
