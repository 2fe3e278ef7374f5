"""The rules of real-name verification, as plain functions of a subscriber's facts.

Which documents a subscriber must hold, how far each has got, and the subscriber
status that follows: no database, so every rule is tested on its own
(tests/compliance/test_checklist.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    LEGAL_REP_ID_FRONT = "legal_rep_id_front", _("Legal representative's ID (front)")
    LEGAL_REP_ID_BACK = "legal_rep_id_back", _("Legal representative's ID (back)")
    SUPPLEMENTARY_AGREEMENT = "supplementary_agreement", _("Signed supplementary agreement")
    AUTHORISATION_LETTER = "authorisation_letter", _("Authorisation letter")
    HANDLER_ID = "handler_id", _("Handler's ID")
    ORG_CODE_CERTIFICATE = "org_code_certificate", _("Organisation code certificate")
    MULTI_NUMBER_STATEMENT = "multi_number_statement", _("Multi-number statement")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Replaced by a newer upload")


class RequirementState(models.TextChoices):
    MISSING = "missing", _("Missing")
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected: upload a new one")
    EXPIRED = "expired", _("Expired: upload a current one")


class SubscriberStatus(models.TextChoices):
    """Derived from the checklist (``subscriber_status``), never set by hand: it has no map."""

    INCOMPLETE = "incomplete", _("Documents missing")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_ACTION = "needs_action", _("Action needed")
    VERIFIED = "verified", _("Verified")


class StoredDocument(Protocol):
    kind: str
    status: str

    def is_expired(self, today: date | None = None) -> bool: ...


@dataclass(frozen=True)
class Requirement:
    kind: DocumentKind
    state: RequirementState
    document: StoredDocument | None

    @property
    def done(self) -> bool:
        return self.state == RequirementState.APPROVED


def required_kinds(
    *, handled_by_legal_rep: bool, licence_predates_unified_code: bool, numbers_held: int
) -> list[DocumentKind]:
    """The documents a subscriber must hold, in the order agents collect them."""
    kinds = [
        DocumentKind.BUSINESS_LICENCE,
        DocumentKind.LEGAL_REP_ID_FRONT,
        DocumentKind.LEGAL_REP_ID_BACK,
        DocumentKind.SUPPLEMENTARY_AGREEMENT,
    ]
    if not handled_by_legal_rep:
        kinds += [DocumentKind.AUTHORISATION_LETTER, DocumentKind.HANDLER_ID]
    if licence_predates_unified_code:
        kinds.append(DocumentKind.ORG_CODE_CERTIFICATE)
    if numbers_held >= 2:
        kinds.append(DocumentKind.MULTI_NUMBER_STATEMENT)
    return kinds


def requirement(kind: DocumentKind, current: Iterable[StoredDocument], today: date) -> Requirement:
    """How far ``kind`` has got among the subscriber's current (not superseded) documents."""
    mine = [doc for doc in current if doc.kind == kind]

    def first(status):
        return next((doc for doc in mine if doc.status == status), None)

    approved = first(DocumentStatus.APPROVED)
    pending = first(DocumentStatus.PENDING)
    rejected = first(DocumentStatus.REJECTED)
    if approved and not approved.is_expired(today):
        return Requirement(kind, RequirementState.APPROVED, approved)
    if pending:
        return Requirement(kind, RequirementState.PENDING, pending)
    if rejected:
        return Requirement(kind, RequirementState.REJECTED, rejected)
    if approved:
        return Requirement(kind, RequirementState.EXPIRED, approved)
    return Requirement(kind, RequirementState.MISSING, None)


def subscriber_status(checklist: Iterable[Requirement]) -> SubscriberStatus:
    states = {item.state for item in checklist}
    if states <= {RequirementState.APPROVED}:
        return SubscriberStatus.VERIFIED
    if states & {RequirementState.REJECTED, RequirementState.EXPIRED}:
        return SubscriberStatus.NEEDS_ACTION
    if RequirementState.MISSING in states:
        return SubscriberStatus.INCOMPLETE
    return SubscriberStatus.IN_REVIEW
