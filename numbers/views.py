import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from accounts.clients import client_address
from accounts.pages import shared_page
from numbers import counters, order_access, pricing, ratelimit, services
from numbers.forms import (
    CalculatorForm,
    CallbackForm,
    CatalogueForm,
    OrderForm,
    OrderLookupForm,
    WatchForm,
)
from numbers.models import Number, Operator, Order, Pattern, SearchTally, Sort, Watch
from numbers.models.catalogue import WALK_FROM, digits_share, straddling_start
from numbers.pagination import CappedPaginator
from numbers.services import HOT_SEARCHES_CACHE_KEY
from numbers.shortlist import COMPARE_LIMIT, Shortlist
from numbers.shortlist import COOKIE_NAME as SHORTLIST_COOKIE
from offices.models import Office

# ---- Catalogue ----


def by_value(name: str):
    """An ordering by ``name`` that no index provides (``COALESCE(x, x)``): sort the rows."""
    expression = Coalesce(F(name.lstrip("-")), F(name.lstrip("-")))
    return expression.desc() if name.startswith("-") else expression.asc()


# The orders whose index a class may be walked in (see keys_from).
CLASS_WALKS = {Sort.POPULAR, Sort.NEWEST}
# The orders whose index carries the digits, for a LIKE tested on each entry (keys_from).
DIGIT_WALKS = {Sort.RECOMMENDED, Sort.POPULAR, Sort.NEWEST}

HOT_SEARCH_DAYS = 30
# Digits matching at most this share of the numbers (three anywhere: 0.7 %) are found
# from their own index faster than a price range is from its (see digits_narrow_more).
DIGITS_NARROW = 0.01
# Broad digits without at most this many digits walk a DIGIT_WALKS order (see keys_from).
EXCLUDED_WALKS = 2


def hot_searches(limit: int = 8) -> list[tuple[str, int]]:
    """The most made searches of the last 30 days, cached: it is on every catalogue page."""

    def load():
        since = timezone.localdate() - timezone.timedelta(days=HOT_SEARCH_DAYS - 1)
        rows = (
            SearchTally.objects.filter(day__gte=since)
            .values("query")
            .annotate(total=Sum("hits"))
            .order_by("-total", "query")[:limit]
        )
        return [(row["query"], row["total"]) for row in rows]

    return cache.get_or_set(HOT_SEARCHES_CACHE_KEY, load, timeout=600)


def describe_search(query: str) -> str:
    """A search's canonical query string in words: "…8888 · Four of a kind · without 4"."""
    params = QueryDict(query)
    words = []
    if q := params.get("q"):
        pos = params.get("pos", "any")
        words.append({"start": f"400{q}…", "end": f"…{q}"}.get(pos, f"…{q}…"))
    words += [Pattern(slug).label for slug in params.getlist("pattern") if slug in Pattern.values]
    if exclude := params.get("exclude"):
        words.append(_("without %(digits)s") % {"digits": exclude})
    return " · ".join(str(word) for word in words)


