from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OfficeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Office(models.Model):
    """A place where customers can sign up for a number in person (办理中心)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.CharField(_("province"), max_length=30)
    city = models.CharField(_("city"), max_length=30)
    district = models.CharField(_("district"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("e.g. parking, which floor"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
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

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offices:detail", args=[self.slug])
