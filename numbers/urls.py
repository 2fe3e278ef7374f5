from django.urls import path, register_converter

from numbers import share_card, views
from numbers.converters import NumberConverter

register_converter(NumberConverter, "number")

app_name = "numbers"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("<number:number>/", views.NumberDetailView.as_view(), name="detail"),
    path("<number:number>/card.png", share_card.number_card_view, name="card"),
    path("<number:number>/order/", views.OrderCreateView.as_view(), name="order"),
    path("<number:number>/watch/", views.WatchCreateView.as_view(), name="watch"),
    path("<number:number>/quote/", views.QuoteView.as_view(), name="quote"),
    path(
        "watches/<str:token>/unsubscribe/",
        views.WatchUnsubscribeView.as_view(),
        name="watch-unsubscribe",
    ),
]
