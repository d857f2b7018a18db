"""A local HTTP server for the OParl importer tests: answers fixed responses by path (and query)."""

import json
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HUERTGENWALD_TAR = Path("/work/shared/oparl/real/huertgenwald-2021.tar.gz")
HUERTGENWALD_BASIS = "https://sdnetrim.kdvz-frechen.de/"
HUERTGENWALD_PFAD = "/rim4220/webservice/oparl/v1.0/"


class OparlServer:
    """``routen`` maps "/path?query" to (status, body bytes) or to a callable returning that.

    The body may also be an iterable of bytes, sent piece by piece without a Content-Length (an endless or slow
    answer), and a third element of the tuple adds headers (e.g. ``{"Location": ...}`` for a redirect). Every
    request is recorded in ``anfragen``; a path that is not known answers 404.
    """

    def __init__(self):
        self.routen = {}
        self.anfragen = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.anfragen.append(self.path)
                antwort = server.routen.get(self.path)
                if callable(antwort):
                    antwort = antwort()
                status, inhalt, *kopf = antwort if antwort else (404, b'{"type": "Error", "message": "nicht gefunden"}')
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, wert in (kopf[0] if kopf else {}).items():
                    self.send_header(name, wert)
                if isinstance(inhalt, bytes):
                    self.send_header("Content-Length", str(len(inhalt)))
                    self.end_headers()
                    self.wfile.write(inhalt)
                    return
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for teil in inhalt:
                        self.wfile.write(teil)
                        self.wfile.flush()
                except OSError:
                    pass  # the client hung up, as it should on an endless answer
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.basis = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *args):
        self.httpd.shutdown()
        self.httpd.server_close()

    def json(self, pfad, daten, status=200):
        self.routen[pfad] = (status, json.dumps(daten).replace("BASIS/", self.basis + "/").encode())


def huertgenwald_laden(server, ziel):
    """Unpack the real crawl into ``ziel`` and serve each file at its URL path, with ids pointing to ``server``."""
    with tarfile.open(HUERTGENWALD_TAR) as archiv:
        archiv.extractall(ziel, filter="data")
    for datei in Path(ziel).rglob("*.json"):
        relativ = datei.relative_to(ziel).as_posix()
        if relativ == "missing_ids.json":
            continue
        inhalt = datei.read_text(encoding="utf-8").replace(HUERTGENWALD_BASIS, server.basis + "/")
        server.routen[HUERTGENWALD_PFAD + relativ.removesuffix(".json")] = (200, inhalt.encode())
    return server.basis + HUERTGENWALD_PFAD + "system"
