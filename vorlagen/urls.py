from django.urls import path

from vorlagen import views

app_name = "vorlagen"

# Mounted at the root (ratsinfo/urls.py): the Vorlagen under /vorlagen/, the lists of Anträge and Anfragen at the
# top level, /antraege/ and /anfragen/, addresses to keep.
urlpatterns = [
    path("vorlagen/", views.VorlageListView.as_view(), name="liste"),
    path("vorlagen/<slug:kennung>/", views.VorlageDetailView.as_view(), name="detail"),
    path(
        "vorlagen/<slug:kennung>/anlagen/<int:pk>/<str:dateiname>",
        views.AnlageDownloadView.as_view(),
        name="anlage",
    ),
    path("antraege/", views.AntragListView.as_view(), name="antraege"),
    path("anfragen/", views.AnfrageListView.as_view(), name="anfragen"),
]
