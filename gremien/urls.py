"""Redirects from the admin addresses the moved models had in sitzungen and vorlagen; mounted before the admin."""

from django.urls import re_path

from gremien.views import AlteAdminAdresseView

umleitung = AlteAdminAdresseView.as_view()

urlpatterns = [
    re_path(r"^sitzungen/(?P<modell>ausschuss|ort|person|mitgliedschaft)/(?P<rest>.*)$", umleitung),
    re_path(r"^vorlagen/(?P<modell>dienststelle)/(?P<rest>.*)$", umleitung),
]
