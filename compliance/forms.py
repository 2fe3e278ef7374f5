from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as NumberError

from accounts.validators import OneLineFieldsMixin
from compliance.filecheck import DEFAULT_MAX_PIXELS, UploadRejected, inspect_upload
from compliance.models import DocumentKind, RejectionReason, Subscriber
from compliance.orders import orders_without_subscriber

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 8000
# An ID card is small: 12 megapixels show it at far beyond 600 dpi. Sheets get more.
ID_CARD_KINDS = {
    DocumentKind.LEGAL_REP_ID_FRONT,
    DocumentKind.LEGAL_REP_ID_BACK,
    DocumentKind.HANDLER_ID,
}
MAX_PIXELS_ID_CARD = 12_000_000


class UnechoedTextInput(forms.TextInput):
    """A text box that never writes the submitted value back into the page."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class SubscriberForm(OneLineFieldsMixin, forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=120)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as printed on the business licence."),
    )
    legal_rep_name = forms.CharField(label=_("Legal representative"), max_length=60)
    legal_rep_id_number = forms.CharField(
        label=_("Legal representative's ID number"),
        max_length=30,
        help_text=_(
            "18 characters; it is stored encrypted and shown masked. If the form has to be "
            "corrected, type it again: it is never shown in the page."
        ),
        widget=UnechoedTextInput(attrs={"autocomplete": "off"}),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    handled_by_legal_rep = forms.BooleanField(
        label=_("The legal representative handles the application in person"),
        required=False,
        initial=True,
        help_text=_("If someone else acts, an authorisation letter and their ID are needed."),
    )
    licence_predates_unified_code = forms.BooleanField(
        label=_("The business licence was issued before the unified social credit code"),
        required=False,
        help_text=_("Older licences also need the organisation code certificate."),
    )

    def clean_credit_code(self):
        value = self.cleaned_data["credit_code"]
        try:
            code = uscc.validate(value.upper())
        except NumberError as exc:
            raise ValidationError(
                _(
                    "This is not a valid unified social credit code: it has 18 digits and "
                    "capital letters and ends in a check character. Please check it against "
                    "the licence."
                ),
                code="invalid",
            ) from exc
        if Subscriber.objects.filter(credit_code=code).exists():
            raise ValidationError(
                _("A subscriber with this credit code is already registered; contact our staff."),
                code="duplicate",
            )
        return code

    def clean_legal_rep_id_number(self):
        value = self.cleaned_data["legal_rep_id_number"]
        try:
            return ric.validate(value.upper())
        except NumberError as exc:
            raise ValidationError(
                _(
                    "This is not a valid ID number: it has 18 characters (the last may be X) "
                    "with a correct check digit."
                ),
                code="invalid",
            ) from exc

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        digits = value.replace("-", "").replace(" ", "").removeprefix("+86")
        if not digits.isdigit() or not 7 <= len(digits) <= 12:
            raise ValidationError(_("Enter a phone number of digits only."), code="invalid")
        return value


class DocumentUploadForm(OneLineFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A JPEG, PNG or PDF of at most 10 MB and 8000 × 8000 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("If the document has an end date, as YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, admit=None, **kwargs):
        """``admit(size)`` may refuse the file (UploadRejected) before it is inspected."""
        super().__init__(*args, **kwargs)
        self.admit = admit

    def clean_file(self):
        upload = self.cleaned_data["file"]
        small = self.cleaned_data.get("kind") in ID_CARD_KINDS
        try:
            if self.admit is not None:
                self.admit(upload.size)
            self.inspected = inspect_upload(
                upload,
                max_bytes=MAX_UPLOAD_BYTES,
                max_side=MAX_IMAGE_SIDE,
                max_pixels=MAX_PIXELS_ID_CARD if small else DEFAULT_MAX_PIXELS,
                clamd_socket=settings.CLAMD_SOCKET,
            )
        except UploadRejected as exc:
            raise ValidationError(exc.message, code=exc.code, params=exc.params) from exc
        return upload

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        if value and value < timezone.localdate():
            raise ValidationError(
                _("This document has already expired; please upload a current one."),
                code="expired",
            )
        return value


class ReviewForm(OneLineFieldsMixin, forms.Form):
    """The reviewer's decision, shown on a document's page in admin."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for rejection"),
        choices=[("", "---------"), *RejectionReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the agent"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Choose why the document is rejected."))
        if (
            data.get("decision") == "reject"
            and data.get("reason") == "other"
            and not data.get("note")
        ):
            self.add_error("note", _("Say in the note what is wrong."))
        return data


class AddNumberForm(OneLineFieldsMixin, forms.Form):
    order = forms.ModelChoiceField(
        label=_("From order"),
        queryset=None,
        help_text=_("The number of an order assigned to you that no subscriber holds yet."),
    )

    other_company = forms.BooleanField(
        label=_("The order's company differs from this subscriber, and I confirm it is right"),
        required=False,
        help_text=_("Your name is kept in the order's history."),
    )

    def __init__(self, *args, user, subscriber=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriber = subscriber
        self.fields["order"].queryset = orders_without_subscriber(user)
        self.fields["order"].label_from_instance = lambda order: (
            f"{order.reference} · {order.number.formatted} · {order.company}"
        )

    @property
    def company_differs(self) -> bool:
        order = self.cleaned_data.get("order")
        return bool(order and self.subscriber) and not same_company(
            order.company, self.subscriber.company_name
        )

    def clean(self):
        data = super().clean()
        if self.company_differs and not data.get("other_company"):
            self.add_error(
                "other_company",
                _(
                    "Order %(reference)s is for “%(order_company)s”, but this subscriber is "
                    "“%(company)s”. Check it; if it is right, tick the box to confirm."
                )
                % {
                    "reference": data["order"].reference,
                    "order_company": data["order"].company,
                    "company": self.subscriber.company_name,
                },
            )
        return data


def same_company(first: str, second: str) -> bool:
    """The same name, whatever the spacing and the width of brackets (（） or ())."""

    def normal(name: str) -> str:
        return "".join(name.split()).replace("（", "(").replace("）", ")").casefold()

    return normal(first) == normal(second)
