from django.urls import path

from druck import views

app_name = "druck"

# Beside the HTML pages they print, so the addresses read like those and stay as permanent.
urlpatterns = [
    path("vorlagen/<slug:kennung>.pdf", views.VorlagePdfView.as_view(), name="vorlage"),
    path("vorlagen/<slug:kennung>/vorschau.pdf", views.VorlageVorschauView.as_view(), name="vorlage-vorschau"),
    path("sitzungen/<int:pk>/tagesordnung.pdf", views.TagesordnungPdfView.as_view(), name="tagesordnung"),
    path("sitzungen/<int:pk>/sitzungsmappe.pdf", views.MappePdfView.as_view(), name="mappe"),
    path("sitzungen/<int:pk>/niederschrift.pdf", views.NiederschriftPdfView.as_view(), name="niederschrift"),
    path(
        "sitzungen/<int:pk>/tops/<int:top>/beschlussauszug.pdf",
        views.BeschlussauszugPdfView.as_view(),
        name="beschlussauszug",
    ),
]
