import re
import unicodedata
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.validators import OneLineFieldsMixin
from numbers import patterns
from numbers.mobile import mainland_mobile
from numbers.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Operator, Pattern, Sort
from offices.models import Office, active_offices_cached


class MobileField(forms.CharField):
    """A mainland China mobile; full-width digits, spaces and +86 are accepted and dropped."""

    default_error_messages = {
        "invalid": _("Enter a mainland China mobile number: 11 digits starting with 1."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        mobile = mainland_mobile(value)
        if mobile is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return mobile


def active_offices() -> dict[int, Office]:
    """The active offices by id, from the offices app's cache: no query on the number page."""
    return {office.pk: office for office in active_offices_cached()}


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


class HoneypotForm(OneLineFieldsMixin, forms.Form):
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


class OrderLookupForm(OneLineFieldsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Order reference"),
        max_length=20,
        help_text=_("Eight letters and digits, in your confirmation, e.g. ZC7K3F9Q."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("Mobile used for the order"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_reference(self):
        typed = unicodedata.normalize("NFKC", self.cleaned_data["reference"])
        reference = "".join(typed.split()).replace("-", "").upper()
        if len(reference) != REFERENCE_LENGTH or set(reference) - set(REFERENCE_ALPHABET):
            return ""  # cannot match any order; the view answers with its one generic message
        return reference

    def clean_mobile(self):
        return mainland_mobile(self.cleaned_data["mobile"]) or ""


POSITION_CHOICES = [
    ("any", _("Anywhere")),
    ("start", _("Right after 400")),
    ("end", _("At the end")),
]

# The filters a search is made of (``page`` and ``sort`` only browse it).
FILTER_FIELDS = ("q", "pos", "pattern", "operator", "exclude", "price_min", "price_max")


class CatalogueForm(OneLineFieldsMixin, forms.Form):
    """The catalogue's query string, field by field as DESIGN.md defines it."""

    q = forms.CharField(
        label=_("Digits"),
        required=False,
        max_length=30,
        help_text=_("Up to ten digits; * stands for any one digit, e.g. 8*88."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pos = forms.ChoiceField(
        label=_("Where"), required=False, choices=POSITION_CHOICES, widget=forms.RadioSelect
    )
    pattern = forms.MultipleChoiceField(
        label=_("Patterns"),
        required=False,
        choices=Pattern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no pattern called “%(value)s”.")},
    )
    operator = forms.MultipleChoiceField(
        label=_("Operator"),
        required=False,
        choices=Operator.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no operator called “%(value)s”.")},
    )
    exclude = forms.CharField(
        label=_("Without the digits"),
        required=False,
        max_length=20,
        help_text=_("E.g. 4 for no 4 after the 400; several digits as 47, 4 7 or 4,7."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    price_min = forms.IntegerField(
        label=_("Lowest price (yuan/year)"), required=False, min_value=0, max_value=10**9
    )
    price_max = forms.IntegerField(
        label=_("Highest price (yuan/year)"), required=False, min_value=0, max_value=10**9
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=Sort.choices,
        error_messages={"invalid_choice": _("Choose one of the listed orders.")},
    )
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("A page is a whole number, 1 or more.")},
    )
    # Past the numbered pages, "Next" links name the last number shown (keyset paging).
    after = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("pos"):
            data = data.copy()
            data["pos"] = "any"  # so that "Anywhere" shows as chosen
        super().__init__(data, *args, **kwargs)

    def clean_q(self):
        q = patterns.normalize_number(self.cleaned_data["q"])
        if q and re.fullmatch(r"[0-9*]{1,10}", q) is None:
            raise forms.ValidationError(
                _("Use digits and * only, at most ten of them (letters are not part of a number).")
            )
        return q

    def clean_after(self):
        after = self.cleaned_data["after"]
        return after if patterns.is_valid_number(after) else ""  # a mangled link: page by number

    def clean_pos(self):
        return self.cleaned_data["pos"] or "any"

    def clean_exclude(self):
        # People separate several digits as they would in a sentence: 4,7 · 4，7 · 4、7 · 4/7.
        typed = re.sub(r"[,，、;；/|.。]", "", self.cleaned_data["exclude"])
        exclude = patterns.normalize_number(typed)
        if exclude and re.fullmatch(r"[0-9]+", exclude) is None:
            raise forms.ValidationError(_("List digits only, e.g. 4 or 4,7."))
        digits = "".join(sorted(set(exclude)))
        if len(digits) == 10:
            raise forms.ValidationError(_("Leave at least one digit allowed."))
        return digits

    def clean(self):
        data = super().clean()
        q, pos = data.get("q"), data.get("pos")
        if q and pos == "start" and len(q) > 7:
            self.add_error("q", _("Only seven digits follow the 400; shorten the search."))
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_min", _("The lowest price is above the highest price."))
        return data

    def filters(self) -> dict:
        """The valid filters, ready for ``Number.objects.matching()``.

        A field with an error is left out, so the rest of the search still runs.
        """
        data = self.cleaned_data
        found = {name: data[name] for name in FILTER_FIELDS if data.get(name) not in (None, "")}
        found.setdefault("pos", "any")
        if not found.get("q"):
            found.pop("pos")
        return found

    def landing_filter(self) -> tuple[str, str] | None:
        """The one filter of a search engine's landing page, as (name, value), else None.

        Indexable: the whole catalogue, and one class or one operator on its own (about
        seventeen pages). Every other mix is ``noindex, follow``: see docs/seo.md.
        """
        if self.errors:
            return None
        found = {name: value for name, value in self.filters().items() if value}
        if not found:
            return ("", "")
        if len(found) == 1:
            ((name, values),) = found.items()
            if name in ("pattern", "operator") and len(values) == 1:
                return (name, values[0])
        return None

    def canonical_query(self) -> str | None:
        """The query string of this page's canonical URL, or None when it is not indexed."""
        landing = self.landing_filter()
        if landing is None:
            return None
        parts = [landing] if landing[0] else []
        if (page := self.cleaned_data.get("page")) and page > 1:
            parts.append(("page", page))
        return urlencode(parts)

    def tally_key(self) -> str:
        """The search as a canonical query string of digits and classes, for hot searches."""
        data = self.cleaned_data
        parts = []
        if data.get("q"):
            parts += [("q", data["q"]), ("pos", data.get("pos") or "any")]
        parts += [("pattern", slug) for slug in sorted(data.get("pattern") or ())]
        if data.get("exclude"):
            parts.append(("exclude", data["exclude"]))
        return urlencode(parts)


class CalculatorForm(OneLineFieldsMixin, forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes of calls a month"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("How many minutes your callers talk in a month, roughly."),
        error_messages={"invalid": _("Enter the minutes as a whole number, e.g. 2000.")},
    )


class WatchForm(HoneypotForm):
    """盯号: a mobile and/or an e-mail to tell when a reserved number is free again."""

    mobile = MobileField(
        label=_("Mobile"),
        required=False,
        help_text=_("We send one text message when the number is free again."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Or one e-mail. Give either or both."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("mobile") and not cleaned.get("email"):
            raise ValidationError(
                _("Give a mobile number or an e-mail address, so that we can tell you."),
                code="no_contact",
            )
        return cleaned
