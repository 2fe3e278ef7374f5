"""Staff work on numbers in the admin: filters, search, bulk actions, no delete."""

import pytest
from django.urls import reverse

from numbers.models import Number, NumberStatus
from tests.factories import NumberFactory, PlanFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:numbers_number_changelist")


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))


def action(client, name, numbers, **extra):
    return client.post(
        CHANGELIST, {"action": name, "_selected_action": [n.pk for n in numbers], **extra}
    )


def test_changelist_filters_by_class_and_searches_formatted_digits(client, staff):
    NumberFactory(number="4006328888")
    NumberFactory(number="4006126688")

    by_class = client.get(CHANGELIST, {"pattern": "aabb"})
    by_digits = client.get(CHANGELIST, {"q": "400-632-8888"})

    assert [n.number for n in by_class.context["cl"].result_list] == ["4006126688"]
    assert [n.number for n in by_digits.context["cl"].result_list] == ["4006328888"]
    assert "四连号" in client.get(CHANGELIST).content.decode()


def test_feature_and_unfeature(client, staff):
    numbers = [NumberFactory(number="4006328888"), NumberFactory(number="4006126688")]

    action(client, "feature", numbers)
    assert Number.objects.filter(featured=True).count() == 2
    action(client, "unfeature", numbers[:1])
    assert list(Number.objects.filter(featured=True).values_list("number", flat=True)) == [
        "4006126688"
    ]


def test_change_plan_and_set_price(client, staff):
    numbers = [NumberFactory(number="4006328888"), NumberFactory(number="4006126688")]
    gold = PlanFactory(name="金牌套餐", annual_fee=50000)

    action(client, "change_plan", numbers, plan=gold.pk)
    action(client, "set_price", numbers, price=18000)

    assert set(Number.objects.values_list("plan__name", "price")) == {("金牌套餐", 18000)}


def test_bad_action_input_changes_nothing_and_says_why(client, staff):
    numbers = [NumberFactory(number="4006328888", price=100)]

    response = action(client, "set_price", numbers, price="lots")
    action(client, "change_plan", numbers, plan="999999")

    assert response.status_code == 302
    number = Number.objects.get()
    assert number.price == 100 and number.plan is not None


def test_retire_leaves_numbers_in_an_order_alone(client, staff):
    free = NumberFactory(number="4006328888")
    active = NumberFactory(number="4006126688", status=NumberStatus.ACTIVE)

    action(client, "retire", [free, active])

    assert Number.objects.get(pk=free.pk).status == NumberStatus.RETIRED
    assert Number.objects.get(pk=active.pk).status == NumberStatus.ACTIVE


def test_numbers_cannot_be_deleted(client, staff):
    number = NumberFactory(number="4006328888")

    assert client.get(reverse("admin:numbers_number_delete", args=[number.pk])).status_code == 403
    assert Number.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "login" in response["Location"]
