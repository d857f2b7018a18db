from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from gremien.models import Mitgliedschaft
from protokoll import services
from protokoll.beschlussfaehigkeit import Sitzungsstand
from protokoll.forms import (
    AbstimmungForm,
    AnwesenheitForm,
    BefangenheitForm,
    ErgebnisForm,
    VertagenForm,
    stimmen_aus,
)
from protokoll.models import (
    Abstimmung,
    Anwesenheit,
    Niederschrift,
    Sitzungsdokument,
    anwesenheiten_der_sitzung,
    tagesordnung_mit_protokoll,
)
from sitzungen.models import Sitzung, Tagesordnungspunkt
from vorlagen.models import Vorlage
from vorlagen.views import datei_antwort

ERFASSUNG_PERMISSION = "protokoll.change_anwesenheit"


class SitzungsdokumentView(View):
    """Serves the file of a Sitzungsdokument to whoever may see it, as the Anlage download does: no public URL of
    its own, the rule first (a hidden document is a 404), non-public files never in a shared cache."""

    def get(self, request, sitzung, pk, dateiname):
        dokument = get_object_or_404(Sitzungsdokument.objects.sichtbar_fuer(request.user), pk=pk, sitzung_id=sitzung)
        if dateiname != dokument.dateiname:
            return redirect(dokument, permanent=True)
        if not dokument.datei.storage.exists(dokument.datei.name):
            raise Http404("Die Datei dieses Dokuments ist nicht vorhanden.")
        antwort = datei_antwort(dokument)
        if not Sitzungsdokument.objects.sichtbar_fuer(AnonymousUser()).filter(pk=dokument.pk).exists():
            # Non-public: no shared cache may keep a copy.
            patch_cache_control(antwort, private=True, no_store=True)
        return antwort


class NiederschriftView(DetailView):
    """The Niederschrift of a Sitzung: published for everyone (non-public TOPs by the TOP rule), drafts for clerks."""

    template_name = "protokoll/niederschrift.html"
    context_object_name = "niederschrift"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Niederschrift.objects.sichtbar_fuer(self.request.user).fuer_seite(), sitzung_id=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        sitzung = self.object.sitzung
        tops = list(tagesordnung_mit_protokoll(self.request.user, sitzung))
        return super().get_context_data(
            sitzung=sitzung,
            anwesenheiten=anwesenheiten_der_sitzung(sitzung),
            teile=[
                ("oeffentlich", [top for top in tops if top.oeffentlich]),
                ("nichtoeffentlich", [top for top in tops if not top.oeffentlich]),
            ],
            genehmigte=Niederschrift.objects.filter(genehmigt_in=sitzung).select_related("sitzung__ausschuss"),
            **kwargs,
        )


def stand_als_daten(stand, tops):
    """The Beschlussfähigkeit of the whole Sitzung and of each TOP, as the page and its script show it."""

    def eintrag(top_id=None):
        bf = stand.beschlussfaehigkeit(top_id)
        if bf.beschlussfaehig:
            text = _("Beschlussfähig: %(anwesend)s von %(mitglieder)s stimmberechtigten Mitgliedern anwesend")
        else:
            text = _(
                "Nicht beschlussfähig: %(anwesend)s von %(mitglieder)s stimmberechtigten Mitgliedern anwesend, "
                "nötig sind %(noetig)s"
            )
        text = text % {"anwesend": bf.anwesend, "mitglieder": bf.mitglieder, "noetig": bf.noetig}
        if bf.befangen:
            text += _(" (%(befangen)s befangen)") % {"befangen": bf.befangen}
        return {
            "beschlussfaehig": bf.beschlussfaehig,
            "anwesend": bf.anwesend,
            "befangen": bf.befangen,
            "mitglieder": bf.mitglieder,
            "noetig": bf.noetig,
            "stimmberechtigt": len(stand.stimmberechtigt_bei(top_id)) if top_id else bf.anwesend,
            "text": text,
        }

    return {"sitzung": eintrag(), "tops": {str(top.pk): eintrag(top.pk) for top in tops}}