class CatalogueView(TemplateView):
    template_name = "numbers/catalogue.html"
    paginate_by = 24

    def get(self, request, *args, **kwargs):
        return shared_page(
            request,
            self.render_page,
            private_cookies=(SHORTLIST_COOKIE,),
            replay=self.record_search,
        )

    def record_search(self, tally_key: str | None) -> None:
        """Count a search once per client and day (also when the page came from the cache)."""
        if tally_key:
            counters.count_search(query=tally_key, address=client_address(self.request))

    def render_page(self, **extra):
        request = self.request
        form = CatalogueForm(request.GET)
        form.is_valid()  # fields with errors drop out of filters(); the rest still apply
        sort = form.cleaned_data.get("sort", "")
        numbers = (
            Number.objects.listed()
            .matching(**form.filters(), prices_by_value=self.digits_narrow_more(form.filters()))
            .sorted_by(sort)
        )
        paginator = CappedPaginator(
            numbers.select_related("plan"),
            self.paginate_by,
            count_order=self.count_order(form.filters()),
            count_parts=self.count_parts(form.filters(), numbers),
            keys_from=self.keys_from(form.filters(), sort),
            rows_from=Number.objects.select_related("plan"),
        )
        page_number = form.cleaned_data.get("page") or 1
        after = form.cleaned_data.get("after")
        page = None
        if after and page_number > paginator.offset_cap // self.paginate_by:
            # Past the numbered pages: the page after the number the last one ended on.
            page = paginator.page_after(after, page_number)
        if page is None or not page.object_list:
            if page_number > paginator.num_pages:
                form.add_error("page", self.page_error(paginator, page_number))
                page_number = paginator.num_pages
            page = paginator.page(page_number)
        # A new search counts once per client and day: not when paging it, not when invalid.
        tally_key = None if form.errors or "page" in request.GET else form.tally_key()
        self.record_search(tally_key)
        canonical_query = form.canonical_query()
        context = self.get_context_data(
            form=form,
            canonical_query=canonical_query or "",
            robots="" if canonical_query is not None and not after else "noindex, follow",
            landing_label=self.landing_label(form),
            numbers=page.object_list,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_previous() or page.has_next(),
            query_string=self.query_without_page(request),
            search=form.filters(),
            hot_searches=[(query, describe_search(query)) for query, _hits in hot_searches()],
            shortlist=Shortlist.from_request(request),
            loosen=self.loosen(request, form) if not paginator.count else [],
            **extra,
        )
        response = self.render_to_response(context, status=400 if form.errors else 200)
        response.replay_with = tally_key
        return response

    @staticmethod
    def landing_label(form) -> str:
        """The name of a landing page's one filter (a class or an operator), else ""."""
        name, value = form.landing_filter() or ("", "")
        choices = {"pattern": Pattern, "operator": Operator}.get(name)
        return str(choices(value).label) if choices else ""

    @staticmethod
    def loosen(request, form):
        """Links to the same search with one filter dropped, for an empty result."""
        groups = [
            (("q", "pos"), form["q"].label),
            (("pattern",), form["pattern"].label),
            (("operator",), form["operator"].label),
            (("exclude",), form["exclude"].label),
            (("price_min", "price_max"), _("Price range")),
        ]
        links = []
        for names, label in groups:
            if any(request.GET.get(name) for name in names if name != "pos"):
                query = request.GET.copy()
                for name in (*names, "page"):
                    query.pop(name, None)
                links.append(
                    (_("Without “%(filter)s”") % {"filter": label}, f"?{query.urlencode()}")
                )
        return links

    @staticmethod
    def keys_from(search, sort: str):
        """The list a page's keys are read from (see CappedPaginator).

        In the recommended order, a broad digit search walks its covering index.
        A rare one (under ``WALK_FROM`` of the numbers) sorts its few matches
        instead: the planner cannot estimate "6328 anywhere" (it guesses 0.2 %,
        the truth is 0.04 %) and would walk an order's index for 70 ms. So do
        digits with excluded digits in the price and number orders (whose indexes
        do not carry the digits), or with a price range, or without more than
        ``EXCLUDED_WALKS`` digits: numbers without a 4 are dearer, so by price they
        come late and a walk reads most of the index first (600 ms). In the
        recommended, most viewed and newest orders (``DIGIT_WALKS``), broad digits
        without one or two digits are still a few in a thousand of the entries:
        "853 anywhere, without 4", page 4, walks the recommended one in 40 ms at
        10,000,000 numbers, where sorting its 50,000 matches took 300 ms ("8*88
        anywhere, without 4": 4 s against 1 ms; "993 anywhere, without 4, newest
        first": 3 ms against 240). And so do
        classes in the price and number orders (the recommended one their own indexes
        keep): each is at most a few percent of the numbers, and the dearest of them
        by far, so a walk of the price index passes nearly every number before the
        first 8888 (1.3 s at 1,000,000). Views and age have nothing to do with a
        class, so there the planner weighs a walk of the order's index (which carries
        the class flags) against sorting the class's own, and rightly. And so do
        digits with a price range in any order but price's: "754 anywhere, from
        ¥3,000, newest first" passed 199,000 entries of the newest order's index for
        page 3 (605 ms).
        """
        q = search.get("q")
        narrow = CatalogueView.digits_narrow_more(search)
        priced = search.get("price_min") is not None or search.get("price_max") is not None
        excluding = bool(q and search.get("exclude"))
        rare_digits = q and (
            (
                excluding
                and (sort not in DIGIT_WALKS or priced or len(search["exclude"]) > EXCLUDED_WALKS)
            )
            or digits_share(q, search["pos"]) < WALK_FROM
            # a price range takes the walk of an order that is not price's ten times as far
            or (narrow and priced and sort and sort not in (Sort.PRICE, Sort.PRICE_DESC))
        )
        walk = not sort or (excluding and not rare_digits)
        keys = (
            Number.objects.listed()
            .matching(**search, walk=walk, prices_by_value=bool(rare_digits) and narrow)
            .sorted_by(sort)
        )
        first, *rest = keys.query.order_by
        if rare_digits or (search.get("pattern") and sort and sort not in CLASS_WALKS):
            keys = keys.order_by(by_value(first), *rest)
        return keys

    @staticmethod
    def digits_narrow_more(search) -> bool:
        """Whether the searched digits, a price range aside, leave under 1 % of numbers."""
        q = search.get("q")
        return bool(q) and digits_share(q, search["pos"]) <= DIGITS_NARROW

    @staticmethod
    def count_order(search) -> tuple[str, ...] | None:
        """The order whose index counts this search fastest (see CappedPaginator).

        Digits, or classes with other filters: unordered, from their own indexes;
        a price range: that index's order; one operator: its index; anything else
        (classes alone too) walks the recommended order's index (or a class's),
        which carries the class flags and stops at the cap at once.
        """
        if search.get("q"):
            return None
        present = {name for name, value in search.items() if value or value == 0}
        if search.get("pattern") and present - {"pattern", "pos"}:
            return None  # the classes' partial indexes, together
        if not search.get("pattern") and (
            search.get("price_min") is not None or search.get("price_max") is not None
        ):
            return ("price", "number")
        if search.get("operator") and len(search["operator"]) == 1 and not search.get("pattern"):
            return ("operator", "-featured", "number")
        return ("-featured", "number")

    @staticmethod
    def count_parts(search, numbers):
        """Two lists that hold the search's results between them, counted in turn (see
        CappedPaginator): for "0xy anywhere", the numbers that start 400xy, then the rest."""
        straddling = search.get("q") and straddling_start(search["q"], search["pos"])
        if not straddling:
            return None
        return numbers.filter(straddling), numbers.exclude(straddling)

    @staticmethod
    def page_error(paginator, page_number):
        if paginator.is_capped:
            return _(
                "Pages past %(last)s are reached through the “Next” links; narrow the "
                "search to see fewer pages."
            ) % {"last": paginator.num_pages}
        return _("There is no page %(page)s: the results end on page %(last)s.") % {
            "page": page_number,
            "last": paginator.num_pages,
        }

    @staticmethod
    def query_without_page(request):
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("after", None)
        return query.urlencode()


