"""Mapping OParl objects onto our models, one module per type or small group of types.

``basis.Abbildung`` writes a record with its Herkunft, isolates each object in a savepoint and handles tombstones;
``gremien`` (Organization, Person, Membership, Location), ``sitzungen`` (Meeting, AgendaItem), ``vorlagen`` (Paper,
Consultation) and ``dateien`` (File) add the types. ``oparlimport.services.Importer`` combines them with the walk.
"""
