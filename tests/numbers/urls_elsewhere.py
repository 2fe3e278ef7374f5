"""A URLconf that serves the number pages elsewhere (tests of links that follow it)."""

from django.urls import include, path

urlpatterns = [path("haoma/", include("numbers.urls"))]
