import logging
import unicodedata

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from numbers.mobile import mainland_mobile
from numbers.models import REFERENCE_ALPHABET, REFERENCE_LENGTH
from offices.models import Office

logger = logging.getLogger(__name__)


class MobileField(forms.CharField):
    """A mainland China mobile; full-width digits, spaces and +86 are accepted and dropped."""

    default_error_messages = {
        "invalid": _("Enter a mainland China mobile number: 11 digits starting with 1."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel-national"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        mobile = mainland_mobile(value)
        if mobile is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return mobile


OFFICES_CACHE_KEY = "numbers:order-form-offices"


def active_offices() -> dict[int, Office]:
    """The active offices by id, cached: the order form is on every number page.

    Only plain values are cached (an Office pickled by an older release could miss a field);
    numbers.apps drops the cache whenever an office is saved or deleted. The instances carry
    name and phone, all the order form and its e-mails use.
    """
    try:
        rows = cache.get(OFFICES_CACHE_KEY)
    except Exception:
        logger.exception("Cache unavailable: reading the office list from the database")
        rows = None
    if rows is None:
        rows = list(Office.objects.active().values_list("pk", "name", "phone"))
        try:
            cache.set(OFFICES_CACHE_KEY, rows, 600)
        except Exception:
            logger.warning("Cache unavailable: the office list is not cached")
    return {pk: Office(pk=pk, name=name, phone=phone) for pk, name, phone in rows}


class OfficeField(forms.TypedChoiceField):
    """Choose an active office; answers an Office from the cache, without a query."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=self.office_choices, coerce=self.office, empty_value=None, **kwargs
        )

    @staticmethod
    def office_choices():
        offices = active_offices().values()
        return [("", _("No preference")), *((office.pk, office.name) for office in offices)]

    @staticmethod
    def office(value):
        return active_offices()[int(value)]


class HoneypotForm(forms.Form):
    """A field people never see (hidden by CSS) and bots fill in."""

    honeypot_field = "website"

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def caught_bot(self) -> bool:
        return bool(self.data.get(self.honeypot_field))

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]


class OrderForm(HoneypotForm):
    name = forms.CharField(
        label=_("Contact name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    company = forms.CharField(
        label=_("Company name"),
        max_length=100,
        help_text=_("As on the business licence: the number is registered in this name."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    mobile = MobileField(
        label=_("Mobile"),
        help_text=_("We call you on this number; with the reference it also opens your order."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional: we send the confirmation and each change of status here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    office = OfficeField(
        label=_("Nearest office"),
        required=False,
        help_text=_("Where you would sign up in person, or whose staff should call you."),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=1000,
        help_text=_("Optional: anything we should know, such as a good time to call."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accept_rules = forms.BooleanField(
        label=_(
            "I accept the 400-number rules: the number is registered under real-name "
            "verification of my company, takes inbound calls only and may not be used for "
            "outbound calls."
        ),
        error_messages={"required": _("Please accept the 400-number rules to order a number.")},
    )

    field_order = ["name", "company", "mobile", "email", "office", "message", "accept_rules"]


class CallbackForm(HoneypotForm):
    name = forms.CharField(
        label=_("Your name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    mobile = MobileField(label=_("Mobile"))
    message = forms.CharField(
        label=_("What do you need?"),
        required=False,
        max_length=1000,
        help_text=_("Optional: for example a number ending in 8888, or help choosing a plan."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrderLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Order reference"),
        max_length=20,
        help_text=_("Eight letters and digits, in your confirmation, e.g. ZC7K3F9Q."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("Mobile used for the order"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel-national"}),
    )

    def clean_reference(self):
        typed = unicodedata.normalize("NFKC", self.cleaned_data["reference"])
        reference = "".join(typed.split()).replace("-", "").upper()
        if len(reference) != REFERENCE_LENGTH or set(reference) - set(REFERENCE_ALPHABET):
            return ""  # cannot match any order; the view answers with its one generic message
        return reference

    def clean_mobile(self):
        return mainland_mobile(self.cleaned_data["mobile"]) or ""
