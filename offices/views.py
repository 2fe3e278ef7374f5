from django.views.generic import DetailView, ListView

from offices.models import Office


class OfficeListView(ListView):
    template_name = "offices/list.html"
    context_object_name = "offices"

    def get_queryset(self):
        return Office.objects.active()


class OfficeDetailView(DetailView):
    template_name = "offices/detail.html"
    context_object_name = "office"

    def get_queryset(self):
        return Office.objects.active()
