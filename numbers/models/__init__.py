"""The numbers app's models: the catalogue, and the orders placed from it."""

from numbers.models.catalogue import (
    SORTS,
    Number,
    NumberQuerySet,
    NumberStatus,
    NumberStatusChange,
    Operator,
    Pattern,
    Plan,
    Prefix,
    SearchTally,
    SearchVisitor,
    Sort,
)
from numbers.models.orders import (
    ENDED_ORDER_STATUSES,
    OPEN_ORDER_STATUSES,
    ORDER_PATH,
    CallbackRequest,
    Order,
    OrderEvent,
    OrderQuerySet,
    OrderStatus,
)
from numbers.models.watches import Watch, WatchQuerySet
from numbers.references import REFERENCE_ALPHABET, REFERENCE_LENGTH, new_reference

__all__ = [
    "ENDED_ORDER_STATUSES",
    "OPEN_ORDER_STATUSES",
    "ORDER_PATH",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "SORTS",
    "CallbackRequest",
    "Number",
    "NumberQuerySet",
    "NumberStatus",
    "NumberStatusChange",
    "Operator",
    "Order",
    "OrderEvent",
    "OrderQuerySet",
    "OrderStatus",
    "Pattern",
    "Plan",
    "Prefix",
    "SearchTally",
    "SearchVisitor",
    "Sort",
    "Watch",
    "WatchQuerySet",
    "new_reference",
]
