from django.urls import path

from suche import feeds, views

app_name = "suche"

urlpatterns = [
    path("", views.SucheView.as_view(), name="suche"),
    path("feed/", feeds.SucheFeed(), name="feed"),
]
