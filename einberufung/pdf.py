"""The "Nachweis der Einberufung" as a PDF, with WeasyPrint, synchronously: a few pages of tables, no Anlagen.

The fonts are the project's (static/fonts), set up as druck/pdf.py does; druck is a feature app this layer may
not import, and the few lines are not worth a shared helper.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

SCHRIFTEN = Path(settings.BASE_DIR) / "static" / "fonts"


def nachweis_pdf(*, sitzung, einberufungen, ladungsfrist):
    html = render_to_string(
        "einberufung/nachweis.html",
        {
            "schriften": SCHRIFTEN.as_uri(),
            "sitzung": sitzung,
            "einberufungen": einberufungen,
            "ladungsfrist": ladungsfrist,
            "koerperschaft": settings.RATSINFO_KOERPERSCHAFT,
            "erstellt_am": timezone.now(),
        },
    )
    dokument = HTML(string=html, base_url=SCHRIFTEN.as_uri() + "/").render(font_config=FontConfiguration())
    return dokument.write_pdf(pdf_tags=True)
