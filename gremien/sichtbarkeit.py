"""Who may see what: the single place every surface asks.

The rule (§ 35 GemO BW: sessions are public unless the public good or legitimate interests of individuals
demand otherwise; councillors keep non-public matters confidential):

* Anonymous visitors see published, public content.
* A logged-in councillor additionally sees the non-public TOPs, Beratungen, Vorlagen and Anlagen of the
  committees she is a member of **today** (any role: Vorsitz, Mitglied, Stellvertretung, sachkundige
  Einwohnerin). Membership is taken at the day of the request, not at the day of the Sitzung: whoever sits on
  the committee now needs its non-public history to do the work, and whoever has left has no business reading
  on. Drafts stay invisible to councillors.
* Clerks with the permission ``vorlagen.nichtoeffentliches_sehen`` see everything, drafts included.
* Vorlagen and Anlagen marked ``vertraulich`` (Personalangelegenheiten) are seen by those clerks only.
* Staff of an Amt (issue 19) additionally see the drafts they work on: the drafts of a Dienststelle they belong
  to **today** (``Dienststellenzugehoerigkeit``; a past or future one does not count), and the drafts on whose
  running Laufweg their Dienststelle has a step of Mitzeichnung or Freigabe that is open or already decided
  (``VorlageQuerySet.in_arbeit_bei``, reached through the reverse relation ``laufwege__schritte``), with all their
  Anlagen except those marked ``vertraulich``. That is what they need to write, co-sign and release the paper; a
  draft of their own Dienststelle marked ``vertraulich`` is theirs too (they wrote it). Waiting steps (a later
  stage) and ended routes give nothing; drafts of other Dienststellen stay hidden (404). The part applies to
  logged-in users only, so anonymous caches (page cache, count cache, search cache) never hold a draft. As the
  rule is shared, it holds on every surface: the page, the search, the lists; the PDF of a draft stays unprinted.
* Whoever may not see an object gets a 404: no title, no count, no file.

Querysets (``sichtbar_fuer(user)`` on every model) apply the rule to lists; ``darf_sehen`` answers it for one
object by asking the same queryset, so lists and single pages cannot disagree. The module lives in ``gremien``,
beside Mitgliedschaft, which it asks directly; ``vorlagen`` and ``sitzungen`` above build their querysets on it.
"""

from django.db.models import Q

from gremien.models import Dienststellenzugehoerigkeit, Mitgliedschaft

PERMISSION_ALLES_SEHEN = "vorlagen.nichtoeffentliches_sehen"


def angemeldet(user):
    return bool(user and user.is_authenticated and user.is_active)


def darf_alles_sehen(user):
    """Clerks with the permission see drafts, non-public and confidential content on every surface."""
    return angemeldet(user) and user.has_perm(PERMISSION_ALLES_SEHEN)


def gremien_von(user, stichtag=None):
    """The ids of the committees ``user`` sits on on ``stichtag`` (today by default), in any role, as a subquery."""
    return Mitgliedschaft.objects.ausschuesse_von(user, stichtag=stichtag)


def dienststellen_von(user, stichtag=None):
    """The ids of the Dienststellen ``user`` works in on ``stichtag`` (today by default), as a subquery."""
    return Dienststellenzugehoerigkeit.objects.dienststellen_von(user, stichtag=stichtag)


def mitglied_q(user, ueber="", stichtag=None):
    """Condition: the committee reached by the lookup path ``ueber`` has ``user`` as a member on ``stichtag``.

    ``ueber`` leads from the queried model to an Ausschuss, e.g. ``"beratungen__ausschuss__"`` from Vorlage or
    ``"sitzung__ausschuss__"`` from Tagesordnungspunkt; empty for an Ausschuss itself.
    """
    if not angemeldet(user):
        return Q(pk__in=[])
    return Q(**{f"{ueber}pk__in": gremien_von(user, stichtag=stichtag)})


def darf_sehen(user, obj):
    return type(obj)._default_manager.sichtbar_fuer(user).filter(pk=obj.pk).exists()