class NumberDetailView(DetailView):
    template_name = "numbers/detail.html"
    slug_field = slug_url_kwarg = "number"
    context_object_name = "number"

    def get_queryset(self):
        return Number.objects.listed().select_related("plan")

    def get(self, request, *args, **kwargs):
        return shared_page(
            request,
            self.render_page,
            private_cookies=(SHORTLIST_COOKIE,),
            replay=self.record_view,
        )

    @staticmethod
    def record_view(pk: int | None) -> None:
        if pk is not None:
            # The page came from the cache, the row did not: its key is all a view needs.
            counters.count_view(pk)

    def render_page(self, **extra):
        self.object = self.get_object()
        calculator = CalculatorForm(self.request.GET if "minutes" in self.request.GET else None)
        if not calculator.is_bound:
            counters.count_view(self.object.pk)
        context = self.get_context_data(object=self.object, calculator=calculator, **extra)
        response = self.render_to_response(context, status=400 if calculator.errors else 200)
        response.replay_with = None if calculator.is_bound else self.object.pk
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number, calculator, plan = self.object, kwargs["calculator"], self.object.plan
        if plan:
            minutes = calculator.cleaned_data["minutes"] if calculator.is_valid() else None
            context["estimate"] = pricing.estimate(
                annual_fee_yuan=plan.annual_fee,
                included_minutes=plan.included_minutes,
                per_minute_fen=plan.per_minute_fen,
                minutes=plan.included_minutes if minutes is None else minutes,
            )
        context["similar"] = (
            Number.objects.similar_to(number)
            .select_related("plan")
            .order_by("-featured", "number")[:6]
        )
        context["shortlist"] = Shortlist.from_request(self.request)
        context["page_url"] = self.request.build_absolute_uri(number.get_absolute_url())
        return context


