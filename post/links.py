"""Absolute addresses for mails: the worker has no request to ask for its host."""

from django.conf import settings
from django.urls import reverse


def absolut(pfad):
    return f"{settings.RATSINFO_BASIS_URL}{pfad}"


def absolut_reverse(name, *args, **kwargs):
    return absolut(reverse(name, args=args or None, kwargs=kwargs or None))
