"""The client's address for the throttles (login, password reset, subscriptions): one reading for all of them."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or the last entry of the trusted proxy's header when ``RATSINFO_PROXY_IP_HEADER`` is set."""
    header = getattr(settings, "RATSINFO_PROXY_IP_HEADER", "")
    if header:
        schluessel = header.upper().replace("-", "_")
        if not schluessel.startswith("HTTP_"):
            schluessel = f"HTTP_{schluessel}"
        # The proxy appends the address it saw; entries before it come from the client and prove nothing.
        kandidat = request.META.get(schluessel, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(kandidat))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")
