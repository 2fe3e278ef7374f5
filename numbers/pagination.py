"""Paging that stays fast on a million rows: the count stops at a cap."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` results and pages through those.

    An exact count of a broad search reads every matching row; counting "up to
    10,000" reads at most 10,001, and nobody pages past the 400th page of a
    catalogue: they narrow the search, which the page then suggests.
    """

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def capped_count(self) -> int:
        # Order does not change a count; dropping it spares the database a sort.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.capped_count > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.capped_count, self.cap)
