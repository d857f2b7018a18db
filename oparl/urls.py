from django.urls import path

from oparl import views

app_name = "oparl"

urlpatterns = [
    path("", views.EntwicklerView.as_view(), name="entwickler"),
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
    path("v1.1/", views.SystemView.as_view(), name="system"),
    path("v1.1/body/", views.BodyListeView.as_view(), name="body-liste"),
    path("v1.1/body/<int:pk>", views.BodyView.as_view(), name="body"),
    path("v1.1/body/1/<str:liste>", views.ListeView.as_view(), name="liste"),
    *(path(f"v1.1/{name}/<int:pk>", views.ObjektView.as_view(typ=name), name=name) for name in views.TYPEN),
    path("v1.1/file/<int:pk>/download", views.DownloadView.as_view(), name="file-download"),
    path(
        "v1.1/sitzungsdokument/<int:pk>/download",
        views.SitzungsdokumentDownloadView.as_view(),
        name="sitzungsdokument-download",
    ),
    # Anything else below the API answers with an OParl error object, not an HTML page.
    path("v1.1/<path:rest>", views.UnbekanntView.as_view(), name="unbekannt"),
]
