"""Order and call-back pieces for pages owned by other views (number page, home, contact)."""

from django import template
from django.conf import settings

from numbers.forms import CallbackForm, OrderForm, WatchForm
from numbers.mobile import mask_mobile

register = template.Library()


@register.filter
def masked_mobile(mobile: str) -> str:
    return mask_mobile(mobile)


@register.inclusion_tag("numbers/partials/order_form.html", takes_context=True)
def order_form(context, number):
    return {
        "number": number,
        "order_form": context.get("order_form") or OrderForm(),
        "watch_form": context.get("watch_form") or WatchForm(),
        "hold_hours": settings.ORDER_HOLD_HOURS,
        "watch_days": settings.WATCH_DAYS,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("numbers/partials/callback_form.html", takes_context=True)
def callback_form(context):
    return {
        "callback_form": context.get("callback_form") or CallbackForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "site": context.get("site"),
    }
