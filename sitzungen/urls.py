from django.urls import path

from sitzungen import planung, views

app_name = "sitzungen"

urlpatterns = [
    path("gremien/", views.AusschussListView.as_view(), name="ausschuss-liste"),
    path("gremien/<slug:slug>/", views.AusschussDetailView.as_view(), name="ausschuss-detail"),
    path("personen/", views.PersonListView.as_view(), name="person-liste"),
    path("personen/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("personen/<int:pk>/foto", views.PersonFotoView.as_view(), name="person-foto"),
    path("sitzungen/", views.SitzungListView.as_view(), name="sitzung-liste"),
    path("sitzungen/<int:pk>/", views.SitzungDetailView.as_view(), name="sitzung-detail"),
    path("sitzungen/<int:pk>/fassungen/", views.FassungenView.as_view(), name="fassungen"),
    path("sitzungen/<int:pk>/fassungen/<int:nummer>/", views.FassungView.as_view(), name="fassung"),
    # The clerk's agenda page, beside einberufung's and protokoll's pages: outside /admin/, for staff only.
    path(
        "verwaltung/sitzungen/<int:pk>/tagesordnung/",
        planung.TagesordnungPlanenView.as_view(),
        name="tagesordnung-planen",
    ),
]
