"""The verification rules on their own: plain facts in, checklist and status out, no database."""

from dataclasses import dataclass
from datetime import date

import pytest

from compliance.checklist import (
    DocumentKind,
    DocumentStatus,
    Requirement,
    RequirementState,
    SubscriberStatus,
    required_kinds,
    requirement,
    subscriber_status,
)

TODAY = date(2026, 12, 2)
BASIC = [
    DocumentKind.BUSINESS_LICENCE,
    DocumentKind.LEGAL_REP_ID_FRONT,
    DocumentKind.LEGAL_REP_ID_BACK,
    DocumentKind.SUPPLEMENTARY_AGREEMENT,
]


@dataclass
class Doc:
    kind: str
    status: str
    valid_until: date | None = None

    def is_expired(self, today=None):
        return self.valid_until is not None and self.valid_until < today


def test_a_legal_rep_applying_for_one_number_needs_the_four_basic_documents():
    kinds = required_kinds(
        handled_by_legal_rep=True, licence_predates_unified_code=False, numbers_held=1
    )
    assert kinds == BASIC


def test_a_handler_an_old_licence_and_a_second_number_each_add_their_document():
    kinds = required_kinds(
        handled_by_legal_rep=False, licence_predates_unified_code=True, numbers_held=2
    )
    assert kinds == [
        *BASIC,
        DocumentKind.AUTHORISATION_LETTER,
        DocumentKind.HANDLER_ID,
        DocumentKind.ORG_CODE_CERTIFICATE,
        DocumentKind.MULTI_NUMBER_STATEMENT,
    ]


@pytest.mark.parametrize(
    ("documents", "state"),
    [
        ([], RequirementState.MISSING),
        ([Doc("business_licence", DocumentStatus.PENDING)], RequirementState.PENDING),
        ([Doc("business_licence", DocumentStatus.REJECTED)], RequirementState.REJECTED),
        ([Doc("business_licence", DocumentStatus.APPROVED)], RequirementState.APPROVED),
        (
            [Doc("business_licence", DocumentStatus.APPROVED, date(2026, 12, 1))],
            RequirementState.EXPIRED,
        ),
        (
            [
                Doc("business_licence", DocumentStatus.APPROVED, date(2026, 12, 1)),
                Doc("business_licence", DocumentStatus.PENDING),
            ],
            RequirementState.PENDING,
        ),
        ([Doc("legal_rep_id_front", DocumentStatus.APPROVED)], RequirementState.MISSING),
    ],
)
def test_each_document_state_follows_from_the_current_uploads(documents, state):
    assert requirement(DocumentKind.BUSINESS_LICENCE, documents, TODAY).state == state


@pytest.mark.parametrize(
    ("states", "status"),
    [
        ({"approved"}, SubscriberStatus.VERIFIED),
        ({"approved", "pending"}, SubscriberStatus.IN_REVIEW),
        ({"approved", "missing", "pending"}, SubscriberStatus.INCOMPLETE),
        ({"missing", "rejected"}, SubscriberStatus.NEEDS_ACTION),
        ({"approved", "expired"}, SubscriberStatus.NEEDS_ACTION),
    ],
)
def test_the_subscriber_status_is_derived_from_the_checklist(states, status):
    items = [Requirement(DocumentKind.BUSINESS_LICENCE, state, None) for state in states]
    assert subscriber_status(items) == status
