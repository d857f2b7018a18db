"""The text of a PDF by pypdf, in a process of its own: ``python -m vorlagen.pypdf_text PFAD ...``.

The fallback when poppler's ``pdftotext`` is not installed. pypdf is pure Python; one crafted page took 23 s. So
each page gets its own deadline (an alarm signal, which interrupts pure Python between two bytecodes), the text is
cut to a size per page and in all, the address space is limited, and the caller kills the whole process at its own
deadline (``vorlagen.textextraktion``). Each page is written as one JSON line as soon as it is read, so what was
read before a kill is kept. No Django here.
"""

import json
import resource
import signal
import sys


class Zeitueberschreitung(Exception):
    pass


def _alarm(signum, frame):
    raise Zeitueberschreitung


def main(argumente):
    pfad, sekunden_je_seite, max_zeichen_seite, max_zeichen, max_speicher = argumente
    max_speicher = int(max_speicher)
    resource.setrlimit(resource.RLIMIT_AS, (max_speicher, max_speicher))
    signal.signal(signal.SIGALRM, _alarm)
    from pypdf import PdfReader

    gelesen = 0
    for seite in PdfReader(pfad).pages:
        signal.setitimer(signal.ITIMER_REAL, float(sekunden_je_seite))
        try:
            text = seite.extract_text() or ""
        except Zeitueberschreitung:
            text = ""
        except Exception:  # a broken page is a page without text; the next may be fine
            text = ""
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        text = text[: min(int(max_zeichen_seite), max(int(max_zeichen) - gelesen, 0))]
        gelesen += len(text)
        sys.stdout.write(json.dumps(text) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
