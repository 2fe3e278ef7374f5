"""Factories for orders and call-back requests."""

from datetime import timedelta

import factory
from django.utils import timezone

from numbers.models import CallbackRequest, NumberStatus, Order, OrderStatus
from tests.factories import NumberFactory


class OrderFactory(factory.django.DjangoModelFactory):
    """A submitted order whose number is held for it, as the order form leaves it."""

    class Meta:
        model = Order

    number = factory.SubFactory(
        NumberFactory,
        status=NumberStatus.HELD,
        hold_expires_at=factory.LazyFunction(lambda: timezone.now() + timedelta(hours=72)),
    )
    name = "王经理"
    company = "广州示例贸易有限公司"
    mobile = "13800138000"
    status = OrderStatus.SUBMITTED


class CallbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallbackRequest

    name = "陈先生"
    mobile = "13900139000"
    message = "想要一个8888结尾的号码"
