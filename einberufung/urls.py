from django.urls import path

from einberufung import views

app_name = "einberufung"

urlpatterns = [
    # The clerk's page of the Einberufung, beside protokoll's recording page: outside /admin/, for staff only.
    path("verwaltung/sitzungen/<int:pk>/einberufung/", views.EinberufungView.as_view(), name="einberufung"),
    path("verwaltung/sitzungen/<int:pk>/einberufung/nachweis.pdf", views.NachweisPdfView.as_view(), name="nachweis"),
]
