from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from abonnements import services
from abonnements.models import Abonnement, Abonnent


class AbonnementInline(admin.TabularInline):
    model = Abonnement
    extra = 0
    fields = ["art", "ausschuss", "vorlage", "person", "suchbegriff", "suchfilter", "rhythmus", "bestaetigt_am"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Abonnent)
class AbonnentAdmin(admin.ModelAdmin):
    """Citizens' addresses, for answering a request by mail (Auskunft, Löschung). The clerks see and delete; they
    never add or change one: an address is stored only with its owner's consent, confirmed from her mailbox."""

    list_display = ["adresse", "einwilligung_am", "anzahl_abonnements", "erstellt_am"]
    list_filter = ["abonnements__art", "abonnements__rhythmus"]
    search_fields = ["adresse"]
    date_hierarchy = "erstellt_am"
    inlines = [AbonnementInline]
    fieldsets = [
        (None, {"fields": ["adresse", "erstellt_am"]}),
        (_("Einwilligung"), {"fields": ["einwilligung_am", "einwilligung_text"]}),
    ]
    readonly_fields = ["adresse", "erstellt_am", "einwilligung_am", "einwilligung_text"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_anzahl=Count("abonnements"))

    @admin.display(description=_("Abonnements"), ordering="_anzahl")
    def anzahl_abonnements(self, obj):
        return obj._anzahl

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        # Through the service: the address's confirmations and digests in the outbox go with it (DSGVO).
        services.alle_loeschen(abonnent=obj)

    def delete_queryset(self, request, queryset):
        for abonnent in queryset:
            services.alle_loeschen(abonnent=abonnent)
