"""ID numbers: encrypted at rest, masked everywhere, revealed only to reviewers, logged."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.urls import reverse

from compliance import crypto
from compliance.models import IdNumberReveal, Subscriber
from tests.compliance.factories import SubscriberFactory, credit_code, id_number, stored_document

pytestmark = pytest.mark.django_db


def test_mask_keeps_the_region_and_the_last_four():
    assert crypto.mask_id_number("11010119900101123x") == "110***********123X"


def test_id_number_is_encrypted_at_rest_with_its_own_key(settings, agent_a):
    plain = id_number(901)
    subscriber = SubscriberFactory(agent=agent_a, id_number=plain)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT legal_rep_id_encrypted, legal_rep_id_hash, legal_rep_id_masked "
            "FROM compliance_subscriber WHERE id = %s",
            [subscriber.pk],
        )
        encrypted, lookup, masked = cursor.fetchone()
    assert plain not in encrypted and plain not in lookup
    assert Fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(encrypted.encode()).decode() == plain
    assert masked == plain[:3] + "*" * 11 + plain[-4:]


def test_lookup_hash_does_not_depend_on_secret_key(settings):
    plain = id_number(902)
    before = crypto.lookup_hash(plain)
    settings.SECRET_KEY = "another-secret-key-" * 3

    assert crypto.lookup_hash(plain) == before


def test_keys_can_be_rotated_without_losing_numbers_or_lookups(settings, agent_a):
    plain = id_number(903)
    subscriber = SubscriberFactory(agent=agent_a, id_number=plain)
    lookup = crypto.lookup_hash(plain)
    settings.FIELD_ENCRYPTION_KEY = (
        f"{Fernet.generate_key().decode()},{settings.FIELD_ENCRYPTION_KEY}"
    )

    assert subscriber.reveal_legal_rep_id() == plain
    assert crypto.lookup_hash(plain) == lookup


def test_pages_and_admin_lists_show_only_the_masked_number(client, reviewer, agent_a, subscriber_a):
    stored_document(subscriber_a, agent_a)
    client.force_login(agent_a)
    agent_pages = [reverse("agent:overview"), subscriber_a.get_absolute_url()]
    for url in agent_pages:
        assert client.get(url).status_code == 200
    assert subscriber_a.legal_rep_id_masked in client.get(agent_pages[1]).content.decode()
    client.force_login(reviewer)
    for name in [
        "subscriber",
        "document",
        "documentreview",
        "documentaccess",
        "subscriberstatuschange",
        "idnumberreveal",
    ]:
        assert (
            client.get(reverse(f"admin:compliance_{name}_changelist"), follow=True).status_code
            == 200
        )
    change = client.get(reverse("admin:compliance_subscriber_change", args=[subscriber_a.pk]))
    assert subscriber_a.legal_rep_id_masked in change.content.decode()
    # The client fixture fails the test if any page above carried a full ID number.


def test_reviewer_reveals_after_a_deliberate_post_and_it_is_logged(client, reviewer, subscriber_a):
    client.force_login(reviewer)
    url = reverse("admin:compliance_subscriber_reveal", args=[subscriber_a.pk])
    plain = subscriber_a.reveal_legal_rep_id()

    asked = client.get(url)
    shown = client.post(url)

    assert plain not in asked.content.decode()
    assert plain in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    reveal = IdNumberReveal.objects.get()
    assert (reveal.user, reveal.subscriber, reveal.ip) == (reviewer, subscriber_a, "127.0.0.1")


@pytest.mark.parametrize("role", ["editor", "agent_a"])
def test_others_cannot_reveal(client, request, subscriber_a, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.post(reverse("admin:compliance_subscriber_reveal", args=[subscriber_a.pk]))

    assert response.status_code in (302, 403)
    assert IdNumberReveal.objects.count() == 0


def test_staff_find_a_subscriber_by_full_id_number(client, reviewer, agent_a):
    plain = id_number(904)
    wanted = SubscriberFactory(agent=agent_a, id_number=plain, company_name="要找的公司")
    SubscriberFactory(agent=agent_a, company_name="别的公司")
    client.force_login(reviewer)

    url = reverse("admin:compliance_subscriber_find_by_id")
    page = client.post(url, {"id_number": plain.lower()})

    assert list(page.context["found"]) == [wanted]
    assert "别的公司" not in page.content.decode()
    assert url in client.get(reverse("admin:compliance_subscriber_changelist")).content.decode()


def test_a_search_by_id_number_is_logged_like_a_reveal_without_the_number(
    client, reviewer, agent_a
):
    plain = id_number(906)
    wanted = SubscriberFactory(agent=agent_a, id_number=plain)
    client.force_login(reviewer)

    client.post(reverse("admin:compliance_subscriber_find_by_id"), {"id_number": plain})

    row = IdNumberReveal.objects.values().get()
    assert row["action"] == IdNumberReveal.Action.SEARCH
    assert (row["user_id"], row["subscriber_id"]) == (reviewer.pk, wanted.pk)
    assert row["id_number_masked"] == crypto.mask_id_number(plain)
    assert plain not in " ".join(str(value) for value in row.values())


def test_a_search_that_finds_nobody_is_logged_too(client, settings, reviewer):
    settings.NUM_PROXIES = 1
    plain = id_number(907)
    client.force_login(reviewer)

    page = client.post(
        reverse("admin:compliance_subscriber_find_by_id"),
        {"id_number": plain},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )

    assert list(page.context["found"]) == []
    row = IdNumberReveal.objects.get()
    assert (row.subscriber, row.ip) == (None, "198.51.100.23")
    assert row.id_number_masked == crypto.mask_id_number(plain)


def test_searches_by_id_number_are_limited_per_staff_user(
    client, settings, reviewer, make_user, agent_a
):
    settings.RATE_LIMIT_ID_SEARCHES = "2/h"
    plain = id_number(908)
    SubscriberFactory(agent=agent_a, id_number=plain)
    url = reverse("admin:compliance_subscriber_find_by_id")
    client.force_login(reviewer)

    answers = [client.post(url, {"id_number": plain}) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "搜索次数过多" in answers[2].content.decode()
    assert answers[2].context["found"] is None
    assert IdNumberReveal.objects.filter(user=reviewer).count() == 2
    other = make_user("reviewer2", groups=["reviewers"], is_staff=True)
    client.force_login(other)
    assert client.post(url, {"id_number": plain}).status_code == 200


@pytest.mark.parametrize("value", ["", "abc", "\x00" * 5, "1" * 31, "110101199001011230"])
def test_a_malformed_id_number_search_is_a_form_error_and_logs_nothing(client, reviewer, value):
    client.force_login(reviewer)

    page = client.post(reverse("admin:compliance_subscriber_find_by_id"), {"id_number": value})

    assert page.status_code == 200
    assert page.context["form"].errors
    assert IdNumberReveal.objects.count() == 0


def test_id_number_never_reaches_the_logs(caplog, client, agent_a):
    plain = id_number(905)
    client.force_login(agent_a)
    with caplog.at_level("DEBUG"):
        client.post(
            reverse("agent:subscriber-new"),
            {
                "company_name": "日志测试公司",
                "credit_code": credit_code(9056),
                "legal_rep_name": "测试",
                "legal_rep_id_number": plain,
                "contact_phone": "02012345678",
            },
        )

    assert Subscriber.objects.filter(company_name="日志测试公司").exists()
    assert plain not in caplog.text
