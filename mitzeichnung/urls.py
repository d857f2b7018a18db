from django.urls import path

from mitzeichnung import views

app_name = "mitzeichnung"

# The two addresses the task mails link to. Minimal views for now: the work area of the Dienststellen (issue 19,
# part A2) takes these names over and replaces the views; the names and paths stay.
urlpatterns = [
    path("aufgaben/", views.AufgabenView.as_view(), name="aufgaben"),
    path("aufgaben/<int:pk>/", views.AufgabeView.as_view(), name="aufgabe"),
]
