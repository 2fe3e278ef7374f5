"""Bulk import and export of numbers (CSV/XLSX), shared by the admin and ``import_numbers``.

The file's header is ``number,price,plan`` (``plan`` is a plan's name and may be
empty; more columns may follow and are ignored). Each row is checked before
anything is written: bad digits, a number twice in the file, a number already in
the catalogue, an unknown prefix, a bad price, an unknown plan. One bad row and
nothing is imported.
"""

from collections import Counter

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from numbers import patterns
from numbers.models import Number, Plan, Prefix

HEADER = ("number", "price", "plan")


def _text(value) -> str:
    """A cell as text; XLSX hands over numbers as int or float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class NumberResource(resources.ModelResource):
    number = fields.Field(attribute="number", column_name="number")
    price = fields.Field(attribute="price", column_name="price", widget=widgets.IntegerWidget())
    plan = fields.Field(
        attribute="plan", column_name="plan", widget=widgets.ForeignKeyWidget(Plan, "name")
    )

    class Meta:
        model = Number
        fields = HEADER
        export_order = HEADER
        import_id_fields = ("number",)
        use_transactions = True
        skip_diff = True

    def before_import(self, dataset, **kwargs):
        missing = [name for name in ("number", "price") if name not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                _("The file's first row must be the header number,price,plan (missing: %(names)s).")
                % {"names": ", ".join(missing)}
            )
        digits = [patterns.normalize_number(_text(value)) for value in dataset["number"]]
        self.seen = Counter(digits)
        self.existing = set(
            Number.objects.filter(number__in=set(digits)).values_list("number", flat=True)
        )
        self.prefixes = dict(Prefix.objects.values_list("digits", "operator"))
        self.plans = set(Plan.objects.values_list("name", flat=True))

    def before_import_row(self, row, **kwargs):
        errors = {}
        digits = row["number"] = patterns.normalize_number(_text(row.get("number")))
        if not patterns.is_valid_number(digits):
            errors["number"] = _("“%(value)s” is not a 400 number (ten digits starting with 400).")
        elif self.seen[digits] > 1:
            errors["number"] = _("%(value)s appears more than once in the file.")
        elif digits in self.existing:
            errors["number"] = _("%(value)s is already in the catalogue.")
        elif digits[:4] not in self.prefixes:
            errors["number"] = _("No operator is set up for the prefix of %(value)s.")
        if "number" in errors:
            errors["number"] %= {"value": digits or _text(row.get("number"))}

        price = row["price"] = _text(row.get("price")).replace(",", "")
        if not price.isdecimal() or not price.isascii():
            errors["price"] = _("The price must be whole yuan, e.g. 25000 (got “%(value)s”).") % {
                "value": price
            }
        plan = row["plan"] = _text(row.get("plan"))
        if plan and plan not in self.plans:
            errors["plan"] = _("There is no plan called “%(value)s”.") % {"value": plan}
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.derive(operators=self.prefixes)


def import_numbers(dataset: tablib.Dataset, *, dry_run: bool = False):
    """Import every row or none; returns import-export's result with its per-row report."""
    with transaction.atomic():
        return NumberResource().import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
        )


def row_errors(result) -> list[tuple[int, str]]:
    """(row number in the file, message) for every problem, rows counted from the header's 1."""
    problems = [(0, str(error.error)) for error in result.base_errors]
    for row in result.invalid_rows:
        for field, messages in row.field_specific_errors.items():
            problems += [(row.number + 1, f"{field}: {message}") for message in messages]
        problems += [(row.number + 1, str(message)) for message in row.non_field_specific_errors]
    for number, errors in result.row_errors():
        problems += [(number + 1, str(error.error)) for error in errors]
    return sorted(problems)
