"""Campaign deadlines, expired documents and complaints suspend numbers; approval restores."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.history import IllegalTransition
from compliance import services
from compliance.models import Campaign, Complaint, Holding, Suspension, SuspensionCause
from numbers.models import Number, NumberStatus
from tests.compliance.factories import stored_document
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

REQUIRED = [
    "business_licence",
    "legal_rep_id_front",
    "legal_rep_id_back",
    "supplementary_agreement",
]


def hold(subscriber, status=NumberStatus.ACTIVE):
    number = NumberFactory(status=status)
    Holding.objects.create(subscriber=subscriber, number=number)
    return number


def run(*args):
    out = StringIO()
    call_command("enforce_verification", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def past_campaign():
    return Campaign.objects.create(
        title="2026年实名认证", deadline=timezone.now() - datetime.timedelta(hours=1)
    )


def test_dry_run_prints_and_changes_nothing(past_campaign, subscriber_a):
    number = hold(subscriber_a)

    output = run("--dry-run")

    assert f"would suspend {number.number}" in output
    assert "1 number(s) would be suspended." in output
    number.refresh_from_db()
    assert number.status == NumberStatus.ACTIVE
    assert Suspension.objects.count() == 0


def test_unverified_subscriber_past_the_deadline_is_suspended_once(past_campaign, subscriber_a):
    number = hold(subscriber_a)

    first = run()
    second = run()

    assert f"suspend {number.number}" in first
    assert "0 number(s) suspended." in second
    number.refresh_from_db()
    assert number.status == NumberStatus.SUSPENDED
    suspension = Suspension.objects.get()
    assert (suspension.cause, suspension.campaign) == (SuspensionCause.DEADLINE, past_campaign)
    assert past_campaign.title in suspension.reason
    assert not Number.objects.listed().filter(pk=number.pk).exists()


def test_campaign_before_its_deadline_suspends_nothing(subscriber_a):
    Campaign.objects.create(title="未来", deadline=timezone.now() + datetime.timedelta(days=9))
    hold(subscriber_a)

    assert "0 number(s) suspended." in run()


def test_verified_subscriber_is_left_alone(past_campaign, reviewer, agent_a, subscriber_a):
    number = hold(subscriber_a)
    for kind in REQUIRED:
        services.document_approve(
            document=stored_document(subscriber_a, agent_a, kind=kind), reviewer=reviewer
        )

    run()

    number.refresh_from_db()
    assert number.status == NumberStatus.ACTIVE


def test_approval_later_restores_the_number(past_campaign, reviewer, agent_a, subscriber_a):
    number = hold(subscriber_a)
    run()

    for kind in REQUIRED:
        services.document_approve(
            document=stored_document(subscriber_a, agent_a, kind=kind), reviewer=reviewer
        )

    number.refresh_from_db()
    assert number.status == NumberStatus.ACTIVE
    assert Suspension.objects.get().lifted_at is not None


def test_expired_required_document_suspends_without_a_campaign(reviewer, agent_a, subscriber_a):
    number = hold(subscriber_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for kind in REQUIRED:
        services.document_approve(
            document=stored_document(subscriber_a, agent_a, kind=kind, valid_until=tomorrow),
            reviewer=reviewer,
        )

    actions = services.verification_enforce(now=timezone.now() + datetime.timedelta(days=3))

    assert [a.cause for a in actions] == [SuspensionCause.EXPIRED]
    number.refresh_from_db()
    assert number.status == NumberStatus.SUSPENDED


def test_complaint_in_admin_suspends_at_once_and_approval_does_not_lift_it(
    client, reviewer, agent_a, subscriber_a
):
    number = hold(subscriber_a)
    client.force_login(reviewer)

    response = client.post(
        reverse("admin:compliance_complaint_add"),
        {
            "number": number.pk,
            "kind": "outbound",
            "details": "用400号码外呼推销",
            "received_at_0": "2026-11-01",
            "received_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302
    number.refresh_from_db()
    assert number.status == NumberStatus.SUSPENDED
    suspension = Suspension.objects.get()
    assert suspension.complaint == Complaint.objects.get()
    assert "用400号码外呼推销" in suspension.reason
    for kind in REQUIRED:
        services.document_approve(
            document=stored_document(subscriber_a, agent_a, kind=kind), reviewer=reviewer
        )
    number.refresh_from_db()
    assert number.status == NumberStatus.SUSPENDED


def test_lifting_the_last_suspension_restores_the_status_before(reviewer, subscriber_a):
    number = hold(subscriber_a)
    complaint = services.complaint_record(
        number=number, kind="harassment", details="骚扰", recorded_by=reviewer
    )

    services.suspension_lift(suspension=complaint.suspension_set.get(), reason="查明")

    number.refresh_from_db()
    assert number.status == NumberStatus.ACTIVE


def test_only_a_number_in_service_can_be_suspended(reviewer):
    number = NumberFactory(status=NumberStatus.AVAILABLE)

    with pytest.raises(IllegalTransition):
        services.complaint_record(number=number, kind="fraud", details="诈骗", recorded_by=reviewer)

    number.refresh_from_db()
    assert number.status == NumberStatus.AVAILABLE
    assert not Suspension.objects.exists()


def test_a_lifted_suspension_puts_the_number_back_in_service_with_history(reviewer):
    number = NumberFactory(status=NumberStatus.ACTIVE)
    services.complaint_record(number=number, kind="fraud", details="诈骗", recorded_by=reviewer)
    number.refresh_from_db()
    assert number.status == NumberStatus.SUSPENDED

    services.suspension_lift(suspension=Suspension.objects.get(), reason="误报", actor=reviewer)

    number.refresh_from_db()
    assert number.status == NumberStatus.ACTIVE
    moves = number.status_changes.values_list("from_status", "to_status", "actor", "note")
    assert list(moves) == [
        ("active", "suspended", reviewer.pk, moves[0][3]),
        ("suspended", "active", reviewer.pk, "误报"),
    ]
    assert "诈骗" in moves[0][3]


def test_suspensions_are_lifted_from_admin_in_bulk(client, reviewer, subscriber_a):
    number = hold(subscriber_a)
    services.complaint_record(number=number, kind="harassment", details="x", recorded_by=reviewer)
    client.force_login(reviewer)

    client.post(
        reverse("admin:compliance_suspension_changelist"),
        {"action": "lift", "_selected_action": [Suspension.objects.get().pk]},
    )

    number.refresh_from_db()
    assert number.status == NumberStatus.ACTIVE
