from django.urls import path

from abonnements import views

app_name = "abo"

urlpatterns = [
    path("abo/neu/", views.AbonnierenView.as_view(), name="neu"),
    path("abo/bestaetigen/<str:signatur>/", views.BestaetigenView.as_view(), name="bestaetigen"),
    path("abo/abbestellen/<slug:token>/", views.AbbestellenView.as_view(), name="abbestellen"),
    path("abo/verwalten/", views.VerwaltungslinkView.as_view(), name="verwaltungslink"),
    path("abo/verwalten/<slug:token>/", views.VerwaltenView.as_view(), name="verwalten"),
    path("abo/verwalten/<slug:token>/alle-abbestellen/", views.AlleAbbestellenView.as_view(), name="alle-abbestellen"),
    path("datenschutz/", views.DatenschutzView.as_view(), name="datenschutz"),
]
