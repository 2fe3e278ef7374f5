from django.views.generic import DetailView, ListView

from numbers.models import Number


class CatalogueView(ListView):
    template_name = "numbers/catalogue.html"
    context_object_name = "numbers"
    paginate_by = 24

    def get_queryset(self):
        return Number.objects.listed().select_related("plan").order_by("-featured", "number")


class NumberDetailView(DetailView):
    template_name = "numbers/detail.html"
    slug_field = slug_url_kwarg = "number"
    context_object_name = "number"

    def get_queryset(self):
        return Number.objects.listed().select_related("plan")