class ErfassungView(LoginRequiredMixin, View):
    """The clerk's page to record a Sitzung as it happens: attendance, Befangenheit, votes, results.

    Plain forms that work without JavaScript (POST, then back to the section); ``static/js/erfassung.js`` sends
    each changed form with fetch() and gets JSON with the new Beschlussfähigkeit. Only staff with the permission
    to record attendance get the page; for everybody else it does not exist (404)."""

    template_name = "protokoll/erfassung.html"
    aktionen = {
        "anwesenheit": "anwesenheit_speichern",
        "vorbelegen": "vorbelegen",
        "befangenheit": "befangenheit_speichern",
        "abstimmung": "abstimmung_speichern",
        "ergebnis": "ergebnis_speichern",
        "vertagen": "vertagen",
    }

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_staff and request.user.is_active and request.user.has_perm(ERFASSUNG_PERMISSION)
        ):
            raise Http404(_("Diese Seite gibt es nicht."))
        return super().dispatch(request, *args, **kwargs)

    def sitzung_lesen(self, pk, *, ganz=True):
        self.sitzung = get_object_or_404(
            Sitzung.objects.sichtbar_fuer(self.request.user).select_related("ausschuss", "ort"), pk=pk
        )
        # Only TOPs whose content the clerk may see can be recorded; the others appear by their number. A POST
        # needs no more than which they are (the answer to the script must be quick).
        tops = (
            Tagesordnungspunkt.objects.mit_sichtbarkeit(self.request.user)
            .filter(sitzung=self.sitzung)
            .order_by("-oeffentlich", "reihenfolge", "pk")
        )
        if ganz:
            tops = tops.prefetch_related(
                Prefetch("vorlagen", queryset=Vorlage.objects.sichtbar_fuer(self.request.user)),
                Prefetch("abstimmungen", queryset=Abstimmung.objects.prefetch_related("stimmen")),
                Prefetch("fortsetzungen", queryset=Tagesordnungspunkt.objects.select_related("sitzung__ausschuss")),
            )
        else:
            tops = tops.only("pk", "sitzung_id", "oeffentlich", "nummer", "reihenfolge")
        self.alle_tops = list(tops)
        self.tops = [top for top in self.alle_tops if top.inhalt_sichtbar]

    def json_gewuenscht(self):
        return "application/json" in self.request.headers.get("Accept", "")

    def get(self, request, pk):
        self.sitzung_lesen(pk)
        return TemplateResponse(request, self.template_name, self.kontext())

    def post(self, request, pk):
        self.sitzung_lesen(pk, ganz=not self.json_gewuenscht())
        aktion = request.POST.get("aktion", "")
        if aktion not in self.aktionen:
            return self.fehler("", [_("Unbekannte Aktion. Laden Sie die Seite neu.")])
        try:
            anker, ergebnis = getattr(self, self.aktionen[aktion])()
        except ValidationError as fehler:
            return self.fehler(self.anker(), fehler.messages)
        except FormFehler as fehler:
            return self.fehler(self.anker(), fehler.meldungen)
        if self.json_gewuenscht():
            # A vote changes no attendance and no Befangenheit: the state its check read is still the state.
            stand = getattr(self, "stand_unveraendert", None) or Sitzungsstand(self.sitzung)
            return JsonResponse(
                {"ok": True, "meldung": _("gespeichert"), "stand": stand_als_daten(stand, self.tops), **ergebnis}
            )
        messages.success(request, _("Gespeichert."))
        return HttpResponseRedirect(reverse("protokoll:erfassung", kwargs={"pk": self.sitzung.pk}) + f"#{anker}")

    def anker(self):
        """Where on the page the sent form stands, to lead the clerk back to it."""
        for feld, praefix in (("tagesordnungspunkt", "top"), ("person", "person")):
            wert = self.request.POST.get(feld, "")
            if wert.isdigit():
                return f"{praefix}-{wert}"
        return "anwesenheit" if self.request.POST.get("aktion") == "vorbelegen" else ""

    def fehler(self, anker, meldungen):
        if self.json_gewuenscht():
            return JsonResponse({"ok": False, "anker": anker, "fehler": meldungen}, status=400)
        kontext = self.kontext()
        kontext["fehler"] = {"anker": anker, "meldungen": meldungen}
        return TemplateResponse(self.request, self.template_name, kontext, status=400)

    def formular(self, klasse, **kwargs):
        form = klasse(self.request.POST, sitzung=self.sitzung, tops=self.tops, **kwargs)
        if not form.is_valid():
            meldungen = [
                f"{form.fields[feld].label}: {meldung}" if feld in form.fields else meldung
                for feld, liste in form.errors.items()
                for meldung in liste
            ]
            raise FormFehler(meldungen)
        return form.cleaned_data

    # The actions: each returns the anchor to go back to and what the script needs besides the new state.

    def anwesenheit_speichern(self):
        daten = self.formular(AnwesenheitForm)
        services.anwesenheit_erfassen(
            sitzung=self.sitzung,
            person=daten["person"],
            status=daten["status"],
            ab_top=daten["ab_top"],
            bis_top=daten["bis_top"],
            vertritt=daten["vertritt"],
        )
        return f"person-{daten['person'].pk}", {}

    def vorbelegen(self):
        services.anwesenheiten_vorbelegen(sitzung=self.sitzung)
        return "anwesenheit", {}

    def befangenheit_speichern(self):
        daten = self.formular(BefangenheitForm)
        top = daten["tagesordnungspunkt"]
        gewuenscht = set(daten["befangen"])
        bisher = {b.person for b in top.befangenheiten.select_related("person")}
        for person in bisher - gewuenscht:
            services.befangenheit_aufheben(tagesordnungspunkt=top, person=person)
        for person in gewuenscht - bisher:
            services.befangenheit_erfassen(tagesordnungspunkt=top, person=person)
        return f"top-{top.pk}", {}

    def abstimmung_speichern(self):
        daten = self.formular(AbstimmungForm)
        top = daten["tagesordnungspunkt"]
        stimmen = {}
        if daten["art"] == Abstimmung.Art.NAMENTLICH:
            anwesende = Anwesenheit.objects.filter(sitzung=self.sitzung).select_related("person")
            stimmen = stimmen_aus(self.request.POST, [a.person for a in anwesende])
        self.stand_unveraendert = Sitzungsstand(self.sitzung)
        abstimmung = services.abstimmung_erfassen(
            stand=self.stand_unveraendert,
            tagesordnungspunkt=top,
            art=daten["art"],
            ja=daten["ja"] or 0,
            nein=daten["nein"] or 0,
            enthaltung=daten["enthaltung"] or 0,
            stimmen=stimmen,
        )
        zahlen = {"ja": abstimmung.ja, "nein": abstimmung.nein, "enthaltung": abstimmung.enthaltung}
        return f"top-{top.pk}", {"top": top.pk, "abstimmung": zahlen}

    def ergebnis_speichern(self):
        daten = self.formular(ErgebnisForm)
        top = services.ergebnis_erfassen(
            tagesordnungspunkt=daten["tagesordnungspunkt"], ergebnis=daten["ergebnis"], beschluss=daten["beschluss"]
        )
        return f"top-{top.pk}", {"top": top.pk, "beschluss": top.beschluss}

    def vertagen(self):
        daten = self.formular(VertagenForm, spaetere=self.spaetere_sitzungen())
        neu = services.top_vertagen(
            tagesordnungspunkt=daten["tagesordnungspunkt"], sitzung=daten["ziel"], user=self.request.user
        )
        return f"top-{daten['tagesordnungspunkt'].pk}", {"neu": neu.pk}

    def spaetere_sitzungen(self):
        return list(
            Sitzung.objects.filter(ausschuss=self.sitzung.ausschuss, beginn__gt=self.sitzung.beginn)
            .exclude(status=Sitzung.Status.ABGESAGT)
            .select_related("ausschuss")
            .order_by("beginn")[:12]
        )

    def kontext(self):
        stand = Sitzungsstand(self.sitzung)
        daten = stand_als_daten(stand, self.tops)
        anwesenheiten = {a.person_id: a for a in stand.anwesenheiten}
        rollen = {}
        for mitgliedschaft in (
            Mitgliedschaft.objects.aktuell(timezone.localdate(self.sitzung.beginn))
            .filter(ausschuss_id=self.sitzung.ausschuss_id)
            .select_related("person")
        ):
            rollen.setdefault(mitgliedschaft.person, []).append(mitgliedschaft.get_rolle_display())
        personen = {a.person: [] for a in stand.anwesenheiten}
        personen.update(rollen)
        zeilen = [
            {"person": person, "rollen": ", ".join(r), "anwesenheit": anwesenheiten.get(person.pk)}
            for person, r in sorted(personen.items(), key=lambda e: (e[0].nachname, e[0].vorname, e[0].pk))
        ]
        vertretbar = [z["person"] for z in zeilen]
        eintraege = []
        for top in self.alle_tops:
            if not top.inhalt_sichtbar:
                eintraege.append({"top": top})
                continue
            abstimmungen = list(top.abstimmungen.all())
            abstimmung = abstimmungen[0] if abstimmungen else None
            stimmberechtigt = [a.person for a in stand.stimmberechtigt_bei(top.pk)]
            stimmen = {s.person_id: s.stimme for s in abstimmung.stimmen.all()} if abstimmung else {}
            eintraege.append(
                {
                    "top": top,
                    "stand": daten["tops"][str(top.pk)],
                    "befangen": stand.befangene.get(top.pk, set()),
                    "anwesend": [a.person for a in stand.anwesend_bei(top.pk) if a.stimmberechtigt],
                    "abstimmung": abstimmung,
                    "weitere_abstimmungen": abstimmungen[1:],
                    "stimmen": [(person, stimmen.get(person.pk, "")) for person in stimmberechtigt],
                    "vorschlag": services.beschluss_vorschlag(top),
                    "wieder_auf_tagesordnung": top.ergebnis in services.WIEDER_AUF_DIE_TAGESORDNUNG,
                }
            )
        return {
            "sitzung": self.sitzung,
            "stand": daten["sitzung"],
            "zeilen": zeilen,
            "vertretbar": vertretbar,
            "tops": self.tops,
            "eintraege": eintraege,
            "status": Anwesenheit.Status.choices,
            "arten": Abstimmung.Art.choices,
            "ergebnisse": Tagesordnungspunkt.Ergebnis.choices,
            "stimmwerte": [("ja", _("Ja")), ("nein", _("Nein")), ("enthaltung", _("Enthaltung")), ("", _("keine"))],
            "spaetere": self.spaetere_sitzungen(),
            "fehler": None,
        }


class FormFehler(Exception):
    def __init__(self, meldungen):
        super().__init__(meldungen)
        self.meldungen = meldungen
