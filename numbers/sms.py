"""Text messages through a pluggable backend, chosen by the ``SMS_BACKEND`` setting.

A backend is a class with ``send(mobile, text)``. Shipped here:

- ``numbers.sms.ConsoleBackend`` prints each message (the development default),
- ``numbers.sms.LocmemBackend`` keeps them in ``numbers.sms.outbox`` (for tests),
- ``numbers.sms.DisabledBackend`` sends nothing (production until a provider is set).

A provider's gateway (Aliyun, Tencent Cloud …) is one more class with ``send``,
named in ``SMS_BACKEND``; see README.md (The shop).
"""

import logging
import sys

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

outbox: list[tuple[str, str]] = []


class DisabledBackend:
    enabled = False

    def send(self, mobile: str, text: str) -> None:
        logger.info("SMS to %s… not sent: no SMS provider is configured", mobile[:3])


class ConsoleBackend:
    enabled = True

    def send(self, mobile: str, text: str) -> None:
        sys.stdout.write(f"SMS to {mobile}: {text}\n")
        sys.stdout.flush()


class LocmemBackend:
    enabled = True

    def send(self, mobile: str, text: str) -> None:
        outbox.append((mobile, text))


def backend():
    return import_string(settings.SMS_BACKEND)()


def is_enabled() -> bool:
    return getattr(backend(), "enabled", True)


def send_sms(mobile: str, text: str) -> None:
    """Send one text; failures are logged, never raised (like the e-mails)."""
    try:
        backend().send(mobile, text)
    except Exception:
        logger.exception("SMS to %s… could not be sent", mobile[:3])
