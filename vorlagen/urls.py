from django.urls import path

from vorlagen import views

app_name = "vorlagen"

urlpatterns = [
    path("", views.VorlageListView.as_view(), name="liste"),
    path("<slug:kennung>/", views.VorlageDetailView.as_view(), name="detail"),
    path("<slug:kennung>/unterschiede/", views.UnterschiedeView.as_view(), name="unterschiede"),
    path("<slug:kennung>/anlagen/<int:pk>/<str:dateiname>", views.AnlageDownloadView.as_view(), name="anlage"),
]
