"""Writes of gremien that more than the admin makes: the demo data and the OParl importer enter Wahlperioden."""

from django.db import transaction

from gremien.models import Person, Wahlperiode


@transaction.atomic
def wahlperiode_speichern(*, name, beginn, ende, wahlperiode=None):
    """Create (or, given ``wahlperiode``, change) a Wahlperiode; ValidationError (German) on reversed dates or an
    overlap with another one, before the database would refuse it."""
    wahlperiode = wahlperiode or Wahlperiode()
    wahlperiode.name, wahlperiode.beginn, wahlperiode.ende = name, beginn, ende
    wahlperiode.full_clean()
    wahlperiode.save()
    return wahlperiode


def foto_entfernen(*, name):
    """Delete a stored photo that no Person refers to any more (replaced, or consent withdrawn)."""
    if name and not Person.objects.filter(foto=name).exists():
        Person._meta.get_field("foto").storage.delete(name)
