from django.core.files.storage import FileSystemStorage

from ratsinfo.objektspeicher import ObjektSpeicher


class DruckSpeicher(FileSystemStorage):
    """Local storage for rendered PDFs, which have no address of their own.

    Non-public variants (a councillor's Sitzungsmappe) are stored here as well, so, like the Anlagen, no file may
    be reachable under a public URL: every PDF is served by a view of ``druck.views``, which applies the rule.
    """

    def url(self, name):
        raise ValueError(
            "Gedruckte PDFs haben keine eigene Adresse; sie werden nur über die PDF-Ansichten ausgeliefert."
        )


class DruckObjektSpeicher(ObjektSpeicher):
    """Rendered PDFs in the bucket (RATSINFO_SPEICHER=s3): private objects, no address either."""
