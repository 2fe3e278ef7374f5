"""Registering subscribers (by hand and from orders) and the checklist each one gets."""

import pytest
from django.urls import reverse

from compliance import services
from compliance.models import DocumentKind, Holding, Subscriber
from numbers.models import NumberStatus, Order, OrderStatus
from tests.compliance.factories import SubscriberFactory, credit_code, id_number
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

NEW = reverse("agent:subscriber-new")


def form_data(**overrides):
    return {
        "company_name": "广州示例科技有限公司",
        "credit_code": credit_code(7001),
        "legal_rep_name": "示例",
        "legal_rep_id_number": id_number(7001),
        "contact_phone": "020-12345678",
        "handled_by_legal_rep": "on",
        **overrides,
    }


def order_for(agent, **fields):
    return Order.objects.create(
        number=NumberFactory(),
        name="王经理",
        company="订单公司",
        mobile="13800000000",
        agent=agent,
        **fields,
    )


def test_agent_registers_a_subscriber_and_lands_on_its_page(client, agent_a):
    client.force_login(agent_a)

    response = client.post(NEW, form_data())

    subscriber = Subscriber.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/agent/subscribers/{subscriber.pk}/"
    assert subscriber.agent == agent_a
    assert subscriber.reveal_legal_rep_id() == id_number(7001)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("credit_code", "91440101MA00070010"),  # wrong check character
        ("credit_code", "9144010"),
        ("legal_rep_id_number", "110101199001011230"),  # wrong check digit
        ("legal_rep_id_number", "11010119901301123X"),  # month 13
        ("contact_phone", "call me"),
        ("company_name", ""),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(client, agent_a, field, value):
    client.force_login(agent_a)

    response = client.post(NEW, form_data(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_a_credit_code_is_registered_once(client, agent_a, agent_b):
    SubscriberFactory(agent=agent_b, credit_code=credit_code(7001))
    client.force_login(agent_a)

    response = client.post(NEW, form_data())

    assert "credit_code" in response.context["form"].errors
    assert Subscriber.objects.count() == 1


def kinds(subscriber):
    return [item.kind for item in subscriber.checklist()]


def test_basic_checklist(subscriber_a):
    assert kinds(subscriber_a) == [
        DocumentKind.BUSINESS_LICENCE,
        DocumentKind.LEGAL_REP_ID_FRONT,
        DocumentKind.LEGAL_REP_ID_BACK,
        DocumentKind.SUPPLEMENTARY_AGREEMENT,
    ]
    assert {item.state for item in subscriber_a.checklist()} == {"missing"}


def test_someone_acting_for_the_legal_rep_needs_a_letter_and_their_id(agent_a):
    subscriber = SubscriberFactory(agent=agent_a, handled_by_legal_rep=False)

    assert DocumentKind.AUTHORISATION_LETTER in kinds(subscriber)
    assert DocumentKind.HANDLER_ID in kinds(subscriber)


def test_old_licence_needs_the_organisation_code_certificate(agent_a, subscriber_a):
    old = SubscriberFactory(agent=agent_a, licence_predates_unified_code=True)

    assert DocumentKind.ORG_CODE_CERTIFICATE in kinds(old)
    assert DocumentKind.ORG_CODE_CERTIFICATE not in kinds(subscriber_a)


def test_second_number_asks_for_the_multi_number_statement(subscriber_a):
    services.subscriber_add_number(subscriber=subscriber_a, number=NumberFactory())
    assert DocumentKind.MULTI_NUMBER_STATEMENT not in kinds(subscriber_a)

    services.subscriber_add_number(subscriber=subscriber_a, number=NumberFactory())

    assert DocumentKind.MULTI_NUMBER_STATEMENT in kinds(subscriber_a)


def test_checklist_is_on_the_subscribers_page(client, agent_a, subscriber_a):
    client.force_login(agent_a)

    page = client.get(subscriber_a.get_absolute_url()).content.decode()

    assert "营业执照" in page
    assert "补充协议" in page


# --- Orders -------------------------------------------------------------------------------


def test_overview_lists_only_the_agents_own_orders_and_subscribers(
    client, agent_a, agent_b, subscriber_a, subscriber_b
):
    mine = order_for(agent_a)
    theirs = order_for(agent_b)
    client.force_login(agent_a)

    page = client.get(reverse("agent:overview")).content.decode()

    assert mine.reference in page and subscriber_a.company_name in page
    assert theirs.reference not in page and subscriber_b.company_name not in page


def test_subscriber_from_an_order_is_prefilled_and_holds_its_number(client, agent_a):
    order = order_for(agent_a)
    client.force_login(agent_a)
    url = f"{NEW}?order={order.pk}"

    form = client.get(url).context["form"]
    response = client.post(url, form_data(company_name=form.initial["company_name"]))

    assert form.initial["contact_phone"] == "13800000000"
    subscriber = Subscriber.objects.get()
    assert response["Location"] == subscriber.get_absolute_url()
    holding = Holding.objects.get()
    assert (holding.subscriber, holding.number, holding.order) == (subscriber, order.number, order)


def test_another_agents_order_is_404(client, agent_a, agent_b):
    order = order_for(agent_b)
    client.force_login(agent_a)

    assert client.get(f"{NEW}?order={order.pk}").status_code == 404
    assert client.post(f"{NEW}?order={order.pk}", form_data()).status_code == 404
    assert Subscriber.objects.count() == 0


def test_cancelled_order_cannot_become_a_subscriber(client, agent_a):
    order = order_for(agent_a, status=OrderStatus.CANCELLED)
    client.force_login(agent_a)

    assert client.get(f"{NEW}?order={order.pk}").status_code == 404


def test_number_of_an_order_is_added_to_an_existing_subscriber(client, agent_a, subscriber_a):
    order = order_for(agent_a)
    client.force_login(agent_a)

    response = client.post(reverse("agent:number-add", args=[subscriber_a.pk]), {"order": order.pk})

    assert response.status_code == 302
    assert list(subscriber_a.numbers.all()) == [order.number]


def test_another_agents_order_cannot_be_added(client, agent_a, agent_b, subscriber_a):
    order = order_for(agent_b)
    client.force_login(agent_a)

    response = client.post(reverse("agent:number-add", args=[subscriber_a.pk]), {"order": order.pk})

    assert response.status_code == 400
    assert subscriber_a.numbers.count() == 0


def test_verification_puts_an_order_awaiting_it_into_service(reviewer, agent_a):
    from numbers.services import order_transition
    from tests.compliance.factories import stored_document

    order = order_for(agent_a)
    order_transition(order=order, to=OrderStatus.CONFIRMED)
    order_transition(order=order, to=OrderStatus.AWAITING_VERIFICATION)
    subscriber = SubscriberFactory(agent=agent_a)
    Holding.objects.create(subscriber=subscriber, number=order.number, order=order)

    for kind in ["business_licence", "legal_rep_id_front", "legal_rep_id_back"]:
        services.document_approve(
            document=stored_document(subscriber, agent_a, kind=kind), reviewer=reviewer
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VERIFICATION
    services.document_approve(
        document=stored_document(subscriber, agent_a, kind="supplementary_agreement"),
        reviewer=reviewer,
    )

    order.refresh_from_db()
    order.number.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    assert order.number.status == NumberStatus.ACTIVE
