from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views.generic import RedirectView


class AlteAdminAdresseView(RedirectView):
    """A clerk's bookmark of an admin page from before the models moved to gremien (/admin/sitzungen/person/7/change/)
    leads to the same page under the new app label (/admin/gremien/person/7/change/)."""

    permanent = True
    query_string = True

    def get_redirect_url(self, *args, modell, rest, **kwargs):
        self.url = reverse("admin:app_list", kwargs={"app_label": "gremien"}) + f"{modell}/{escape_uri_path(rest)}"
        return super().get_redirect_url(*args, **kwargs)
