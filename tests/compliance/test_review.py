"""Reviewing documents in admin, the transition maps, and evidence that cannot change."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.history import IllegalTransition
from compliance import services
from compliance.models import (
    Document,
    DocumentReview,
    DocumentStatus,
    KeptForever,
    Subscriber,
    SubscriberStatus,
    SubscriberStatusChange,
)
from tests.compliance.factories import pdf_bytes, stored_document

pytestmark = pytest.mark.django_db

BASIC_KINDS = ["business_licence", "legal_rep_id_front", "legal_rep_id_back"]


def change_url(document):
    return reverse("admin:compliance_document_change", args=[document.pk])


def decide(client, document, **data):
    return client.post(change_url(document), {"note": "", "reason": "", **data})


def all_approved(subscriber, agent, reviewer, **kwargs):
    for kind in [*BASIC_KINDS, "supplementary_agreement"]:
        document = stored_document(subscriber, agent, kind=kind, **kwargs)
        services.document_approve(document=document, reviewer=reviewer)


def test_review_queue_lists_waiting_documents_with_a_preview(
    client, reviewer, agent_a, subscriber_a
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)

    queue = client.get(reverse("admin:compliance_document_changelist"), follow=True)
    page = client.get(change_url(document))

    assert document.get_kind_display() in queue.content.decode()
    assert f'src="{document.get_absolute_url()}"' in page.content.decode()


def test_reviewer_approves_in_admin_and_the_agent_is_emailed(
    client, reviewer, agent_a, subscriber_a, django_capture_on_commit_callbacks
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, document, decision="approve")

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED
    review = DocumentReview.objects.get()
    assert (review.decision, review.reviewer) == ("approved", reviewer)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@agents.example"]
    assert subscriber_a.company_name in mail.outbox[0].subject
    assert f"http://testserver{subscriber_a.get_absolute_url()}" in mail.outbox[0].body


def test_rejection_needs_a_coded_reason(client, reviewer, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)

    response = decide(client, document, decision="reject")

    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert DocumentReview.objects.count() == 0


def test_rejection_reaches_the_agent_with_what_to_do(
    client, reviewer, agent_a, subscriber_a, django_capture_on_commit_callbacks
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, document, decision="reject", reason="illegible", note="左下角模糊")
    client.force_login(agent_a)

    page = client.get(subscriber_a.get_absolute_url()).content.decode()

    assert "左下角模糊" in page
    assert "模糊" in mail.outbox[0].body
    subscriber_a.refresh_from_db()
    assert subscriber_a.status == SubscriberStatus.NEEDS_ACTION


def test_decided_document_cannot_be_decided_again_in_admin(client, reviewer, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    services.document_approve(document=document, reviewer=reviewer)
    client.force_login(reviewer)

    response = decide(client, document, decision="reject", reason="other", note="x")

    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == DocumentStatus.APPROVED


def test_subscriber_is_verified_when_every_required_document_is_approved(
    reviewer, agent_a, subscriber_a
):
    all_approved(subscriber_a, agent_a, reviewer)

    subscriber_a.refresh_from_db()
    assert subscriber_a.status == SubscriberStatus.VERIFIED
    history = list(SubscriberStatusChange.objects.filter(subscriber=subscriber_a))
    assert history[0].to_status == SubscriberStatus.VERIFIED
    assert history[0].actor == reviewer


def test_expired_document_undoes_verification(reviewer, agent_a, subscriber_a):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    all_approved(subscriber_a, agent_a, reviewer, valid_until=soon)

    later = soon + datetime.timedelta(days=1)
    status = services.subscriber_refresh_status(subscriber=subscriber_a, reason="t", today=later)

    assert status == SubscriberStatus.NEEDS_ACTION
    assert {item.state for item in subscriber_a.checklist(later)} == {"expired"}


def test_new_upload_supersedes_an_approved_one_only_when_approved(reviewer, agent_a, subscriber_a):
    old = stored_document(subscriber_a, agent_a)
    services.document_approve(document=old, reviewer=reviewer)
    new = stored_document(subscriber_a, agent_a)
    old.refresh_from_db()
    assert old.status == DocumentStatus.APPROVED  # still in force while the new one waits

    services.document_approve(document=new, reviewer=reviewer)

    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (DocumentStatus.SUPERSEDED, new)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (DocumentStatus.APPROVED, DocumentStatus.REJECTED),
        (DocumentStatus.APPROVED, DocumentStatus.PENDING),
        (DocumentStatus.REJECTED, DocumentStatus.APPROVED),
        (DocumentStatus.SUPERSEDED, DocumentStatus.APPROVED),
    ],
)
def test_document_transition_map_refuses_illegal_moves(agent_a, subscriber_a, start, target):
    document = stored_document(subscriber_a, agent_a)
    document.status = start

    with pytest.raises(IllegalTransition):
        document.transition(target)


def test_stored_facts_of_a_document_cannot_change(agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)

    for field, value in [("sha256", "0" * 64), ("stored_name", "x.jpg"), ("kind", "handler_id")]:
        fresh = Document.objects.get(pk=document.pk)
        setattr(fresh, field, value)
        with pytest.raises(KeptForever):
            fresh.save()


def test_nothing_is_deleted_by_code(reviewer, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a)
    review = services.document_approve(document=document, reviewer=reviewer)

    for kept in (document, review, subscriber_a):
        with pytest.raises(KeptForever):
            kept.delete()
    with pytest.raises(KeptForever):
        Document.objects.all().delete()
    with pytest.raises(KeptForever):
        Subscriber.objects.all().delete()
    assert Document.objects.count() == 1


def test_review_log_cannot_be_edited(reviewer, agent_a, subscriber_a):
    review = services.document_approve(
        document=stored_document(subscriber_a, agent_a), reviewer=reviewer
    )
    review.note = "changed later"

    with pytest.raises(KeptForever):
        review.save()


@pytest.mark.parametrize(
    "model",
    [
        "document",
        "documentreview",
        "documentaccess",
        "idnumberreveal",
        "subscriber",
        "subscriberstatuschange",
        "suspension",
        "complaint",
        "campaign",
        "agent",
    ],
)
def test_admin_offers_no_delete_anywhere(client, superuser, model):
    client.force_login(superuser)

    changelist = client.get(reverse(f"admin:compliance_{model}_changelist"), follow=True)

    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert client.get(reverse(f"admin:compliance_{model}_delete", args=[1])).status_code in (
        403,
        404,
        302,
    )


def test_admin_delete_page_is_refused_for_an_existing_document(
    client, superuser, agent_a, subscriber_a
):
    document = stored_document(subscriber_a, agent_a)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:compliance_document_delete", args=[document.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("model", ["documentreview", "documentaccess", "idnumberreveal"])
def test_logs_are_read_only_in_admin(client, superuser, reviewer, agent_a, subscriber_a, model):
    document = stored_document(subscriber_a, agent_a)
    services.document_approve(document=document, reviewer=reviewer)
    client.force_login(superuser)

    assert client.get(reverse(f"admin:compliance_{model}_add")).status_code == 403


def test_review_log_entry_page_has_no_save_button(
    client, superuser, reviewer, agent_a, subscriber_a
):
    review = services.document_approve(
        document=stored_document(subscriber_a, agent_a), reviewer=reviewer
    )
    client.force_login(superuser)

    page = client.get(reverse("admin:compliance_documentreview_change", args=[review.pk]))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_pdf_is_previewed_in_a_frame_of_the_same_origin(client, reviewer, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a, data=pdf_bytes())
    client.force_login(reviewer)

    page = client.get(change_url(document)).content.decode()
    served = client.get(document.get_absolute_url())

    assert f'<iframe src="{document.get_absolute_url()}"' in page
    assert served["X-Frame-Options"] == "SAMEORIGIN"


def test_reviewer_links_a_number_to_a_subscriber_in_admin(client, reviewer, subscriber_a):
    from tests.factories import NumberFactory

    number = NumberFactory()
    client.force_login(reviewer)
    autocomplete = client.get(
        "/admin/autocomplete/",
        {
            "term": number.number[-4:],
            "app_label": "compliance",
            "model_name": "holding",
            "field_name": "number",
        },
    )

    assert autocomplete.status_code == 200
    assert number.formatted in autocomplete.content.decode()
