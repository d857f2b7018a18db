from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from oeffentlich import feeds, views
from oeffentlich.sitemaps import SITEMAPS

app_name = "oeffentlich"

urlpatterns = [
    path("sitzungen/kalender/", views.KalenderView.as_view(), name="kalender"),
    path("sitzungen/kalender/<int:jahr>/<int:monat>/", views.KalenderView.as_view(), name="kalender-monat"),
    path("sitzungen.ics", views.AlleSitzungenICalView.as_view(), name="ical-alle"),
    path("sitzungen/<int:pk>.ics", views.SitzungICalView.as_view(), name="ical-sitzung"),
    path("gremien/<slug:slug>.ics", views.AusschussICalView.as_view(), name="ical-ausschuss"),
    path("feeds/vorlagen/", feeds.VorlagenFeed(), name="feed-vorlagen"),
    path("feeds/vorlagen/<slug:slug>/", feeds.VorlagenFeed(), name="feed-vorlagen-ausschuss"),
    path("feeds/sitzungen/", feeds.SitzungenFeed(), name="feed-sitzungen"),
    path("beschluesse/", views.BeschlussListView.as_view(), name="beschluesse"),
    path("feeds/beschluesse/", feeds.BeschluesseFeed(), name="feed-beschluesse"),
    path("feeds/antraege/", feeds.AntraegeFeed(), name="feed-antraege"),
    path("feeds/anfragen/", feeds.AnfragenFeed(), name="feed-anfragen"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "oeffentlich:sitemap-abschnitt"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-abschnitt",
    ),
    path("barrierefreiheit/", views.BarrierefreiheitView.as_view(), name="barrierefreiheit"),
    path("leichte-sprache/", views.LeichteSpracheView.as_view(), name="leichte-sprache"),
]
