"""One-line text: what every name, company, reference or subject field may hold.

A line break in a name splits the e-mail header, the log line or the CSV row it is
copied into; other control characters are invisible on screen. Every model CharField
of the project refuses them (attached in AccountsConfig.ready(), so migrations do not
change), and so does every one-line field of a form using OneLineFieldsMixin.
"""

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls (CR, LF, tab, NUL, …) and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_one_line(value) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Enter a single line, without line breaks or other control characters."),
            code="control_characters",
        )


def is_one_line_form_field(field: forms.Field) -> bool:
    """A text box of one line: not a textarea, not a password (typed as it is)."""
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.Textarea | forms.PasswordInput
    )


class OneLineFieldsMixin:
    """For a form: every one-line text field refuses line breaks and control characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if is_one_line_form_field(field) and validate_one_line not in field.validators:
                field.validators.append(validate_one_line)


def project_models(app_configs):
    """The project's own models (its apps live in the project folder), users and groups."""
    for config in app_configs:
        if config.label == "auth" or Path(config.path).parent == Path(settings.BASE_DIR):
            yield from config.get_models()


def attach_to_model_fields(app_configs) -> None:
    """Add validate_one_line to every CharField of the project's models.

    Added to the field's validators at start-up rather than declared on each field:
    one rule in one place, every new CharField included, no migration for a validator.
    """
    for model in project_models(app_configs):
        for field in model._meta.local_fields:
            if isinstance(field, models.CharField) and validate_one_line not in field.validators:
                field.validators.append(validate_one_line)
