"""The sitemap: what a search engine may index, which is exactly what an anonymous visitor may see."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gremien.models import Ausschuss
from oeffentlich.oeffentlichkeit import oeffentlichkeit
from sitzungen.models import Sitzung
from vorlagen.models import Vorlage


class OeffentlicheSitemap(Sitemap):
    # Pages of a few thousand URLs each (the protocol allows 50 000): small responses, and the index lists them.
    limit = 2000


class SeitenSitemap(OeffentlicheSitemap):
    changefreq = "daily"

    def items(self):
        return [
            "startseite",
            "sitzungen:ausschuss-liste",
            "sitzungen:sitzung-liste",
            "vorlagen:liste",
            "oeffentlich:kalender",
            "oeffentlich:barrierefreiheit",
            "oeffentlich:leichte-sprache",
        ]

    def location(self, name):
        return reverse(name)


class AusschussSitemap(OeffentlicheSitemap):
    changefreq = "weekly"

    def items(self):
        return Ausschuss.objects.gremien().order_by("pk")

    def lastmod(self, ausschuss):
        return ausschuss.geaendert_am


class SitzungSitemap(OeffentlicheSitemap):
    def items(self):
        return Sitzung.objects.sichtbar_fuer(oeffentlichkeit()).order_by("pk")

    def lastmod(self, sitzung):
        return sitzung.geaendert_am


class VorlageSitemap(OeffentlicheSitemap):
    def items(self):
        return Vorlage.objects.sichtbar_fuer(oeffentlichkeit()).order_by("pk")

    def lastmod(self, vorlage):
        return vorlage.geaendert_am


SITEMAPS = {
    "seiten": SeitenSitemap,
    "gremien": AusschussSitemap,
    "sitzungen": SitzungSitemap,
    "vorlagen": VorlageSitemap,
}
