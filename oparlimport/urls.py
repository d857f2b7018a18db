from django.urls import path

from oparlimport import views

app_name = "oparlimport"

urlpatterns = [
    path("", views.HerkunftView.as_view(), name="herkunft"),
]
