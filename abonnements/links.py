"""The absolute links every subscription mail carries: unsubscribing one subscription, managing them all.

The digests are built by the worker, which has no request: ``post.links`` takes the host from ``RATSINFO_BASIS_URL``.
"""

from post.links import absolut_reverse


def abbestellen_url(abonnement):
    return absolut_reverse("abo:abbestellen", token=abonnement.token)


def verwalten_url(abonnent):
    return absolut_reverse("abo:verwalten", token=abonnent.token)


def alle_abbestellen_url(abonnent):
    return absolut_reverse("abo:alle-abbestellen", token=abonnent.token)


def alle_kopfzeilen(abonnent):
    """For a digest of several subscriptions: the mail client's one click stops all of them."""
    return {
        "List-Unsubscribe": f"<{alle_abbestellen_url(abonnent)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def kopfzeilen(abonnement):
    """RFC 2369 and RFC 8058: the mail client offers "Abbestellen" and may unsubscribe with one POST."""
    return {
        "List-Unsubscribe": f"<{abbestellen_url(abonnement)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
