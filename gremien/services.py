"""Writes of gremien that more than the admin makes: the demo data and the OParl importer enter Wahlperioden."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
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


@transaction.atomic
def foto_setzen(*, person, inhalt, endung, einwilligung_am):
    """Store ``inhalt`` (an image the caller has checked) as the photo of ``person`` with the date of her consent;
    ValidationError (German) without a consent date. The previous file, if any, is deleted."""
    alt = person.foto.name
    person.foto_einwilligung_am = einwilligung_am
    person.foto.save(f"foto{endung}", ContentFile(inhalt), save=False)
    try:
        person.full_clean()
    except ValidationError:
        person.foto.delete(save=False)
        raise
    person.save()
    if alt and alt != person.foto.name:
        foto_entfernen(name=alt)
    return person
