from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from numbers import views as numbers_views
from reseller import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("numbers/", include("numbers.urls")),
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
