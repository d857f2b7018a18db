"""HTTP for the OParl importer: only the source, bounded, and errors a caller can report and go past.

A source is another server on the internet, and what it sends is read as an attacker would write it. So:

- Only the source: requests go to the scheme, host and port of the System URL the operator named, plus file hosts
  the operator allowed. The host is resolved here and the connection goes to the address that was checked (no
  second lookup a rebinding DNS could answer differently); loopback, private, link-local, multicast and reserved
  addresses are refused - unless the operator's System URL itself points there (an internal source is their
  choice). Redirects are followed by hand, each target checked the same way.
- Bounded: every answer is streamed with a byte cap and a total deadline per request (not only per read: a server
  sending a byte a second otherwise holds a request for ever); JSON is refused beyond a nesting depth before it
  is parsed, and NaN/Infinity become null.
"""

import ipaddress
import json
import math
import re
import socket
import time
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings

# OParl objects nest five or six levels (list, object, embedded object, file, GeoJSON coordinates).
MAX_TIEFE = 64
MAX_WEITERLEITUNGEN = 5
STANDARDPORTS = {"http": 80, "https": 443}


class AbrufFehler(Exception):
    """An answer the importer cannot use; ``grund`` is the German sentence the summary shows."""

    def __init__(self, grund, *, status=None, wiederholen=True):
        super().__init__(grund)
        self.grund = grund
        self.status = status
        # A refused target or an oversized answer does not get better by asking again.
        self.wiederholen = wiederholen


class Abgelehnt(AbrufFehler):
    """A target the importer may not fetch (not the source, or an internal address)."""

    def __init__(self, grund):
        super().__init__(grund, wiederholen=False)


def _herkunft(url):
    """``(scheme, host, port)`` of an http(s) URL, or None."""
    try:
        teile = urlsplit(url)
        port = teile.port
    except ValueError:
        return None
    scheme = teile.scheme.lower()
    if scheme not in STANDARDPORTS or not teile.hostname:
        return None
    return scheme, teile.hostname.lower().rstrip("."), port or STANDARDPORTS[scheme]


def ist_intern(adresse):
    ip = ipaddress.ip_address(adresse)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def json_tiefe_pruefen(inhalt, grenze=MAX_TIEFE):
    """Refuse JSON nested deeper than ``grenze`` before the parser recurses into it (100,000 ``[`` are a
    RecursionError). Strings are blanked first, so brackets inside names do not count."""
    ohne_strings = re.sub(rb'"(?:[^"\\]|\\.)*"', b"", inhalt)
    tiefe = 0
    for zeichen in re.findall(rb"[\[\]{}]", ohne_strings):
        if zeichen in b"[{":
            tiefe += 1
            if tiefe > grenze:
                raise ValueError(f"tiefer als {grenze} Ebenen verschachtelt")
        else:
            tiefe -= 1


def _zahl(text):
    wert = float(text)
    # 1e999 is infinity; no OParl field holds it, and PostgreSQL's JSON refuses it.
    return wert if math.isfinite(wert) else None


def json_lesen(inhalt):
    json_tiefe_pruefen(inhalt)
    return json.loads(inhalt, parse_constant=lambda _: None, parse_float=_zahl)


