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
    # The clerk's recording page: outside /admin/ (it is no change form), but for staff only.
    path("verwaltung/sitzungen/<int:pk>/erfassung/", views.ErfassungView.as_view(), name="erfassung"),
]
