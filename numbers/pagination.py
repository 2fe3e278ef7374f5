"""Paging that stays fast on millions of rows: a capped count, and keyset pages beyond.

* The count stops at ``COUNT_CAP``: counting "up to 1,000" reads at most 1,001
  index entries, whatever the size of the catalogue; above it the page says
  "more than 1,000". Below it, a count that met every result keeps their keys
  in the page's order: a page of a narrow search is then just those rows, not
  looked for again (a search that leaves 400 of 1,000,000 numbers would walk
  100,000 entries of an order's index, or sort its matches once more, to fill
  one page).
* Pages by number (``?page=N``) reach the first ``OFFSET_CAP`` results. A page
  reads its keys from a covering index first (walking 10,000 entries of an
  index alone takes about a millisecond), then fetches just those rows.
* Beyond that, "Next" links carry ``after=<the last number shown>`` (keyset
  paging): the next page starts right after that number in the page's order, as
  fast on page 40,000 as on page 2. So every result can be reached.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Q, Subquery
from django.utils.functional import cached_property
from django.utils.http import urlencode

from numbers.models import Number

COUNT_CAP = 1_000
OFFSET_CAP = 10_000


class CataloguePage(Page):
    """A page that knows whether another follows from the rows it read (one more
    than it shows), so neither it nor its "Next" link needs an exact count."""

    def __init__(self, rows, number, paginator, *, more: bool, after: str = ""):
        super().__init__(rows, number, paginator)
        self.more = more
        self.after = after

    def has_next(self):
        return self.more

    def has_previous(self):
        return 1 < self.number <= self.paginator.num_pages + 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    @property
    def next_query(self) -> str:
        """``page=N+1``, plus ``after=…`` once numbered pages run out (keyset paging)."""
        parts = [("page", self.number + 1)]
        if self.number + 1 > self.paginator.num_pages and self.object_list:
            parts.append(("after", self.object_list[-1].number))
        return urlencode(parts)


class CappedPaginator(Paginator):
    """Counts at most ``cap`` results; pages by number through ``offset_cap`` of them.

    ``keys_from`` is the same list, filtered as suits an index walk (see
    ``NumberQuerySet.matching(walk=True)``), which a page's keys are read from;
    ``rows_from`` what the rows of those keys are then read from (with their
    related rows, say).
    ``count_order`` is the order the count walks, so that it runs through an index
    that stops after ``cap`` matches (the recommended order's index alone, for a
    broad filter); None counts unordered, from the filter's own index (digits,
    several classes).
    ``count_parts``, two lists that hold the results between them, are counted in
    turn instead, the second only when the first is under the cap: when the first
    is the cheaper to count, and often more than the cap by itself.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        cap: int = COUNT_CAP,
        offset_cap: int = OFFSET_CAP,
        count_order: tuple[str, ...] | None = ("-featured", "number"),
        count_parts=None,
        keys_from=None,
        rows_from=None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.keys_from = object_list if keys_from is None else keys_from
        self.rows_from = (
            object_list.model._default_manager.all() if rows_from is None else rows_from
        )
        self.cap = cap
        self.offset_cap = offset_cap
        self.count_order = count_order
        self.count_parts = count_parts

    @cached_property
    def counted(self) -> tuple[int, list | None]:
        """Up to ``cap + 1`` results counted, and, when that is all of them, their keys
        in the page's order.

        Only an unordered count (``count_order`` None: digits, classes with other
        filters) keeps the keys. It reads every match from the filter's own index
        or the table anyway, so sorting them there costs next to nothing more, and
        one row comes back: the count, and the keys only when there are at most
        ``cap`` (no thousand keys to carry for a broad search, and no sort). With
        ``count_parts``, the second part is read only when the first is under the
        cap. PostgreSQL only; one query.
        """
        rows = self.object_list.order_by(*(self.count_order or ()))
        connection = connections[rows.db]
        if connection.vendor != "postgresql" or (
            self.count_order is not None and self.count_parts is None
        ):
            return rows[: self.cap + 1].count(), None
        ordering = self.object_list.query.order_by
        columns = {f"sort{i}": F(name.lstrip("-")) for i, name in enumerate(ordering)}
        parts = []
        for part in self.count_parts or (rows,):
            keys = part.order_by().values(key=F("pk"), **columns)[: self.cap + 1]
            try:
                parts.append(keys.query.get_compiler(connection=connection).as_sql())
            except EmptyResultSet:  # a filter that nothing can meet ("078 anywhere, without 7")
                continue
        if not parts:
            return 0, []
        # (each part is read once, into its CTE, and only as far as CASE needs it: the
        # second only when the first is under the cap, the keys sorted only when kept)
        params = [param for _sql, part_params in parts for param in part_params]
        total = "(SELECT count(*) FROM part0)"
        if len(parts) == 2:
            total = (
                f"{total} + CASE WHEN {total} <= %s THEN (SELECT count(*) FROM part1) ELSE 0 END"  # noqa: S608 - our names
            )
            params.append(self.cap)
        order = ", ".join(
            f"sort{i} {'DESC' if name.startswith('-') else 'ASC'}"
            for i, name in enumerate(ordering)
        )
        union = " UNION ALL ".join(f"SELECT * FROM part{i}" for i in range(len(parts)))  # noqa: S608 - our names
        ctes = ", ".join(f"part{i} AS MATERIALIZED ({sql})" for i, (sql, _) in enumerate(parts))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH {ctes} SELECT total, CASE WHEN total <= %s THEN "  # noqa: S608 - the ORM's SQL, our aliases
                f"(SELECT array_agg(key ORDER BY {order or 'key'}) FROM ({union}) AS found) END "
                f"FROM (SELECT {total} AS total) AS counts",
                [*params, self.cap],
            )
            count, keys = cursor.fetchone()
        if count > self.cap:
            return self.cap + 1, None
        return count, keys or []

    @cached_property
    def capped_count(self) -> int:
        return self.counted[0]

    @property
    def is_capped(self) -> bool:
        return self.capped_count > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.capped_count, self.cap)

    @cached_property
    def num_pages(self) -> int:
        """The last page reachable by number (past the cap: as far as ``offset_cap``)."""
        if self.is_capped:
            return max(1, self.offset_cap // self.per_page)
        return super().num_pages

    def rows(self, queryset, offset: int = 0) -> list:
        """One more row than a page from ``offset``: the keys first, then those rows.

        The keys come from a covering index without touching the table (however
        many rows the offset skips); only the page's own rows are then read.
        """
        keys = queryset.values("pk")[offset : offset + self.per_page + 1]
        # The keys met every filter: the rows are fetched by key alone, not filtered again.
        rows = self.rows_from.filter(pk__in=Subquery(keys))
        return list(rows.order_by(*self.object_list.query.order_by))

    def page(self, number) -> CataloguePage:
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        _count, keys = self.counted
        if keys is not None:
            rows = self.rows_from.filter(pk__in=keys[offset : offset + self.per_page + 1])
            rows = list(rows.order_by(*self.object_list.query.order_by))
        else:
            rows = self.rows(self.keys_from, offset)
        return CataloguePage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def page_after(self, after: str, number: int) -> CataloguePage:
        """The page that follows the number ``after`` in this list's order (keyset).

        Two queries: the cursor row's sort values, then the page. There is no
        count: a page past the numbered ones is, by construction, past the cap
        (an empty page, from a mangled link, leaves the count to be made).
        """
        ordering = self.object_list.query.order_by
        names = [name.lstrip("-") for name in ordering]
        cursor = Number.objects.filter(number=after).values(*names).first()
        if cursor is None:
            return CataloguePage([], number, self, more=False, after=after)
        rows = self.rows(self.keys_from.filter(keyset_after(cursor, ordering)))
        if rows:
            self.__dict__["counted"] = (self.cap + 1, None)  # past the numbered pages
        return CataloguePage(
            rows[: self.per_page], number, self, more=len(rows) > self.per_page, after=after
        )


def keyset_after(cursor: dict, ordering) -> Q:
    """Rows strictly after ``cursor`` (its sort values) in ``ordering`` (one or two keys).

    Written so that the order's index is entered at the cursor: the first key
    bounds the scan (``>=``), the second breaks the tie. The recommended order
    leads with a yes/no key, so its two groups are spelt out.
    """
    keys = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    (first, first_desc), *rest = keys
    beyond = "lt" if first_desc else "gt"
    if not rest:
        return Q(**{f"{first}__{beyond}": cursor[first]})
    ((second, second_desc),) = rest
    tie = Q(**{first: cursor[first], f"{second}__{'lt' if second_desc else 'gt'}": cursor[second]})
    if first == "featured":
        return tie | Q(featured=False) if cursor["featured"] else tie
    return Q(**{f"{first}__{beyond}e": cursor[first]}) & (
        Q(**{f"{first}__{beyond}": cursor[first]}) | tie
    )
