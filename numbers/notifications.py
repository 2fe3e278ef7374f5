"""E-mails about orders and call-back requests, queued in the transaction that causes them.

Each is a background job (outbox): the customer never waits for the mail server, and a
mail server that is down delays the mail instead of losing it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from numbers import sms
from numbers.mobile import mask_mobile
from outbox.services import mail_enqueue


def _send(subject: str, body: str, to: list[str], what: str) -> None:
    mail_enqueue(subject=subject, body=body, to=to, what=what)


def _order_mail(order, event, *, language: str, for_staff: bool) -> tuple[str, str]:
    with translation.override(language):
        context = {
            "order": order,
            "event": event,
            "for_staff": for_staff,
            "order_url": settings.SITE_URL + order.get_signed_url(),
            "lookup_url": settings.SITE_URL + reverse("orders:lookup"),
            "admin_url": settings.SITE_URL + reverse("admin:numbers_order_change", args=[order.pk]),
            "mobile": order.mobile if for_staff else mask_mobile(order.mobile),
            "site_name": settings.SITE_NAME_EN if language == "en" else settings.SITE_NAME,
        }
        if event is None:
            subject = gettext("Order %(reference)s received: %(number)s") % {
                "reference": order.reference,
                "number": order.number.formatted,
            }
        else:
            subject = gettext("Order %(reference)s is now: %(status)s") % {
                "reference": order.reference,
                "status": event.get_to_status_display(),
            }
        return subject, render_to_string("numbers/email/order.txt", context)


def _notify(order, event) -> None:
    what = f"order {order.reference}"
    if order.email:
        subject, body = _order_mail(order, event, language=order.language, for_staff=False)
        _send(subject, body, [order.email], what)
    subject, body = _order_mail(order, event, language=settings.LANGUAGE_CODE, for_staff=True)
    _send(subject, body, settings.STAFF_NOTIFY_EMAILS, what)


def order_placed(order) -> None:
    _notify(order, None)


def order_status_changed(order, event) -> None:
    _notify(order, event)


def callback_requested(lead) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Call-back request from %(name)s") % {"name": lead.name}
        body = render_to_string(
            "numbers/email/callback.txt",
            {
                "lead": lead,
                "admin_url": settings.SITE_URL
                + reverse("admin:numbers_callbackrequest_change", args=[lead.pk]),
            },
        )
    _send(subject, body, settings.STAFF_NOTIFY_EMAILS, f"call-back request {lead.pk}")


def watch_available(watch) -> None:
    """One notice to a watcher: the number can be ordered again (e-mail and/or SMS)."""
    number = watch.number
    with translation.override(watch.language):
        context = {
            "number": number,
            "number_url": settings.SITE_URL + number.get_absolute_url(),
            "unsubscribe_url": settings.SITE_URL + watch.get_unsubscribe_url(),
            "site_name": settings.SITE_NAME_EN if watch.language == "en" else settings.SITE_NAME,
        }
        subject = gettext("%(number)s can be ordered again") % {"number": number.formatted}
        if watch.email:
            body = render_to_string("numbers/email/watch.txt", context)
            _send(subject, body, [watch.email], f"watch {watch.pk}")
        if watch.mobile:
            text = gettext("%(site)s: %(number)s is free again. Order it at %(url)s") % {
                "site": context["site_name"],
                "number": number.formatted,
                "url": context["number_url"],
            }
            sms.send_sms(watch.mobile, text)


def order_assigned(order, agent) -> None:
    """Tell the agent an order is now theirs to follow up, with a link to the portal."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Order %(reference)s is assigned to you: %(number)s") % {
            "reference": order.reference,
            "number": order.number.formatted,
        }
        body = render_to_string(
            "numbers/email/assigned.txt",
            {"order": order, "portal_url": settings.SITE_URL + reverse("agent:overview")},
        )
    _send(subject, body, [agent.email] if agent.email else [], f"order {order.reference}")
