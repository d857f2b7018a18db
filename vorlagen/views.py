from django.views.generic import DetailView, ListView, View


class VorlageListView(ListView):
    pass


class VorlageDetailView(DetailView):
    pass


class AnlageDownloadView(View):
    pass
