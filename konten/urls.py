from django.urls import path

from konten import views

app_name = "konto"

urlpatterns = [
    path("anmelden/", views.AnmeldenView.as_view(), name="anmelden"),
    path("abmelden/", views.AbmeldenView.as_view(), name="abmelden"),
    path("meine-sitzungen/", views.MeineSitzungenView.as_view(), name="meine-sitzungen"),
    path("passwort-vergessen/", views.PasswortVergessenView.as_view(), name="passwort-vergessen"),
    path(
        "passwort-vergessen/gesendet/",
        views.PasswortVergessenGesendetView.as_view(),
        name="passwort-vergessen-gesendet",
    ),
    path("passwort-neu/<uidb64>/<token>/", views.PasswortNeuView.as_view(), name="passwort-neu"),
    path("passwort-neu/fertig/", views.PasswortNeuFertigView.as_view(), name="passwort-neu-fertig"),
    path("passwort-aendern/", views.PasswortAendernView.as_view(), name="passwort-aendern"),
    path("passwort-aendern/fertig/", views.PasswortGeaendertView.as_view(), name="passwort-geaendert"),
]

urlpatterns += [
    path("benachrichtigungen/", views.BenachrichtigungenView.as_view(), name="benachrichtigungen"),
    path(
        "benachrichtigungen/abbestellen/<str:token>/",
        views.BenachrichtigungenAbbestellenView.as_view(),
        name="benachrichtigungen-abbestellen",
    ),
]