class QuoteView(DetailView):
    """报价单: the number, its plan and the seller's terms on one printable A4 page."""

    template_name = "numbers/quote.html"
    slug_field = slug_url_kwarg = "number"
    context_object_name = "number"

    def get_queryset(self):
        return Number.objects.listed().select_related("plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number, today = self.object, timezone.localdate()
        company = " ".join(self.request.GET.get("company", "").split())[:100]
        url = self.request.build_absolute_uri(reverse("numbers:quote", args=[number.number]))
        if company:
            url += "?" + urlencode({"company": company})
        context.update(
            # The number page is the one to index; a quotation only repeats it.
            robots="noindex, follow",
            company=company,
            quote_url=url,
            quote_reference=f"BJ{today:%Y%m%d}-{number.number[3:]}",
            today=today,
            valid_until=today + timezone.timedelta(days=settings.QUOTE_VALID_DAYS),
            valid_days=settings.QUOTE_VALID_DAYS,
            seller=Office.objects.active().filter(is_headquarters=True).first()
            or Office.objects.active().first(),
            estimate=number.plan
            and pricing.estimate(
                annual_fee_yuan=number.plan.annual_fee,
                included_minutes=number.plan.included_minutes,
                per_minute_fen=number.plan.per_minute_fen,
                minutes=number.plan.included_minutes,
            ),
        )
        return context


class WatchCreateView(NumberDetailView):
    """POST: watch a reserved number (盯号); errors come back on the number page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = number = self.get_object()
        form = WatchForm(request.POST)
        if form.caught_bot:
            ratelimit.hit("watches", request, settings.RATE_LIMIT_ORDERS)
            form.add_error(None, _("Your form could not be accepted. Please call us instead."))
        if form.caught_bot or not form.is_valid():
            context = self.get_context_data(calculator=CalculatorForm(), watch_form=form)
            return self.render_to_response(context, status=400)
        if number.is_orderable:
            messages.success(request, _("Good news: this number can be ordered right now."))
            return redirect(f"{number.get_absolute_url()}#order")
        if not ratelimit.hit("watches", request, settings.RATE_LIMIT_ORDERS):
            return _rate_limited(request, settings.RATE_LIMIT_ORDERS)
        services.watch_create(
            number=number,
            mobile=form.cleaned_data["mobile"],
            email=form.cleaned_data["email"],
            language=get_language(),
        )
        messages.success(
            request,
            _(
                "We are watching %(number)s for you: you will hear from us once, the moment "
                "it can be ordered again (within %(days)s days)."
            )
            % {"number": number.formatted, "days": settings.WATCH_DAYS},
        )
        return redirect(f"{number.get_absolute_url()}#order")


class WatchUnsubscribeView(View):
    """The link in a watch notice: GET asks, POST stops the watch (mail scanners only GET)."""

    template_name = "numbers/watch_unsubscribe.html"

    def get(self, request, token):
        watch = get_object_or_404(Watch.objects.select_related("number"), token=token)
        return render(request, self.template_name, {"watch": watch})

    def post(self, request, token):
        watch = services.watch_unsubscribe(token=token)
        if watch is None:
            raise Http404
        return render(request, self.template_name, {"watch": watch, "done": True})


# ---- Shortlist and compare ----


class ShortlistView(TemplateView):
    """GET: the shortlist and up to four of it side by side. POST: add, remove, clear."""

    template_name = "numbers/shortlist.html"

    def get_context_data(self, **kwargs):
        shortlist = Shortlist.from_request(self.request)
        shared = Shortlist.from_shared(self.request.GET.get("shared", ""))
        if shared.digits:
            shortlist = shared
        found = Number.objects.filter(number__in=shortlist.digits).select_related("plan")
        by_digits = {number.number: number for number in found}
        entries = [(digits, by_digits.get(digits)) for digits in shortlist.digits]
        chosen = [d for d in self.request.GET.getlist("compare") if d in shortlist]
        if len(chosen) > COMPARE_LIMIT:
            messages.warning(
                self.request,
                _("Up to %(limit)s numbers can be compared at once.") % {"limit": COMPARE_LIMIT},
            )
        chosen = chosen[:COMPARE_LIMIT] or shortlist.digits[:COMPARE_LIMIT]
        return super().get_context_data(
            entries=entries,
            compared=[(digits, by_digits.get(digits)) for digits in chosen],
            chosen=chosen,
            compare_limit=COMPARE_LIMIT,
            patterns=Pattern,
            shared=bool(shared.digits),
            share_url=self.request.build_absolute_uri(
                f"{self.request.path}?{urlencode({'shared': shortlist.shared_value})}"
            )
            if shortlist.digits
            else "",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        shortlist = Shortlist.from_request(request)
        action, digits = request.POST.get("action"), request.POST.get("number", "")
        if action == "add":
            # Ten digits or nothing: a NUL or an overlong value never reaches the database.
            number = (
                Number.objects.listed().filter(number=digits).first()
                if digits.isascii() and digits.isdigit() and len(digits) == 10
                else None
            )
            if number is None:
                messages.error(request, _("That number is not in the catalogue."))
            elif shortlist.add(digits):
                messages.success(
                    request, _("%(number)s is on your shortlist.") % {"number": number.formatted}
                )
            else:
                messages.error(request, _("Your shortlist is full; remove a number first."))
        elif action == "remove":
            shortlist.remove(digits)
            messages.success(request, _("Removed from your shortlist."))
        elif action == "clear":
            shortlist.clear()
            messages.success(request, _("Your shortlist is empty now."))
        elif action == "keep":
            for shared in Shortlist.from_shared(request.POST.get("shared", "")).digits:
                shortlist.add(shared)
            messages.success(request, _("The shared numbers are on your shortlist now."))
        if request.headers.get("Accept") == "application/json":
            response = self.json_answer(shortlist, digits)
        else:
            # A path, never a URL name: redirect() would try to reverse whatever was posted.
            response = HttpResponseRedirect(self.next_url())
        shortlist.save(response)
        return response

    def json_answer(self, shortlist, digits):
        """For static/js/shop.js: the new button and box, rendered as without JavaScript."""
        number = Number.objects.filter(number=digits).first()
        context = {
            "number": number,
            "shortlist": shortlist,
            "next_path": self.next_url().split("#")[0],
        }
        stored = list(messages.get_messages(self.request))  # shown here, not on the next page
        return JsonResponse(
            {
                "number": digits,
                "in_shortlist": digits in shortlist,
                "message": " ".join(str(message) for message in stored),
                # A refusal (the shortlist is full) is shown on the page, not only announced.
                "refused": any(message.level >= messages.ERROR for message in stored),
                "button": render_to_string(
                    "numbers/shortlist_button.html", context, request=self.request
                )
                if number
                else "",
                "box": render_to_string(
                    "numbers/partials/shortlist_box.html", context, request=self.request
                ),
            }
        )

    def next_url(self):
        target = self.request.POST.get("next", "")
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return self.request.path


# ==============================================================================
# Orders and call-back requests
# ==============================================================================


def _retry_after(rate: str) -> int:
    """Seconds until the limit's current window ends and the client may try again."""
    period = ratelimit.parse_rate(rate)[1]
    return max(1, int(period - time.time() % period))


def _rate_limited(request, rate: str, template="numbers/rate_limited.html", context=None):
    """429 saying when to try again; with ``template`` the customer's form comes back filled."""
    wait = _retry_after(rate)
    context = {
        **(context or {}),
        "retry_after_minutes": -(-wait // 60),
        "retry_at": timezone.localtime() + timezone.timedelta(seconds=wait),
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _order_rate_limited(request, mobile: str) -> str | None:
    """The rate an order goes over, if any: per mobile number, and (looser) per address.

    The address limit is loose because a whole office orders from behind one address;
    the mobile limit is tight because one person orders with one mobile.
    """
    if not ratelimit.hit("orders", request, settings.RATE_LIMIT_ORDERS_PER_ADDRESS):
        return settings.RATE_LIMIT_ORDERS_PER_ADDRESS
    if not ratelimit.hit("orders-mobile", request, settings.RATE_LIMIT_ORDERS, value=mobile):
        return settings.RATE_LIMIT_ORDERS
    return None


class OrderCreateView(View):
    """GET: the order form on a page of its own; POST: hold the number and place the order.

    A successful POST runs two statements (the hold and the order) and no other query:
    the number is not read first, offices come from the cache, rate limits count there,
    and the order's INSERT itself checks the limits on holds (services.order_place).
    """

    template_name = "numbers/order_form.html"

    @cached_property
    def number(self):
        return get_object_or_404(
            Number.objects.select_related("plan"), number=self.kwargs["number"]
        )

    def get(self, request, number):
        if not self.number.is_orderable:
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
        limited = _order_rate_limited(request, form.cleaned_data["mobile"])
        if limited:
            return _rate_limited(
                request, limited, self.template_name, {"number": self.number, "order_form": form}
            )
        fields = {key: form.cleaned_data[key] for key in ORDER_FIELDS}
        try:
            order = services.order_place(
                digits=number,
                language=get_language(),
                client_address=ratelimit.client_address(request),
                **fields,
            )
        except services.NumberNotOrderable:
            return self.taken(form)
        except services.HoldLimitReached as refusal:
            # Like the rate limit: 429, the form comes back filled, the reason at its field.
            form.add_error(refusal.field, str(refusal))
            return self.show(form, status=429)
        except services.OrderError as error:  # could not be saved however often tried
            form.add_error(None, str(error))
            return self.show(form, status=503)
        messages.success(
            request,
            _("Thank you! We have received your order %(reference)s.")
            % {"reference": order.reference},
        )
        return _open_order_page(self.request, order)

    def show(self, form, status=200):
        context = {"number": self.number, "order_form": form}
        return render(self.request, self.template_name, context, status=status)

    def taken(self, form=None):
        """409 with numbers to order instead; a typed form travels along, so one tap orders."""
        similar = Number.objects.alternatives_to(self.number).select_related("plan")[:6]
        kept = None
        if form is not None and form.is_valid():
            kept = [(name, form.data.get(name, "")) for name in (*ORDER_FIELDS, "accept_rules")]
        context = {"number": self.number, "similar_numbers": similar, "kept": kept}
        return render(self.request, "numbers/order_taken.html", context, status=409)


ORDER_FIELDS = ("name", "company", "mobile", "email", "office", "message")


def _open_order_page(request, order):
    """Redirect to the order's page, which this browser may now open (no key in the URL)."""
    response = redirect(order.get_absolute_url())
    order_access.grant(request, response, order.reference)
    return response


@method_decorator(never_cache, name="dispatch")
class OrderDetailView(View):
    """The customer's order page: the signed link opens it, otherwise it asks for the mobile.

    A link's key is swapped for a cookie (numbers.order_access) and a 303 to the clean
    address, so the key never sits in the address bar, the logs or a Referer.
    """

    def get(self, request, reference):
        order = (
            Order.objects.select_related("number__plan", "office")
            .filter(reference=reference)
            .first()
        )
        if "key" in request.GET:
            return self.open_link(order, request.GET["key"], reference)
        if order is None or not order_access.is_granted(request, reference):
            return self.ask_for_mobile(reference)
        events = list(order.events.all())
        context = {
            "order": order,
            "events": events,
            "timeline": order.timeline(events),
            "office": order.office or Office.objects.active().first(),
            "signed_url": (
                request.build_absolute_uri(order.get_signed_url()) if order.link_is_live() else ""
            ),
        }
        response = render(request, "numbers/order_detail.html", context)
        order_access.grant(request, response, order.reference)
        response["Referrer-Policy"] = "no-referrer"
        return response

    def open_link(self, order, key, reference):
        if order is None or not order.has_access_key(key):
            # Same page whether or not the reference exists: nothing to learn by guessing.
            response = self.ask_for_mobile(reference)
        elif not order.link_is_live():
            context = {
                "form": OrderLookupForm(initial={"reference": reference}),
                "link_expired": True,
                "link_days": settings.ORDER_LINK_DAYS,
            }
            response = render(self.request, "numbers/order_lookup.html", context, status=410)
        else:
            response = HttpResponseRedirect(self.request.path, status=303)
            order_access.grant(self.request, response, order.reference)
        response["Referrer-Policy"] = "no-referrer"
        return response

    def ask_for_mobile(self, reference):
        form = OrderLookupForm(initial={"reference": reference})
        return render(self.request, "numbers/order_lookup.html", {"form": form})


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
        return _open_order_page(request, order)


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
            return _rate_limited(
                request, settings.RATE_LIMIT_ORDERS, self.template_name, {"callback_form": form}
            )
        services.callback_request_create(
            name=form.cleaned_data["name"],
            mobile=form.cleaned_data["mobile"],
            message=form.cleaned_data["message"],
            language=get_language(),
        )
        return redirect("callback-done")


class CallbackDoneView(TemplateView):
    template_name = "numbers/callback_done.html"
