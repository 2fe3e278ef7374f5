"""Bulk import and export of numbers (CSV/XLSX), shared by the admin and ``import_numbers``.

The file's header is ``number,price,plan`` (``plan`` is a plan's name and may be
empty; more columns may follow and are ignored). CSV files may be UTF-8 (with or
without Excel's BOM) or GB18030 (which covers GBK, what Excel saves in China).
Each row is checked before anything is written: bad digits, a number twice in the
file, an unknown prefix, a bad price, an unknown plan. One bad row and nothing is
imported. A row for a number already in the catalogue re-prices it while it is
available ("updated"); a held or sold number is reported and left alone ("skipped").
"""

from collections import Counter

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV

from numbers import patterns
from numbers.models import Number, NumberStatus, Plan, Prefix

HEADER = ("number", "price", "plan")
EXPORT_COLUMNS = (
    *HEADER,
    "operator",
    "status",
    "classes",
    "featured",
    "view_count",
    "hold_expires_at",
)


class UnreadableFile(ValueError):
    """The file is not text in an encoding we read; the message says so for people."""


def decode_csv(data: bytes) -> str:
    """The text of a CSV file as Excel saves it: UTF-8 (BOM or not), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        _(
            "The file is neither UTF-8 nor GBK/GB18030 text. In Excel, save it as "
            "“CSV UTF-8 (comma delimited)” and upload it again."
        )
    )


class ChineseCSV(CSV):
    """CSV read as bytes and decoded by ``decode_csv``; exported as UTF-8 with a BOM,
    so that Excel opens Chinese text correctly."""

    def is_binary(self):
        return True  # the admin hands over the bytes, undecoded

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode_csv(in_stream)
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


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
        # The preview shows each row's values, so the diff is kept.
        skip_diff = False

    def before_import(self, dataset, **kwargs):
        missing = [name for name in ("number", "price") if name not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                _("The file's first row must be the header number,price,plan (missing: %(names)s).")
                % {"names": ", ".join(missing)}
            )
        digits = [patterns.normalize_number(_text(value)) for value in dataset["number"]]
        self.seen = Counter(digits)
        self.existing = dict(
            Number.objects.filter(number__in=set(digits)).values_list("number", "status")
        )
        self.prefixes = dict(Prefix.objects.values_list("digits", "operator"))
        self.plans = set(Plan.objects.values_list("name", flat=True))
        self.left_alone: dict[str, str] = {}

    def before_import_row(self, row, **kwargs):
        errors = {}
        digits = row["number"] = patterns.normalize_number(_text(row.get("number")))
        if not patterns.is_valid_number(digits):
            errors["number"] = _("“%(value)s” is not a 400 number (ten digits starting with 400).")
        elif self.seen[digits] > 1:
            errors["number"] = _("%(value)s appears more than once in the file.")
        elif digits[:4] not in self.prefixes:
            errors["number"] = _("No operator is set up for the prefix of %(value)s.")
        if "number" in errors:
            errors["number"] %= {"value": digits or _text(row.get("number"))}
        elif self.existing.get(digits, NumberStatus.AVAILABLE) != NumberStatus.AVAILABLE:
            status = NumberStatus(self.existing[digits]).label
            self.left_alone[digits] = _(
                "%(value)s is %(status)s: its price and plan are left as they are."
            ) % {"value": digits, "status": status}

        price = row["price"] = _text(row.get("price")).replace(",", "")
        if price.startswith("-") and price[1:].isdecimal():
            errors["price"] = _("The price cannot be negative (got “%(value)s”).") % {
                "value": price
            }
        elif not price.isdecimal() or not price.isascii():
            errors["price"] = _("The price must be whole yuan, e.g. 25000 (got “%(value)s”).") % {
                "value": price
            }
        plan = row["plan"] = _text(row.get("plan"))
        if plan and plan not in self.plans:
            errors["plan"] = _("There is no plan called “%(value)s”.") % {"value": plan}
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return row["number"] in self.left_alone

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        result.note = self.left_alone.get(row.get("number"), "")
        return result

    def before_save_instance(self, instance, row, **kwargs):
        instance.derive(operators=self.prefixes)


class NumberExportResource(NumberResource):
    """What staff need in a spreadsheet; the first three columns import back as they are."""

    operator = fields.Field(attribute="get_operator_display", column_name="operator")
    status = fields.Field(attribute="get_status_display", column_name="status")
    classes = fields.Field(column_name="classes")
    featured = fields.Field(attribute="featured", column_name="featured")
    view_count = fields.Field(attribute="view_count", column_name="view_count")
    hold_expires_at = fields.Field(
        attribute="hold_expires_at",
        column_name="hold_expires_at",
        widget=widgets.DateTimeWidget("%Y-%m-%d %H:%M"),
    )

    class Meta(NumberResource.Meta):
        fields = EXPORT_COLUMNS
        export_order = EXPORT_COLUMNS

    def dehydrate_classes(self, number):
        return " ".join(patterns.classify(number.number))

    def dehydrate_featured(self, number):
        return _("yes") if number.featured else _("no")


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
