"""Every e-mail the portal sends, kept until it is delivered or staff give up on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# A worker claims a queued mail before it talks to the mail server, so a mail that two
# jobs point at (a retry staff asked for while one was pending) still goes out once.
MAIL_TRANSITIONS: dict[str, frozenset[str]] = {
    MailStatus.QUEUED: frozenset({MailStatus.SENDING}),
    MailStatus.SENDING: frozenset({MailStatus.SENT, MailStatus.QUEUED, MailStatus.FAILED}),
    MailStatus.SENT: frozenset(),
    MailStatus.FAILED: frozenset({MailStatus.QUEUED}),
}


class OutgoingMailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=MailStatus.FAILED)


class OutgoingMail(models.Model):
    what = models.CharField(_("about"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    to = models.JSONField(_("recipients"))
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.subject
