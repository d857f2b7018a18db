"""Forms of the clerks' admin for Anlagen: a chosen file survives an error elsewhere on the page.

After an invalid submission the browser shows every file input empty again. A form with
:class:`DateienBehaltenMixin` keeps each upload that passed its checks (the field's and the model's, among them
the upload check of ``vorlagen.dateipruefung`` in ``Anlage.clean()``) in ``vorlagen.zwischenspeicher`` when it is
shown again, and the widget says so: "Ausgewählt: bericht.pdf (wird beim Speichern übernommen)", with a hidden
token and the file input to choose another file instead. On the next submission the token brings the file back
into the form as if it had been uploaded again: the same checks run, and the save stores it like a fresh upload.
"""

import functools
import logging

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _

from vorlagen import zwischenspeicher
from vorlagen.models import Anlage

logger = logging.getLogger(__name__)


def markenfeld(feldname):
    """The name of the hidden field that carries the token of the file kept for the file field ``feldname``."""
    return f"{feldname}_behalten"


class DateiBehaltenWidget(AdminFileWidget):
    # Set by the form on its own copy of the widget when a kept file goes with this rendering:
    # {"marke": token, "dateiname": name shown}.
    behalten = None

    def use_required_attribute(self, initial):
        # The kept file counts as chosen; a required empty input would stop the browser from sending the form.
        return super().use_required_attribute(initial) and not self.behalten

    def render(self, name, value, attrs=None, renderer=None):
        eingabe = super().render(name, value, attrs, renderer)
        if not self.behalten:
            return eingabe
        hinweis = _("Ausgewählt: %(dateiname)s (wird beim Speichern übernommen)") % {
            "dateiname": self.behalten["dateiname"]
        }
        andere = _("Stattdessen eine andere Datei wählen:")
        feld_id = (attrs or {}).get("id") or self.attrs.get("id")
        beschriftung = format_html('<label for="{}">{}</label>', feld_id, andere) if feld_id else andere
        return format_html(
            '<div class="datei-behalten"><p class="datei-behalten-hinweis">{}'
            '<input type="hidden" name="{}" value="{}"></p>{} {}</div>',
            hinweis,
            markenfeld(name),
            self.behalten["marke"],
            beschriftung,
            eingabe,
        )


class _Herunterladen:
    """The current file of an Anlage as the file widget shows it, linked to the download view."""

    def __init__(self, datei):
        self.url = datei.instance.get_absolute_url()
        self.name = datei.instance.dateiname or datei.name

    def __str__(self):
        return self.name


class AnlageDateiWidget(DateiBehaltenWidget):
    # Anlagen have no public storage URL (the storage would fall back to MEDIA_URL, where they are not); the file is
    # reached through the download view, which applies the visibility rule.
    def is_initial(self, value):
        return bool(value and getattr(value, "instance", None) is not None and value.instance.pk)

    def format_value(self, value):
        if self.is_initial(value):
            return _Herunterladen(value)
        return None


class DateienBehaltenMixin:
    """For a ModelForm whose file fields use :class:`DateiBehaltenWidget`; needs the user as ``benutzer``.

    Without a user (a form built outside the admin) nothing is kept and no token is read.
    """

    def __init__(self, *args, benutzer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.benutzer = benutzer
        self._behalten = {}  # field name -> BehalteneDatei brought back by its token
        self._verworfen = []  # tokens of kept files the clerk replaced by choosing another file
        self._markenfehler = {}  # field name -> ValidationError of a token that could not be used
        if not self.is_bound or benutzer is None:
            return
        for name in self._dateifelder():
            feldname = self.add_prefix(name)
            marke = self.data.get(markenfeld(feldname))
            if not marke:
                continue
            if self.files.get(feldname):
                self._verworfen.append(marke)
                continue
            try:
                datei = zwischenspeicher.holen(marke, benutzer=benutzer)
            except forms.ValidationError as fehler:
                self._markenfehler[name] = fehler
                continue
            if not self._behalten:
                # The formset shares request.FILES among its forms; each form adds to its own copy.
                self.files = self.files.copy()
            self.files[feldname] = datei
            self._behalten[name] = datei

    def _dateifelder(self):
        return [name for name, feld in self.fields.items() if isinstance(feld.widget, DateiBehaltenWidget)]

    def has_changed(self):
        # An extra row whose only content was a token that failed is still checked, so its message is shown.
        return bool(self._markenfehler) or super().has_changed()

    def clean(self):
        cleaned_data = super().clean()
        for name, fehler in self._markenfehler.items():
            self.add_error(name, fehler)
        return cleaned_data

    def dateien_behalten(self):
        """Keep the uploads that passed their checks, for the form that is shown again after an error."""
        if not self.is_bound or self.benutzer is None:
            return
        fehler = self.errors  # validates the form if that has not happened yet
        for marke in self._verworfen:
            zwischenspeicher.verwerfen(marke, benutzer=self.benutzer)
        self._verworfen = []
        geloescht = self.cleaned_data.get(forms.formsets.DELETION_FIELD_NAME, False)
        for name in self._dateifelder():
            behalten = self._behalten.get(name)
            if behalten is not None:
                behalten.close()
            datei = self.cleaned_data.get(name)
            if name in fehler or geloescht or datei is None or not isinstance(datei, UploadedFile):
                if behalten is not None:
                    # It no longer passes its checks, or its row goes: the clerk sees the error, not the file.
                    zwischenspeicher.entfernen(behalten.ablage_name)
                continue
            if datei is behalten:
                marke = behalten.marke
            else:
                try:
                    marke = zwischenspeicher.ablegen(datei, benutzer=self.benutzer)
                except OSError:
                    logger.exception("Upload konnte nicht zwischengespeichert werden")
                    self.add_error(
                        name,
                        _(
                            "Die Datei konnte nicht zwischengespeichert werden. Bitte wählen Sie sie beim nächsten "
                            "Speichern erneut aus."
                        ),
                    )
                    continue
            self.fields[name].widget.behalten = {"marke": marke, "dateiname": datei.name}

    def _save_m2m(self):
        # Called after the instance (and with it the file) is saved, by save() or by save_m2m() after
        # save(commit=False). The kept files go once the transaction that stored their copies has committed.
        super()._save_m2m()
        for datei in self._behalten.values():
            transaction.on_commit(functools.partial(_entfernen, datei))
        if self._behalten:
            # Files of forms that were left with an error and never sent again go here too, not only when the next
            # file is kept.
            transaction.on_commit(zwischenspeicher.aufraeumen)
        for marke in self._verworfen:
            transaction.on_commit(functools.partial(zwischenspeicher.verwerfen, marke, benutzer=self.benutzer))


def _entfernen(datei):
    datei.close()
    zwischenspeicher.entfernen(datei.ablage_name)


class AnlageForm(DateienBehaltenMixin, forms.ModelForm):
    class Meta:
        model = Anlage
        fields = ["titel", "datei", "reihenfolge", "oeffentlich", "vertraulich"]
        widgets = {"datei": AnlageDateiWidget}
