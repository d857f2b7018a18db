"""Demo data for the embedded mode and the tests: Stuttgart's bodies, the seed Vorlage and invented current data.

``laden.demodaten_laden`` writes it (the ``demodaten_laden`` management command calls it); ``gremien``,
``vorlagen``, ``sitzungen`` and ``personen`` hold the data, ``kalender`` the relative dates, ``pdf`` the shipped
Anlagen. ``zugaenge`` makes the two demo accounts (``--demo-zugaenge``, never in production).
"""
