import logging
import secrets
import sys

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from accounts.pages import shared_page
from compliance.models import is_agent
from news.models import Article
from numbers.models import Number

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "reseller/home.html"

    def get(self, request, *args, **kwargs):
        return shared_page(request, lambda **extra: super(HomeView, self).get(request, **extra))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            featured_numbers=Number.objects.featured().select_related("plan")[:12],
            latest_articles=Article.objects.front_page().select_related("category")[:6],
            **kwargs,
        )


class ContactView(TemplateView):
    template_name = "reseller/contact.html"


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Agents land in their portal; everyone else where LOGIN_REDIRECT_URL says."""
        if is_agent(self.request.user):
            return reverse("agent:overview")
        return super().get_default_redirect_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django's Site object would hide the portal's own `site` (brand, hotline).
        context.pop("site", None)
        return context


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out username or client: when to try again."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request, "registration/locked_out.html", {"minutes": seconds // 60}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


@require_safe
@never_cache
def healthz(request):
    """The database's and the cache's state as JSON; 503 while the database does not answer.

    For load balancers and monitors. The cache may be down without the site being down
    (orders are still taken), so only the database decides the status code.
    """
    states = {"database": _database_state(), "cache": _cache_state()}
    return JsonResponse(states, status=200 if states["database"] == "ok" else 503)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return "unavailable"
    return "ok"


def _cache_state() -> str:
    probe = f"healthz:{secrets.token_hex(4)}"
    try:
        cache.set(probe, 1, timeout=5)
        answered = cache.get(probe) == 1
        cache.delete(probe)
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return "unavailable"
    return "ok" if answered else "unavailable"


@require_safe
def robots_txt(request):
    return HttpResponse(
        loader.render_to_string("robots.txt", request=request), content_type="text/plain"
    )


def bench_ping(request):
    """A fixed response through the whole middleware stack: the benchmarks' baseline."""
    return HttpResponse("pong\n", content_type="text/plain")


def _error_page(request, status, title, message):
    try:
        body = loader.render_to_string(
            "error.html",
            {"status": status, "title": title, "message": message},
            request=request,
        )
    except Exception:
        # Rendering itself failed (a broken database, say): a plain page beats a traceback.
        logger.exception("Error page %s could not be rendered", status)
        body = format_html(
            '<!doctype html><html lang="{}"><meta charset="utf-8"><title>{}</title>'
            '<h1>{}</h1><p>{}</p><p><a href="/">{}</a></p></html>',
            get_language(),
            title,
            title,
            message,
            _("Back to the home page"),
        )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _error_page(
        request, 400, _("Bad request"), _("The request could not be understood. Please retry.")
    )


def permission_denied(request, exception=None):
    return _error_page(
        request, 403, _("Access denied"), _("You do not have permission to see this page.")
    )


def page_not_found(request, exception=None):
    return _error_page(
        request,
        404,
        _("Page not found"),
        _("The page you asked for does not exist or is no longer listed."),
    )


def server_error(request):
    if isinstance(sys.exc_info()[1], DatabaseError):
        # The database is down or unreachable: say so, and that it is temporary.
        response = _error_page(
            request,
            503,
            _("Temporarily unavailable"),
            _("The site is being serviced and will be back in a few minutes. Please try again."),
        )
        response["Retry-After"] = "60"
        return response
    return _error_page(
        request,
        500,
        _("Something went wrong"),
        _("We could not show this page just now. Please try again in a few minutes."),
    )


def csrf_failure(request, reason=""):
    return _error_page(
        request,
        403,
        _("Form expired"),
        _(
            "Your form could not be accepted because its security token is missing or out of"
            " date. Go back, reload the page and submit it again."
        ),
    )
