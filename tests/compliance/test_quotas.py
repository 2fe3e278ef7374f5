"""Storage quotas and upload rates per agent and per subscriber: a refusal says why next
to the file field and keeps nothing; superseded documents count; parallel uploads by
one agent cannot pass its quota."""

import io
import threading

import pytest
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from accounts.roles import AGENTS
from compliance import quotas, services
from compliance.filecheck import UploadRejected, inspect_upload
from compliance.models import Document
from tests.compliance.factories import AgentFactory, SubscriberFactory, pdf_bytes, stored_document
from tests.compliance.test_filecheck import pixel_flood_png, png_padded_to
from tests.compliance.test_uploads import stored_files, upload

pytestmark = pytest.mark.django_db

# A valid image of 400 000 bytes: two fit in 1 MB (2^20 bytes) with their copies, three do not.
BIG = png_padded_to(400_000)


@pytest.fixture
def logged_in(client, agent_a):
    client.force_login(agent_a)
    return client


def refusal(response) -> str:
    """The error shown next to the file field."""
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["file"], errors
    assert 'id="id_file_error"' in response.text
    return errors["file"][0]


def test_an_upload_past_the_subscribers_quota_is_refused_and_keeps_nothing(
    logged_in, settings, subscriber_a
):
    settings.DOCUMENT_QUOTA_SUBSCRIBER_MB = 1
    for kind in ["business_licence", "legal_rep_id_front"]:
        assert upload(logged_in, subscriber_a, "scan.png", BIG, kind=kind).status_code == 302
    files_before = stored_files(settings)

    response = upload(logged_in, subscriber_a, "id.png", BIG, kind="legal_rep_id_back")

    assert "此用户的资料已占用" in refusal(response)
    assert Document.objects.count() == 2
    assert stored_files(settings) == files_before


def test_superseded_documents_stay_and_count(logged_in, settings, subscriber_a):
    settings.DOCUMENT_QUOTA_SUBSCRIBER_MB = 1
    for _ in range(2):  # the second replaces the first, which is kept as evidence
        assert upload(logged_in, subscriber_a, "licence.png", BIG).status_code == 302

    response = upload(logged_in, subscriber_a, "licence.png", BIG)

    assert "此用户的资料已占用" in refusal(response)
    assert Document.objects.current().count() == 1
    assert Document.objects.count() == 2


def test_the_agents_quota_spans_all_its_subscribers(logged_in, settings, agent_a):
    settings.DOCUMENT_QUOTA_AGENT_MB = 1
    subscribers = [SubscriberFactory(agent=agent_a) for _ in range(3)]
    for subscriber in subscribers[:2]:
        assert upload(logged_in, subscriber, "licence.png", BIG).status_code == 302

    response = upload(logged_in, subscribers[2], "licence.png", BIG)

    assert "您上传的资料已占用" in refusal(response)
    assert Document.objects.count() == 2


def test_the_re_encoded_copy_of_an_image_counts(subscriber_a, agent_a):
    document = stored_document(subscriber_a, agent_a, data=BIG)

    assert document.display_size > 0
    assert quotas.subscriber_usage(subscriber_a).used == document.size + document.display_size
    assert quotas.agent_usage(agent_a).used == document.size + document.display_size


def test_the_quota_is_checked_again_when_the_upload_is_stored(settings, subscriber_a, agent_a):
    settings.DOCUMENT_QUOTA_SUBSCRIBER_MB = 1
    stored_document(subscriber_a, agent_a, data=BIG)
    stored_document(subscriber_a, agent_a, kind="legal_rep_id_front", data=BIG)

    with pytest.raises(UploadRejected) as refused:
        stored_document(subscriber_a, agent_a, kind="legal_rep_id_back", data=BIG)

    assert refused.value.code == "quota"
    assert Document.objects.count() == 2


def test_an_agent_uploading_too_fast_is_refused_before_the_file_is_read(
    logged_in, settings, agent_a
):
    settings.RATE_LIMIT_UPLOADS_PER_AGENT = "2/h"
    subscribers = [SubscriberFactory(agent=agent_a) for _ in range(3)]
    for subscriber in subscribers[:2]:
        assert upload(logged_in, subscriber, "licence.pdf", pdf_bytes()).status_code == 302

    # A pixel flood would be refused for its size; the rate answers first, undecoded.
    response = upload(logged_in, subscribers[2], "flood.png", pixel_flood_png(10**5, 10**5))

    assert "您在短时间内上传了很多文件" in refusal(response)
    assert Document.objects.count() == 2


def test_uploads_for_one_subscriber_are_limited_whoever_sends_them(
    logged_in, settings, subscriber_a, agent_a
):
    settings.RATE_LIMIT_UPLOADS_PER_SUBSCRIBER = "2/h"
    for kind in ["business_licence", "legal_rep_id_front"]:
        response = upload(logged_in, subscriber_a, "scan.pdf", pdf_bytes(), kind=kind)
        assert response.status_code == 302

    response = upload(logged_in, subscriber_a, "scan.pdf", pdf_bytes(), kind="legal_rep_id_back")

    assert "此用户在短时间内上传了很多文件" in refusal(response)
    other = SubscriberFactory(agent=agent_a)
    assert upload(logged_in, other, "scan.pdf", pdf_bytes()).status_code == 302


def test_the_subscriber_page_shows_the_storage_used(logged_in, settings, subscriber_a, agent_a):
    settings.DOCUMENT_QUOTA_SUBSCRIBER_MB = 200
    settings.DOCUMENT_QUOTA_AGENT_MB = 5000
    document = stored_document(subscriber_a, agent_a, data=BIG)

    page = logged_in.get(subscriber_a.get_absolute_url()).text

    assert 'id="storage-used"' in page
    assert filesizeformat(document.size + document.display_size) in page
    assert "200.0\xa0MB" in page
    assert "4.9\xa0GB" in page


def test_an_english_refusal_is_in_english(client, settings, subscriber_a, agent_a):
    settings.DOCUMENT_QUOTA_SUBSCRIBER_MB = 0
    client.force_login(agent_a)
    url = "/en" + reverse("agent:document-upload", args=[subscriber_a.pk])

    response = client.post(url, {"kind": "business_licence", "file": io.BytesIO(BIG)})

    assert "This subscriber's documents already take" in refusal(response)


@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_by_one_agent_cannot_pass_its_quota(settings, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks; the production database is PostgreSQL")
    settings.DOCUMENT_QUOTA_AGENT_MB = 1  # two of BIG fit, with their copies
    agent = make_user("racer", groups=[AGENTS])
    AgentFactory(user=agent, company="并发代理")
    subscribers = [SubscriberFactory(agent=agent) for _ in range(8)]
    start = threading.Barrier(len(subscribers))
    outcomes = []

    def send(subscriber):
        try:
            data = io.BytesIO(BIG)
            inspected = inspect_upload(data)
            start.wait(timeout=30)
            services.document_upload(
                subscriber=subscriber,
                kind="business_licence",
                upload=data,
                inspected=inspected,
                original_name="licence.png",
                valid_until=None,
                uploaded_by=agent,
                ip="127.0.0.1",
            )
            outcomes.append("stored")
        except UploadRejected as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(s,)) for s in subscribers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["quota"] * 6 + ["stored"] * 2
    assert quotas.agent_usage(agent).used <= 2**20
    assert len(stored_files(settings)) == 2 * 2  # each original and its copy
