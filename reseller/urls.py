from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from news import views as news_views
from numbers import views as numbers_views
from numbers.share_card import site_card_view
from numbers.views import ShortlistView
from reseller import views
from reseller.sitemaps import SITEMAPS

admin.site.site_header = _("Portal administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Numbers, orders, offices, news and verification")

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("media/news/<path:path>", news_views.media_file, name="news-media"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("share-card.png", site_card_view, name="share-card"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("numbers/", include("numbers.urls")),
    path("shortlist/", ShortlistView.as_view(), name="shortlist"),
    path("offices/", include("offices.urls")),
    path("news/", include("news.urls")),
    path("agent/", include("compliance.urls")),
    path("orders/", include("numbers.urls_orders")),
    path("callback/", numbers_views.CallbackView.as_view(), name="callback"),
    path("callback/thanks/", numbers_views.CallbackDoneView.as_view(), name="callback-done"),
    prefix_default_language=False,
)

if settings.BENCH_ENDPOINTS:
    urlpatterns.append(path("bench/ping", views.bench_ping, name="bench-ping"))

handler400 = "reseller.views.bad_request"
handler403 = "reseller.views.permission_denied"
handler404 = "reseller.views.page_not_found"
handler500 = "reseller.views.server_error"
