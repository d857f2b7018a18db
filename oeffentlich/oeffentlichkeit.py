"""The one visitor every subscribable surface is built for: the anonymous public.

Calendar apps and feed readers fetch iCal and Atom without cookies, search engines fetch the sitemap without a
login, and a subscribed URL may be passed on to anyone. So these surfaces never look at ``request.user``: they ask
the visibility rule (``sichtbar_fuer``) about an anonymous visitor, whoever sends the request, and a logged-in
councillor gets the same public feed as everybody else.
"""

from django.contrib.auth.models import AnonymousUser


def oeffentlichkeit():
    return AnonymousUser()
