"""When the database is gone: a friendly 503 instead of a 500, and a clean recovery once it is back.

A database that restarts, a network that drops a connection or a server that is full of connections makes every
query raise ``OperationalError`` or ``InterfaceError`` (or, when the connection has broken in some other way, a
plain ``DatabaseError``). Two places turn such an error into a 503:

* ``DatenbankAusfallMiddleware.process_exception`` for errors in a view (and in the templates it renders), in
  every mode, DEBUG included;
* ``betrieb.views.server_error`` (``handler500``) for errors outside the view, e.g. a session saved by the
  session middleware after the view has answered.

The 503 page is rendered without a single query: no context processors (they would load the user and the
session), no request in the template context, only a base template made for it (``base_ohne_datenbank.html``).
The OParl API answers with its JSON error object instead.

Recovery needs no restart: a connection that has failed is closed here at once (``close_if_unusable_or_obsolete``
checks whether it still works), and ``CONN_HEALTH_CHECKS`` makes every request check a persistent connection
before it reuses it, so a restarted server is picked up by the next request.

The log gets one ERROR line when a process first meets the outage and one INFO line when a request succeeds
again with the number of requests answered with 503 in between, not a traceback for each of them.
"""

import logging
import threading

from django.conf import settings
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    connections,
)
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ratsinfo.speicher import SpeicherNichtErreichbar

# The name it had before the app existed: operators filter and alert on it.
logger = logging.getLogger("ratsinfo.ausfall")

_zustand = threading.Lock()
_ausfall = {"anfragen": 0}


def ist_datenbankausfall(fehler):
    """Whether ``fehler`` means that the database cannot be reached, not that a query or the data is wrong."""
    if isinstance(fehler, OperationalError | InterfaceError):
        return True
    if isinstance(fehler, IntegrityError | DataError | ProgrammingError | NotSupportedError):
        return False  # wrong data or a wrong query: a bug or bad input, never an outage
    if isinstance(fehler, DatabaseError):
        # Some drivers report a broken connection as a plain DatabaseError; only then is it an outage.
        return any(verbindung.connection is not None and not verbindung.is_usable() for verbindung in _verbindungen())
    return False


def _verbindungen():
    return connections.all(initialized_only=True)


def kaputte_verbindungen_schliessen():
    """Drop every connection that no longer works, so the next query opens a fresh one."""
    for verbindung in _verbindungen():
        if verbindung.in_atomic_block:
            # Only the code that opened the transaction may end it (a test's transaction, for instance).
            continue
        try:
            verbindung.close_if_unusable_or_obsolete()
        except DatabaseError:
            verbindung.close()


def _protokollieren(request, fehler):
    with _zustand:
        _ausfall["anfragen"] += 1
        erste = _ausfall["anfragen"] == 1
    if erste:
        logger.error(
            "%s nicht erreichbar (%s: %s) bei %s %s; Anfragen werden mit 503 beantwortet, bis sie wieder "
            "erreichbar ist.",
            "Dateispeicher" if isinstance(fehler, SpeicherNichtErreichbar) else "Datenbank",
            type(fehler).__name__,
            str(fehler).strip().splitlines()[0] if str(fehler).strip() else "",
            request.method,
            request.path,
        )


def wieder_erreichbar():
    """Called after a request that succeeded: log the end of an outage once."""
    if not _ausfall["anfragen"]:
        return
    with _zustand:
        anzahl, _ausfall["anfragen"] = _ausfall["anfragen"], 0
    if anzahl:
        logger.info("Datenbank wieder erreichbar; %d Anfrage(n) wurden mit 503 beantwortet.", anzahl)


# Apps whose pages answer in a format of their own (the OParl API: JSON error objects) register that answer here
# from their AppConfig.ready, so this module, beneath every app, imports none of them.
_EIGENE_ANTWORTEN = {}


def eigene_antwort_registrieren(url_name, antwort):
    """Requests below the URL named ``url_name`` get ``antwort(meldung, fehlername)`` instead of the 503 page."""
    _EIGENE_ANTWORTEN[url_name] = antwort


def _sprache(request):
    sprache = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return sprache if sprache in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def antwort_503(request, fehler):
    """The answer to a request that met a database outage: the 503 page or, for the OParl API, its error object."""
    _protokollieren(request, fehler)
    kaputte_verbindungen_schliessen()
    warten = settings.RATSINFO_AUSFALL_RETRY_AFTER
    with translation.override(_sprache(request)):
        # The API under /oparl/v1.1/ answers in JSON; its HTML page for developers (/oparl/) gets the 503 page.
        eigene = next((a for name, a in _EIGENE_ANTWORTEN.items() if request.path.startswith(reverse(name))), None)
        if eigene is not None:
            antwort = eigene(
                _("Die Datenbank ist vorübergehend nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."),
                type(fehler).__name__,
            )
        else:
            inhalt = render_to_string(
                "503.html",
                {
                    "koerperschaft": settings.RATSINFO_KOERPERSCHAFT,
                    "sprache": translation.get_language(),
                    "warten": warten,
                    "pfad": request.get_full_path(),
                },
            )
            antwort = HttpResponse(inhalt, status=503, content_type="text/html; charset=utf-8")
        antwort.headers["Content-Language"] = translation.get_language()
    antwort.headers["Retry-After"] = str(warten)
    antwort.headers["Cache-Control"] = "no-store"
    # Logged above, once per outage; Django's request logger would add a traceback for every request.
    antwort._has_been_logged = True
    return antwort


class DatenbankAusfallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        antwort = self.get_response(request)
        if antwort.status_code < 500:
            wieder_erreichbar()
        return antwort

    def process_exception(self, request, exception):
        # The object store of the files (RATSINFO_SPEICHER=s3) is the other service a page may find gone.
        if ist_datenbankausfall(exception) or isinstance(exception, SpeicherNichtErreichbar):
            return antwort_503(request, exception)
        return None
