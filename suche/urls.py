from django.urls import path

from suche import views

app_name = "suche"

urlpatterns = [
    path("", views.SucheView.as_view(), name="suche"),
]
