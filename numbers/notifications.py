"""E-mails about orders and call-back requests, sent after the data is committed.

Every sender catches and logs its own failures: a mail server that is down or slow
must never lose an order or turn the customer's confirmation into an error.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from numbers.mobile import mask_mobile

logger = logging.getLogger(__name__)


def _send(subject: str, body: str, to: list[str], what: str) -> None:
    if not to:
        return
    try:
        EmailMessage(" ".join(subject.split()), body, to=to).send()
    except Exception:
        logger.exception("E-mail about %s to %d recipient(s) could not be sent", what, len(to))


def _order_mail(order, event, *, language: str, for_staff: bool) -> tuple[str, str]:
    with translation.override(language):
        context = {
            "order": order,
            "event": event,
            "for_staff": for_staff,
            "order_url": settings.SITE_URL + order.get_signed_url(),
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
