from django.tasks import task


@task
def anlage_text_lesen(anlage_id):
    """Background work after an upload: read the Anlage's text into its pages for the search."""
    from vorlagen.services import anlage_text_aktualisieren

    anlage_text_aktualisieren(anlage_id=anlage_id)
