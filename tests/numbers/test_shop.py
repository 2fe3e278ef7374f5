"""The shop on a phone: place kept, holds that tell the truth, sharing, English content."""

import json
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone

from numbers.models import Number, NumberStatus, Operator, Plan
from numbers.patterns import PATTERN_SLUGS
from tests.factories import NumberFactory, OfficeFactory, PlanFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["4,7", "4 7", "4，7", "4、7", "47"])
def test_without_the_digits_accepts_separators(client, typed):
    NumberFactory(number="4006328888")
    NumberFactory(number="4006378888")

    response = client.get("/numbers/", {"exclude": typed})

    assert response.status_code == 200
    assert [n.number for n in response.context["numbers"]] == ["4006328888"]


def test_the_search_form_lands_on_the_results_and_pages_keep_the_anchor(client):
    page = client.get("/numbers/").content.decode()

    assert 'action="/numbers/#results"' in page
    assert 'id="results"' in page


def test_shortlist_buttons_return_to_their_card(client):
    NumberFactory(number="4006328888")

    page = client.get("/numbers/?sort=price").content.decode()
    response = client.post(
        "/shortlist/",
        {"action": "add", "number": "4006328888", "next": "/numbers/?sort=price#number-4006328888"},
    )

    assert 'id="number-4006328888"' in page
    assert 'value="/numbers/?sort=price#number-4006328888"' in page
    assert response["Location"] == "/numbers/?sort=price#number-4006328888"


def test_shortlist_answers_json_for_the_script_with_the_new_button_and_box(client):
    NumberFactory(number="4006328888")

    response = client.post(
        "/shortlist/",
        {"action": "add", "number": "4006328888", "next": "/numbers/"},
        HTTP_ACCEPT="application/json",
    )

    answer = json.loads(response.content)
    assert answer["in_shortlist"] is True
    assert 'value="remove"' in answer["button"]
    assert "400-632-8888" in answer["box"]
    assert answer["message"]
    assert "shortlist" in response.cookies
    # The message was shown in place: it does not turn up again on the next page.
    assert "400-632-8888" not in "".join(
        str(m) for m in client.get("/numbers/").context["messages"]
    )


def test_a_shortlist_share_link_opens_the_same_numbers_elsewhere(client):
    NumberFactory(number="4006328888")
    NumberFactory(number="4006518888")
    client.post("/shortlist/", {"action": "add", "number": "4006328888"})
    client.post("/shortlist/", {"action": "add", "number": "4006518888"})

    share_url = client.get("/shortlist/").context["share_url"]
    assert share_url.endswith("/shortlist/?shared=4006328888%2C4006518888")

    other_phone = type(client)()
    shared = other_phone.get(share_url)
    assert [digits for digits, _ in shared.context["entries"]] == ["4006328888", "4006518888"]
    assert 'class="qr-code"' in shared.content.decode()
    other_phone.post("/shortlist/", {"action": "keep", "shared": "4006328888,4006518888,x"})
    assert [d for d, _ in other_phone.get("/shortlist/").context["entries"]] == [
        "4006328888",
        "4006518888",
    ]


def test_compare_offers_to_order_and_a_quotation(client):
    NumberFactory(number="4006328888")
    client.post("/shortlist/", {"action": "add", "number": "4006328888"})

    page = client.get("/shortlist/").content.decode()

    assert 'href="/numbers/4006328888/order/"' in page
    assert 'href="/numbers/4006328888/quote/"' in page


def test_an_order_whose_hold_ran_out_says_so_before_any_job_runs(client):
    order = OrderFactory(number__number="4006328888")
    Number.objects.filter(pk=order.number.pk).update(
        hold_expires_at=timezone.now() - timedelta(minutes=5)
    )

    page = client.get(f"/en{order.get_signed_url()}", follow=True).content.decode()

    assert "Your reservation ended" in page
    assert "left" not in page.split("Your reservation ended")[0].split("order-page__status")[-1]
    assert 'href="/en/numbers/4006328888/order/"' in page
    assert "<strong>Expired</strong>" in page


def test_a_running_hold_carries_a_countdown_with_its_expiry(client):
    order = OrderFactory(number__number="4006328888")

    page = client.get(order.get_signed_url(), follow=True).content.decode()

    expires = timezone.localtime(order.number.hold_expires_at).isoformat()
    assert f'class="countdown" data-expires="{expires}"' in page
    assert "js/shop." in page


def test_order_lookup_is_linked_from_the_footer_the_contact_page_and_the_email(
    client, order_data, settings, django_capture_on_commit_callbacks, run_jobs
):
    settings.SITE_URL = "https://shop.example"
    NumberFactory(number="4006328888")

    assert 'href="/orders/"' in client.get("/numbers/").content.decode()
    assert 'href="/orders/"' in client.get("/contact/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/numbers/4006328888/order/", {**order_data, "email": "boss@example.com"})
    run_jobs()
    assert "https://shop.example/orders/" in mail.outbox[0].body


def test_make_run_points_email_links_at_the_port_it_serves():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8101"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout

    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8101}"' in dry_run


def test_english_pages_show_the_english_content_fields_and_fall_back_to_chinese(client):
    OfficeFactory(
        name="广州办理中心",
        name_en="Guangzhou Service Centre",
        province="广东",
        province_en="Guangdong",
        address="广州白云区",
        address_en="Baiyun District, Guangzhou",
    )
    OfficeFactory(name="长沙办理中心", province="湖南")
    plan = PlanFactory(
        name="标准套餐", name_en="Standard", perks="送彩铃", perks_en="Free ringback"
    )
    NumberFactory(number="4006328888", plan=plan)

    english = client.get("/en/offices/").content.decode()
    chinese = client.get("/offices/").content.decode()
    number = client.get("/en/numbers/4006328888/").content.decode()

    assert "Guangzhou Service Centre" in english and "Guangdong" in english
    assert "Baiyun District, Guangzhou" in english
    assert "长沙办理中心" in english  # no English given: the Chinese shows
    assert "广州办理中心" in chinese and "Guangzhou Service Centre" not in chinese
    assert "Standard" in number and "Free ringback" in number and "标准套餐" not in number


def test_the_demo_catalogue_has_every_operator_class_and_several_plans_and_runs_once():
    call_command("seed_demo", stdout=StringIO())
    count = Number.objects.count()
    call_command("seed_demo", stdout=StringIO())

    assert count == Number.objects.count() >= 3018
    assert set(Number.objects.values_list("operator", flat=True)) == set(Operator.values)
    for slug in PATTERN_SLUGS:
        assert Number.objects.filter(**{f"pattern_{slug}": True}).exists(), slug
    assert Plan.objects.count() >= 4
    prices = Number.objects.values_list("price", flat=True)
    assert min(prices) < 1000 and max(prices) == 25000
    assert Number.objects.filter(featured=True).count() > 18
    assert Number.objects.filter(status=NumberStatus.HELD).count() > 10
    for digits in ("4006328888", "4006518888", "4006029999"):  # the seed page's numbers
        assert Number.objects.get(number=digits).price == 25000


def test_the_shortlist_button_renders_without_a_request_or_a_shortlist():
    button = render_to_string(
        "numbers/shortlist_button.html", {"number": Number(number="4006328888")}
    )

    assert 'value="#number-4006328888"' in button
    assert 'value="add"' in button
