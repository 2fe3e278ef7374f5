"""The agent's view of orders, from the ordering part of the portal (numbers.Order).

Kept apart so the portal works before orders exist: without the model, an agent
simply has no assigned orders.
"""

from django.apps import apps


def order_model():
    try:
        return apps.get_model("numbers", "Order")
    except LookupError:
        return None


def assigned_orders(user):
    Order = order_model()
    if Order is None:
        return []
    return Order.objects.assigned_to(user).select_related("number").order_by("-created_at")
