from django.urls import path

from mitzeichnung import views

app_name = "mitzeichnung"

# "Meine Aufgaben" (the task mails link to ``aufgabe``) and the Dienststelle's work area under /verwaltung/.
urlpatterns = [
    path("aufgaben/", views.AufgabenView.as_view(), name="aufgaben"),
    path("aufgaben/<int:pk>/", views.AufgabeView.as_view(), name="aufgabe"),
    path("verwaltung/dienststelle/", views.ArbeitsbereichView.as_view(), name="arbeitsbereich"),
    path("verwaltung/dienststelle/neu/", views.EntwurfNeuView.as_view(), name="entwurf-neu"),
    path("verwaltung/dienststelle/<int:pk>/", views.EntwurfView.as_view(), name="entwurf"),
    path("verwaltung/dienststelle/<int:pk>/laufweg/", views.LaufwegStartenView.as_view(), name="laufweg-starten"),
]
