from django.urls import path, register_converter

from numbers import views
from numbers.converters import OrderReferenceConverter

register_converter(OrderReferenceConverter, "reference")

app_name = "orders"

urlpatterns = [
    path("", views.OrderLookupView.as_view(), name="lookup"),
    path("<reference:reference>/", views.OrderDetailView.as_view(), name="detail"),
]
