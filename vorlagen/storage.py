from django.core.files.storage import FileSystemStorage


class AnlagenSpeicher(FileSystemStorage):
    """Local storage for Anlagen, which have no address of their own.

    A file of a non-public Anlage must never be reachable under a public URL, so this storage refuses to make
    one: every file is served by the download view, which asks the visibility rule first.
    """

    def url(self, name):
        raise ValueError("Anlagen haben keine eigene Adresse; sie werden nur über die Download-Ansicht ausgeliefert.")
