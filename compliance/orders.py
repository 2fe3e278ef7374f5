"""The agent's side of orders (numbers.Order): which are assigned to it, which still
wait for a subscriber."""

from numbers.models import Order


def assigned_orders(user):
    return Order.objects.assigned_to(user).select_related("number", "holding__subscriber")


def orders_without_subscriber(user):
    """Orders still going ahead whose number no subscriber holds yet."""
    return assigned_orders(user).going_ahead().filter(holding__isnull=True)
