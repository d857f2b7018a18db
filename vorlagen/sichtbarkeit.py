"""Who may see what: the single place every surface asks.

Querysets (``sichtbar_fuer(user)``) apply the rule to lists; ``darf_sehen`` answers it for one object by asking
the same queryset, so lists and single pages can never disagree. This module lives in ``vorlagen`` because
``sitzungen`` may import from ``vorlagen`` but not the other way round.
"""

PERMISSION_ALLES_SEHEN = "vorlagen.nichtoeffentliches_sehen"


def darf_alles_sehen(user):
    """Clerks with the permission see drafts and non-public content on every surface."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION_ALLES_SEHEN))


def darf_sehen(user, obj):
    return type(obj).objects.sichtbar_fuer(user).filter(pk=obj.pk).exists()
