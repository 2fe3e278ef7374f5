from django.views.generic import DetailView, ListView

from offices.models import Office


class OfficeListView(ListView):
    template_name = "offices/list.html"
    context_object_name = "offices"

    def get_queryset(self):
        return Office.objects.active()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provinces"] = context["offices"].by_province()
        return context


class OfficeDetailView(DetailView):
    template_name = "offices/detail.html"
    context_object_name = "office"

    def get_queryset(self):
        return Office.objects.active()
