from django.urls import path

from ratsinfo import konten

app_name = "konto"

urlpatterns = [
    path("anmelden/", konten.AnmeldenView.as_view(), name="anmelden"),
    path("abmelden/", konten.AbmeldenView.as_view(), name="abmelden"),
    path("meine-sitzungen/", konten.MeineSitzungenView.as_view(), name="meine-sitzungen"),
    path("passwort-vergessen/", konten.PasswortVergessenView.as_view(), name="passwort-vergessen"),
    path(
        "passwort-vergessen/gesendet/",
        konten.PasswortVergessenGesendetView.as_view(),
        name="passwort-vergessen-gesendet",
    ),
    path("passwort-neu/<uidb64>/<token>/", konten.PasswortNeuView.as_view(), name="passwort-neu"),
    path("passwort-neu/fertig/", konten.PasswortNeuFertigView.as_view(), name="passwort-neu-fertig"),
    path("passwort-aendern/", konten.PasswortAendernView.as_view(), name="passwort-aendern"),
    path("passwort-aendern/fertig/", konten.PasswortGeaendertView.as_view(), name="passwort-geaendert"),
]
