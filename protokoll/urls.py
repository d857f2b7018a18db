from django.urls import path

from protokoll import views

app_name = "protokoll"

urlpatterns = [
    path(
        "sitzungen/<int:sitzung>/dokumente/<int:pk>/<str:dateiname>",
        views.SitzungsdokumentView.as_view(),
        name="dokument",
    ),
    path("sitzungen/<int:pk>/niederschrift/", views.NiederschriftView.as_view(), name="niederschrift"),
]
