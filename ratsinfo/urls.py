from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from betrieb.views import alte_adresse_aenderungsprotokoll, server_error
from gremien import urls as alte_admin_adressen
from konten.forms import AdminAnmeldeFormular
from oeffentlich.views import StartseiteView

admin.site.site_header = "Ratsinfo – Sitzungsdienst"
admin.site.site_title = "Ratsinfo"
admin.site.index_title = "Verwaltung"
# The admin login is throttled like the councillors' login, with the same counters.
admin.site.login_form = AdminAnmeldeFormular

# A database outage outside a view answers 503 instead of 500 (betrieb.ausfall).
handler500 = server_error

urlpatterns = [
    path("", StartseiteView.as_view(), name="startseite"),
    # The PDFs beside their pages: /vorlagen/<kennung>.pdf, /sitzungen/<id>/tagesordnung.pdf, …
    path("", include("druck.urls")),
    # /vorlagen/…, and the lists /antraege/ and /anfragen/ (the paths are in vorlagen/urls.py).
    path("", include("vorlagen.urls")),
    path("suche/", include("suche.urls")),
    # Old ids and page addresses of imported objects lead to ours (before oparl/, which owns the rest).
    path("oparl/herkunft/", include("oparlimport.urls")),
    path("oparl/", include("oparl.urls")),
    path("", include("sitzungen.urls")),
    path("", include("protokoll.urls")),
    path("", include("einberufung.urls")),
    path("", include("oeffentlich.urls")),
    path("konto/", include("konten.urls")),
    # Citizens' e-mail subscriptions under /abo/, and the privacy notice /datenschutz/ that names what they store.
    path("", include("abonnements.urls")),
    # The admin, led by the redirects from the addresses Ausschüsse, Personen, Orte, Mitgliedschaften and
    # Dienststellen had before they moved to the app gremien, and the Änderungsprotokoll before it moved to
    # betrieb (clerks' bookmarks); in the admin's namespace, as part of the admin.
    path(
        "admin/",
        (
            [
                *alte_admin_adressen.urlpatterns,
                re_path(r"^ratsinfo/aenderung/(?P<rest>.*)$", alte_adresse_aenderungsprotokoll),
                *admin.site.get_urls(),
            ],
            "admin",
            admin.site.name,
        ),
    ),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
