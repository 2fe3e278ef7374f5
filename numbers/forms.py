"""Forms of the catalogue: the search (GET, the URL contract) and the plan calculator."""

import re
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from numbers import patterns
from numbers.models import Operator, Pattern

POSITION_CHOICES = [
    ("any", _("Anywhere")),
    ("start", _("Right after 400")),
    ("end", _("At the end")),
]

SORT_CHOICES = [
    ("", _("Recommended")),
    ("price", _("Price, low to high")),
    ("-price", _("Price, high to low")),
    ("popular", _("Most viewed")),
    ("newest", _("Newest")),
    ("number", _("Number")),
]

# The filters a search is made of (``page`` and ``sort`` only browse it).
FILTER_FIELDS = ("q", "pos", "pattern", "operator", "exclude", "price_min", "price_max")


class CatalogueForm(forms.Form):
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
        help_text=_("E.g. 4 for no 4 after the 400."),
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
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": _("Choose one of the listed orders.")},
    )
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("A page is a whole number, 1 or more.")},
    )

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

    def clean_pos(self):
        return self.cleaned_data["pos"] or "any"

    def clean_exclude(self):
        exclude = patterns.normalize_number(self.cleaned_data["exclude"])
        if exclude and re.fullmatch(r"[0-9]+", exclude) is None:
            raise forms.ValidationError(_("List digits only, e.g. 4 or 47."))
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


class CalculatorForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes of calls a month"),
        min_value=0,
        max_value=1_000_000,
        help_text=_("How many minutes your callers talk in a month, roughly."),
        error_messages={"invalid": _("Enter the minutes as a whole number, e.g. 2000.")},
    )
