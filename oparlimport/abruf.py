"""HTTP for the OParl importer: retries with backoff, a timeout, and errors a caller can report and go past."""

import json
import time

import httpx
from django.conf import settings


class AbrufFehler(Exception):
    """An answer the importer cannot use; ``grund`` is the German sentence the summary shows."""

    def __init__(self, grund, *, status=None):
        super().__init__(grund)
        self.grund = grund
        self.status = status


class Abruf:
    """Fetches OParl JSON. The ``client`` is injectable, so tests can use a MockTransport or a local server."""

    def __init__(self, *, client=None, timeout=None, versuche=None, wartezeit=None, schlafen=time.sleep):
        self.timeout = settings.RATSINFO_OPARL_IMPORT_TIMEOUT if timeout is None else timeout
        self.versuche = max(1, settings.RATSINFO_OPARL_IMPORT_VERSUCHE if versuche is None else versuche)
        self.wartezeit = settings.RATSINFO_OPARL_IMPORT_WARTEZEIT if wartezeit is None else wartezeit
        self.client = client or httpx.Client(timeout=self.timeout, follow_redirects=True)
        self.schlafen = schlafen
        self.anfragen = 0

    def _antwort(self, url, params=None):
        letzter = None
        for versuch in range(self.versuche):
            if versuch:
                # Exponential backoff: a server that is briefly overloaded gets a little more air each time.
                self.schlafen(self.wartezeit * 2 ** (versuch - 1))
            self.anfragen += 1
            try:
                antwort = self.client.get(url, params=params, timeout=self.timeout)
            except httpx.TimeoutException:
                letzter = AbrufFehler(f"Zeitüberschreitung nach {self.timeout:g} s: {url}")
                continue
            except httpx.HTTPError as fehler:
                letzter = AbrufFehler(f"Keine Verbindung ({fehler.__class__.__name__}): {url}")
                continue
            if antwort.status_code >= 500:
                letzter = AbrufFehler(f"Serverfehler {antwort.status_code}: {url}", status=antwort.status_code)
                continue
            if antwort.status_code >= 400:
                # A 4xx does not get better by asking again.
                raise AbrufFehler(f"Antwort {antwort.status_code}: {url}", status=antwort.status_code)
            return antwort
        raise letzter

    def json(self, url, params=None):
        antwort = self._antwort(url, params)
        try:
            return json.loads(antwort.content)
        except ValueError as fehler:
            raise AbrufFehler(f"Ungültiges JSON ({fehler}): {url}") from fehler

    def bytes(self, url):
        return self._antwort(url).content

    def schliessen(self):
        self.client.close()
