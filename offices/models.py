import logging
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.cache import content_changed

AMAP_URI = "https://uri.amap.com"


class OfficeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def by_province(self) -> list[tuple[str, list["Office"]]]:
        """Offices grouped by province; the headquarters' province (and office) comes first."""
        groups: dict[str, list[Office]] = {}
        for office in self.order_by("-is_headquarters", "order", "name"):
            groups.setdefault(office.province, []).append(office)
        return list(groups.items())


class Office(models.Model):
    """A place where customers can sign up for a number in person (办理中心)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.CharField(_("province"), max_length=30)
    province_en = models.CharField(_("province in English"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=30)
    city_en = models.CharField(_("city in English"), max_length=30, blank=True)
    district = models.CharField(_("district"), max_length=30, blank=True)
    district_en = models.CharField(_("district in English"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200)
    address_en = models.CharField(
        _("address in English"),
        max_length=200,
        blank=True,
        help_text=_("Each English field is optional: English pages show the Chinese when empty."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[\d\s()-]*\d{3}[\d\s()-]*$",
                _("Enter a phone number of digits, e.g. 020-8888 6666 or 400-632-8888."),
            )
        ],
    )
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("e.g. parking, which floor"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("GCJ-02 coordinates as shown by Amap; leave both empty to search by address."),
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_headquarters = models.BooleanField(_("headquarters"), default=False)
    order = models.PositiveSmallIntegerField(
        _("display order"), default=100, help_text=_("Lower numbers are listed first.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["-is_headquarters", "order", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(
                fields=["is_headquarters"],
                condition=Q(is_headquarters=True),
                name="office_single_headquarters",
                violation_error_message=_("Another office is already the headquarters."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="office_coordinates_pair_in_range",
                violation_error_message=_(
                    "Give both latitude (−90 to 90) and longitude (−180 to 180), or neither."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offices:detail", args=[self.slug])

    @property
    def full_address(self) -> str:
        """The address as a map search needs it: with the city when the address omits it."""
        return self.address if self.city in self.address else f"{self.city}{self.address}"

    @property
    def tel_uri(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    @property
    def map_url(self) -> str:
        """A plain link that opens the office in Amap (the app on phones, the web elsewhere)."""
        if self.latitude is not None and self.longitude is not None:
            query = {
                "position": f"{self.longitude},{self.latitude}",
                "name": self.name,
                "coordinate": "gaode",
                "callnative": 1,
            }
            return f"{AMAP_URI}/marker?{urlencode(query)}"
        query = {"keyword": self.full_address, "city": self.city, "callnative": 1}
        return f"{AMAP_URI}/search?{urlencode(query)}"


ACTIVE_OFFICES_CACHE_KEY = "offices:active"
# What the footer, home, contact page and order form show of an office.
CACHED_FIELDS = (
    "pk",
    "name",
    "slug",
    "province",
    "city",
    "address",
    "phone",
    "opening_hours",
    "is_headquarters",
)


def active_offices_cached() -> list[Office]:
    """The active offices in display order, from the cache: every page lists them.

    Only plain values are cached (a pickled instance of an older release could miss
    a field). offices.apps drops the entry whenever an office is saved or deleted;
    a cache that is down only costs the query.
    """
    try:
        rows = cache.get(ACTIVE_OFFICES_CACHE_KEY)
    except Exception:
        logging.getLogger(__name__).exception("Cache unavailable: offices read from the database")
        rows = None
    if rows is None:
        rows = list(Office.objects.active().values_list(*CACHED_FIELDS))
        try:
            cache.set(ACTIVE_OFFICES_CACHE_KEY, rows, 600)
        except Exception:
            logging.getLogger(__name__).warning("Cache unavailable: the office list is not cached")
    return [Office(**dict(zip(CACHED_FIELDS, row, strict=True))) for row in rows]


def forget_active_offices() -> None:
    """Drop the cached list of active offices, and the pages that list them (after a change)."""
    try:
        cache.delete(ACTIVE_OFFICES_CACHE_KEY)
    except Exception:
        logging.getLogger(__name__).warning("Cache unavailable: the office list was not dropped")
    content_changed()
