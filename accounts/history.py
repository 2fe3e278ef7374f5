"""The one shape every status machine of the portal takes.

A model with a ``status`` field declares ``TRANSITIONS``, a map from each status to
the statuses it may move to, and mixes in :class:`StatusMachine`; its service moves
it with :meth:`StatusMachine.check_transition` and writes one row of a
:class:`StatusChange` subclass per move: from, to, actor, when, note. Numbers,
orders, articles and documents follow it; a subscriber's status is derived from its
documents, so it has history but no map.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class IllegalTransition(Exception):
    """A status change that the object's transition map does not allow.

    The message is for people: it names the object, where it stands and where it
    was asked to go.
    """

    def __init__(self, obj: models.Model, to: str):
        self.obj, self.to = obj, to
        super().__init__(
            _("%(kind)s %(object)s is %(current)s and cannot become %(target)s.")
            % {
                "kind": capfirst(obj._meta.verbose_name),
                "object": obj,
                "current": obj.get_status_display(),
                "target": obj.status_label(to),
            }
        )


class StatusMachine:
    """Mixed into a model with a ``status`` field of TextChoices and a ``TRANSITIONS`` map."""

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]]

    def can_become(self, to: str) -> bool:
        return to in self.TRANSITIONS[self.status]

    def check_transition(self, to: str) -> None:
        if not self.can_become(to):
            raise IllegalTransition(self, to)

    @classmethod
    def status_label(cls, status: str) -> str:
        return str(dict(cls._meta.get_field("status").flatchoices).get(status, status))


class StatusChange(models.Model):
    """One move of a status machine; written once by its service, never edited.

    A subclass adds the foreign key to its object (named by ``subject``) and gives
    ``from_status`` and ``to_status`` the machine's choices.
    """

    subject: ClassVar[str]

    from_status = models.CharField(_("from"), max_length=25, blank=True)
    to_status = models.CharField(_("to"), max_length=25)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the customer or the system made the change."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        moved = f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        return f"{getattr(self, self.subject)}: {moved}"
