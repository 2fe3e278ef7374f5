"""Watches (盯号): tell a customer when a reserved number can be ordered again."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from numbers.models.catalogue import Number


def new_watch_token() -> str:
    return secrets.token_urlsafe(24)


class WatchQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Not yet notified, not unsubscribed, not past its 30 days."""
        now = now or timezone.now()
        return self.filter(notified_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now)


class Watch(models.Model):
    """A customer waiting for a held or taken number; told once, by e-mail and/or SMS."""

    number = models.ForeignKey(
        Number, verbose_name=_("number"), on_delete=models.CASCADE, related_name="watches"
    )
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token = models.CharField(
        _("unsubscribe key"), max_length=40, unique=True, default=new_watch_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = WatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.CheckConstraint(condition=~Q(mobile="", email=""), name="watch_has_a_contact"),
        ]
        indexes = [models.Index(fields=["number", "notified_at"], name="watch_number_pending")]

    def __str__(self):
        return f"{self.number} · {self.created_at:%Y-%m-%d}"

    def get_unsubscribe_url(self):
        return reverse("numbers:watch-unsubscribe", args=[self.token])
