from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from numbers import ratelimit, services
from numbers.forms import CallbackForm, OrderForm, OrderLookupForm
from numbers.models import Number, Order, is_orderable
from offices.models import Office


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


# ==============================================================================
# Orders and call-back requests (issue 4)
# ==============================================================================


def _rate_limited(request, rate: str):
    response = render(request, "numbers/rate_limited.html", status=429)
    response["Retry-After"] = str(ratelimit.parse_rate(rate)[1])
    return response


class OrderCreateView(View):
    """GET: the order form on a page of its own; POST: hold the number and place the order.

    A successful POST runs two statements (the hold and the order) and no other query:
    the number is not read first, offices come from the cache, rate limits count there.
    """

    template_name = "numbers/order_form.html"

    @cached_property
    def number(self):
        return get_object_or_404(
            Number.objects.select_related("plan"), number=self.kwargs["number"]
        )

    def get(self, request, number):
        if not is_orderable(self.number):
            return self.taken()
        return self.show(OrderForm())

    def post(self, request, number):
        form = OrderForm(request.POST)
        if form.caught_bot:
            ratelimit.hit("orders", request, settings.RATE_LIMIT_ORDERS)
            form.add_error(None, _("Your form could not be accepted. Please call us instead."))
            return self.show(form, status=400)
        if not form.is_valid():
            return self.show(form, status=400)
        if not ratelimit.hit("orders", request, settings.RATE_LIMIT_ORDERS):
            return _rate_limited(request, settings.RATE_LIMIT_ORDERS)
        fields = {key: form.cleaned_data[key] for key in ORDER_FIELDS}
        try:
            order = services.order_place(digits=number, language=get_language(), **fields)
        except services.NumberNotOrderable:
            return self.taken()
        messages.success(
            request,
            _("Thank you! We have received your order %(reference)s.")
            % {"reference": order.reference},
        )
        return redirect(order.get_signed_url())

    def show(self, form, status=200):
        context = {"number": self.number, "order_form": form}
        return render(self.request, self.template_name, context, status=status)

    def taken(self):
        similar = Number.objects.similar_to(self.number).select_related("plan")[:6]
        context = {"number": self.number, "similar_numbers": similar}
        return render(self.request, "numbers/order_taken.html", context, status=409)


ORDER_FIELDS = ("name", "company", "mobile", "email", "office", "message")


@method_decorator(never_cache, name="dispatch")
class OrderDetailView(View):
    """The customer's order page: opens with the signed link, otherwise asks for the mobile."""

    def get(self, request, reference):
        order = (
            Order.objects.select_related("number__plan", "office")
            .filter(reference=reference)
            .first()
        )
        if order is None or not order.has_access_key(request.GET.get("key", "")):
            # Same page whether or not the reference exists: nothing to learn by guessing.
            form = OrderLookupForm(initial={"reference": reference})
            return render(request, "numbers/order_lookup.html", {"form": form})
        events = list(order.events.all())
        context = {
            "order": order,
            "events": events,
            "timeline": order.timeline(events),
            "office": order.office or Office.objects.active().first(),
            "signed_url": request.build_absolute_uri(order.get_signed_url()),
        }
        return render(request, "numbers/order_detail.html", context)


@method_decorator(never_cache, name="dispatch")
class OrderLookupView(View):
    """Reference plus mobile open the order page; a mismatch gets one generic answer."""

    template_name = "numbers/order_lookup.html"

    def get(self, request):
        return render(request, self.template_name, {"form": OrderLookupForm()})

    def post(self, request):
        if ratelimit.is_limited("order-lookup", request, settings.RATE_LIMIT_ORDER_LOOKUPS):
            return _rate_limited(request, settings.RATE_LIMIT_ORDER_LOOKUPS)
        form = OrderLookupForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        order = Order.objects.filter(
            reference=form.cleaned_data["reference"] or None,
            mobile=form.cleaned_data["mobile"] or None,
        ).first()
        if order is None:
            ratelimit.hit("order-lookup", request, settings.RATE_LIMIT_ORDER_LOOKUPS)
            form.add_error(
                None,
                _("We could not find an order with this reference and mobile number."),
            )
            return render(request, self.template_name, {"form": form}, status=400)
        return redirect(order.get_signed_url())


class CallbackView(View):
    """The call-back form (also on the home and contact pages): a lead for staff."""

    template_name = "numbers/callback.html"

    def get(self, request):
        return render(request, self.template_name, {"callback_form": CallbackForm()})

    def post(self, request):
        form = CallbackForm(request.POST)
        if form.caught_bot:
            ratelimit.hit("callbacks", request, settings.RATE_LIMIT_ORDERS)
            form.add_error(None, _("Your form could not be accepted. Please call us instead."))
        if form.caught_bot or not form.is_valid():
            return render(request, self.template_name, {"callback_form": form}, status=400)
        if not ratelimit.hit("callbacks", request, settings.RATE_LIMIT_ORDERS):
            return _rate_limited(request, settings.RATE_LIMIT_ORDERS)
        services.callback_request_create(
            name=form.cleaned_data["name"],
            mobile=form.cleaned_data["mobile"],
            message=form.cleaned_data["message"],
            language=get_language(),
        )
        return redirect("callback-done")


class CallbackDoneView(TemplateView):
    template_name = "numbers/callback_done.html"
