"""An admin action that asks first: a page naming what will change, a required reason
and a confirm button. Used for every action that cannot be undone or that shuts a
customer off (cancelling an order, lifting a suspension, putting a number in service
before verification)."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.validators import OneLineFieldsMixin


class ReasonForm(OneLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history with your name."),
    )


def confirmed_reason(modeladmin, request, queryset, *, title, warning, submit):
    """The reason once the user has confirmed on the page; else the page to show.

    Returns ``(reason, None)`` after a valid confirmation, ``(None, response)`` before it.
    """
    form = ReasonForm(request.POST if "confirmed" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "warning": warning,
        "submit": submit,
        "opts": modeladmin.model._meta,
        "objects": queryset,
        "form": form,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return None, TemplateResponse(request, "admin/confirm_with_reason.html", context)
