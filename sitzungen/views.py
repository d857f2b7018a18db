from django.views.generic import DetailView, ListView


class AusschussListView(ListView):
    pass


class AusschussDetailView(DetailView):
    pass


class SitzungListView(ListView):
    pass


class SitzungDetailView(DetailView):
    pass