class Abruf:
    """Fetches OParl JSON and files from one source; see the module docstring for what it refuses.

    ``quelle()`` names the source (the importer calls it with the System URL); ``hosts`` are further hosts the
    operator allows (``files.example.org`` or ``https://files.example.org:8443``), in addition to
    ``RATSINFO_OPARL_IMPORT_HOSTS``.
    """

    def __init__(
        self,
        *,
        timeout=None,
        versuche=None,
        wartezeit=None,
        schlafen=time.sleep,
        hosts=(),
        max_bytes=None,
        max_bytes_datei=None,
    ):
        self.timeout = settings.RATSINFO_OPARL_IMPORT_TIMEOUT if timeout is None else timeout
        self.versuche = max(1, settings.RATSINFO_OPARL_IMPORT_VERSUCHE if versuche is None else versuche)
        self.wartezeit = settings.RATSINFO_OPARL_IMPORT_WARTEZEIT if wartezeit is None else wartezeit
        self.max_bytes = int(
            (settings.RATSINFO_OPARL_IMPORT_MAX_MB if max_bytes is None else max_bytes / 2**20) * 2**20
        )
        self.max_bytes_datei = int(
            (settings.RATSINFO_ANLAGE_MAX_MB if max_bytes_datei is None else max_bytes_datei / 2**20) * 2**20
        )
        self.client = httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False)
        self.schlafen = schlafen
        self.anfragen = 0
        self.erlaubt = set()  # (scheme, host, port)
        self.erlaubte_hosts = set()  # any scheme and port
        self.intern_erlaubt = set()  # hosts the operator's System URL names although they are internal
        for host in [*settings.RATSINFO_OPARL_IMPORT_HOSTS, *hosts]:
            self.host_erlauben(host)

    def host_erlauben(self, host):
        host = host.strip()
        if "://" in host:
            herkunft = _herkunft(host)
            if herkunft is None:
                raise ValueError(f"„{host}“ ist keine http(s)-Adresse.")
            self.erlaubt.add(herkunft)
        elif host:
            self.erlaubte_hosts.add(host.lower().rstrip("."))

    def quelle(self, system_url):
        """Allow the System URL's scheme, host and port; if the operator chose an internal source, that host may
        resolve to an internal address."""
        herkunft = _herkunft(system_url)
        if herkunft is None:
            raise Abgelehnt(f"„{system_url}“ ist keine http(s)-Adresse.")
        self.erlaubt.add(herkunft)
        try:
            adressen = self._aufloesen(herkunft[1], herkunft[2])
        except Abgelehnt:
            return  # reported when it is fetched
        if any(ist_intern(a) for a in adressen):
            self.intern_erlaubt.add(herkunft[1])

    def _aufloesen(self, host, port):
        try:
            return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
        except (OSError, UnicodeError) as fehler:
            raise Abgelehnt(f"Der Name „{host}“ ist nicht auflösbar ({fehler.__class__.__name__})") from None

    def ziel_pruefen(self, url):
        """The address to connect to for ``url``, or Abgelehnt with the reason."""
        herkunft = _herkunft(url)
        if herkunft is None:
            raise Abgelehnt(f"Nur http(s)-Adressen werden abgerufen, nicht „{url[:200]}“")
        scheme, host, port = herkunft
        if herkunft not in self.erlaubt and host not in self.erlaubte_hosts:
            raise Abgelehnt(
                f"{scheme}://{host}:{port} ist nicht die Quelle und kein erlaubter Host "
                f"(--host oder RATSINFO_OPARL_IMPORT_HOSTS): {url[:200]}"
            )
        adressen = self._aufloesen(host, port)
        if not adressen:
            raise Abgelehnt(f"Der Name „{host}“ hat keine Adresse")
        if host not in self.intern_erlaubt:
            for adresse in adressen:
                if ist_intern(adresse):
                    raise Abgelehnt(f"{host} zeigt auf die interne Adresse {adresse}: {url[:200]}")
        return adressen[0]

    def _anfrage(self, url, *, grenze, params=None):
        """One attempt: follows redirects by hand, checking every target; returns the body, at most ``grenze``
        bytes, within ``self.timeout`` seconds in all."""
        frist = time.monotonic() + self.timeout
        if params:
            url = str(httpx.URL(url, params=params))
        for _ in range(MAX_WEITERLEITUNGEN + 1):
            adresse = self.ziel_pruefen(url)
            teile = urlsplit(url)
            ip_host = f"[{adresse}]" if ":" in adresse else adresse
            netloc = f"{ip_host}:{teile.port}" if teile.port else ip_host
            direkt = urlunsplit(teile._replace(netloc=netloc, fragment=""))
            rest = frist - time.monotonic()
            if rest <= 0:
                raise httpx.TimeoutException("Frist abgelaufen")
            with self.client.stream(
                "GET",
                direkt,
                headers={"Host": teile.netloc.rsplit("@", 1)[-1]},
                extensions={"sni_hostname": teile.hostname},
                timeout=httpx.Timeout(min(self.timeout, rest)),
            ) as antwort:
                if antwort.is_redirect and "location" in antwort.headers:
                    url = urljoin(url, antwort.headers["location"])
                    continue
                if antwort.status_code >= 400:
                    return antwort.status_code, b""
                laenge = antwort.headers.get("content-length", "")
                if laenge.isdigit() and int(laenge) > grenze:
                    raise self._zu_gross(grenze, url)
                teile_inhalt, summe = [], 0
                for teil in antwort.iter_bytes():
                    summe += len(teil)
                    if summe > grenze:
                        raise self._zu_gross(grenze, url)
                    if time.monotonic() > frist:
                        raise httpx.TimeoutException("Frist abgelaufen")
                    teile_inhalt.append(teil)
                return antwort.status_code, b"".join(teile_inhalt)
        raise Abgelehnt(f"Mehr als {MAX_WEITERLEITUNGEN} Weiterleitungen: {url[:200]}")

    @staticmethod
    def _zu_gross(grenze, url):
        return AbrufFehler(f"Antwort größer als {grenze / 2**20:g} MB: {url[:200]}", wiederholen=False)

    def _antwort(self, url, *, grenze, params=None):
        letzter = None
        for versuch in range(self.versuche):
            if versuch:
                # Exponential backoff: a server that is briefly overloaded gets a little more air each time.
                self.schlafen(self.wartezeit * 2 ** (versuch - 1))
            self.anfragen += 1
            try:
                status, inhalt = self._anfrage(url, grenze=grenze, params=params)
            except httpx.TimeoutException:
                letzter = AbrufFehler(f"Zeitüberschreitung nach {self.timeout:g} s: {url}")
                continue
            except httpx.HTTPError as fehler:
                letzter = AbrufFehler(f"Keine Verbindung ({fehler.__class__.__name__}): {url}")
                continue
            if status >= 500:
                letzter = AbrufFehler(f"Serverfehler {status}: {url}", status=status)
                continue
            if status >= 400:
                # A 4xx does not get better by asking again.
                raise AbrufFehler(f"Antwort {status}: {url}", status=status)
            return inhalt
        raise letzter

    def json(self, url, params=None):
        if not isinstance(url, str):
            raise AbrufFehler(f"Keine Adresse, sondern {type(url).__name__}", wiederholen=False)
        inhalt = self._antwort(url, grenze=self.max_bytes, params=params)
        try:
            return json_lesen(inhalt)
        except (ValueError, RecursionError) as fehler:
            raise AbrufFehler(f"Ungültiges JSON ({str(fehler)[:120]}): {url}") from None

    def bytes(self, url):
        return self._antwort(url, grenze=self.max_bytes_datei)

    def schliessen(self):
        self.client.close()
