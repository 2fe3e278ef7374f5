"""One-line text fields refuse line breaks and other control characters, in every form."""

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.validators import is_one_line_form_field, project_models, validate_one_line
from compliance.models import Agent
from numbers.models import CallbackRequest, Order
from offices.models import Office
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db

MESSAGE = "请只填写一行，不要包含换行或其他控制字符。"
PROJECT_APPS = {"accounts", "numbers", "offices", "news", "compliance", "outbox", "reseller"}
BROKEN = "王经理\r\nBcc: all@example.com"


@pytest.mark.parametrize(
    "value", ["a\r\nb", "a\nb", "a\rb", "a\tb", "a\x00b", "a\x1bb", "a\x85b", "a\u2028b"]
)
def test_control_characters_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        validate_one_line(value)

    assert refused.value.code == "control_characters"


@pytest.mark.parametrize("value", ["王经理", "Guangzhou Example Trading Co., Ltd.", "", "A · B 😀"])
def test_one_line_text_is_accepted(value):
    validate_one_line(value)


def test_the_order_form_refuses_a_line_break_in_the_name(client):
    NumberFactory(number="4006328888")
    data = {
        "name": BROKEN,
        "company": "广州示例\n贸易有限公司",
        "mobile": "13800138000",
        "accept_rules": "on",
    }

    response = client.post("/numbers/4006328888/order/", data)

    assert response.status_code == 400
    assert response.content.decode().count(MESSAGE) == 2
    assert not Order.objects.exists()


def test_the_callback_form_refuses_a_line_break_in_the_name(client):
    response = client.post("/en/callback/", {"name": BROKEN, "mobile": "13800138000"})

    assert response.status_code == 400
    assert "Enter a single line, without line breaks" in response.content.decode()
    assert not CallbackRequest.objects.exists()


def test_the_message_box_keeps_its_line_breaks(client):
    client.post("/callback/", {"name": "王经理", "mobile": "13800138000", "message": "一\r\n二"})

    assert CallbackRequest.objects.get().message == "一\r\n二"


def test_the_admin_refuses_a_line_break_in_an_office_name(client, make_user):
    make_user("boss", is_staff=True, is_superuser=True)
    client.post("/admin/login/", {"username": "boss", "password": "correct-horse-battery"})

    response = client.post(
        "/admin/offices/office/add/",
        {"name": "广州\r\n办理中心", "slug": "guangzhou", "address": "天河路1号", "city": "广州"},
    )

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Office.objects.exists()


def test_every_char_field_of_the_projects_models_refuses_control_characters():
    from django.apps import apps
    from django.db import models

    fields = [
        field
        for model in project_models(apps.get_app_configs())
        for field in model._meta.local_fields
        if isinstance(field, models.CharField)
    ]

    assert len(fields) > 50
    assert all(validate_one_line in field.validators for field in fields)


def broken_data(form) -> dict:
    """Every one-line text field of the form filled with a line break inside."""
    return {
        form.add_prefix(name): "a\r\nb"
        for name, field in form.fields.items()
        if is_one_line_form_field(field) and not field.disabled
    }


def assert_refuses_line_breaks(form_class, **kwargs):
    """Each one-line field refuses "a\r\nb": plain text fields for its control characters,
    the others (mobile, slug, e-mail, …) by their own stricter rule at least."""
    checked = broken_data(form_class(**kwargs))
    form = form_class(data=checked, **kwargs)
    form.is_valid()
    errors = form.errors.as_data()
    for key in checked:
        name = key.removeprefix(f"{form.prefix}-") if form.prefix else key
        codes = [error.code for error in errors.get(name, [])]
        where = f"{form_class.__module__}.{form_class.__name__}.{name}"
        assert codes, f"{where} accepts CR/LF"
        if type(form.fields[name]) is forms.CharField:
            assert "control_characters" in codes, f"{where}: {codes}"
    return len(checked)


def project_form_classes():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted(
        {
            cls
            for cls in subclasses(forms.BaseForm)
            if cls.__module__.split(".")[0] in PROJECT_APPS and not cls.__name__.startswith("_")
        },
        key=lambda cls: f"{cls.__module__}.{cls.__name__}",
    )


def test_every_one_line_field_of_every_project_form_refuses_line_breaks(make_user):
    agent = make_user("agent")
    kwargs = {
        "AddNumberForm": {"user": agent},
        "AgentChangeForm": {"instance": Agent(user=agent)},
        "RevealForm": {"request": RequestFactory().post("/"), "ask_password": True},
    }
    checked = {}
    for form_class in project_form_classes():
        checked[form_class.__name__] = assert_refuses_line_breaks(
            form_class, **kwargs.get(form_class.__name__, {})
        )

    assert {"OrderForm", "CallbackForm", "WatchForm", "SubscriberForm"} <= set(checked)
    assert checked["OrderForm"] >= 2


def test_every_one_line_field_of_every_admin_form_refuses_line_breaks(make_user):
    request = RequestFactory().get("/admin/")
    request.user = make_user("boss", is_staff=True, is_superuser=True)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS | {"auth"}:
            continue
        checked += assert_refuses_line_breaks(model_admin.get_form(request))
        for inline in model_admin.get_inline_instances(request):
            form_class = inline.get_formset(request).form
            checked += assert_refuses_line_breaks(form_class)

    assert checked > 30
