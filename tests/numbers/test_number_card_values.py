"""What a number's card reads from it, 24 times a page: its link, classes and operator."""

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, set_script_prefix
from django.utils import translation

from numbers.models import Number, Operator, Pattern
from numbers.patterns import classify
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


def test_a_numbers_link_follows_the_language_and_the_script_prefix():
    number = NumberFactory(number="4006328888")

    with translation.override("zh-hans"):
        chinese = number.get_absolute_url()
    with translation.override("en"):
        english = number.get_absolute_url()
    set_script_prefix("/portal/")
    try:
        with translation.override("en"):
            prefixed = number.get_absolute_url()
    finally:
        set_script_prefix("/")

    assert chinese == "/numbers/4006328888/"
    assert english == "/en/numbers/4006328888/"
    assert prefixed == "/portal/en/numbers/4006328888/"
    assert NumberFactory(number="4001234567").get_absolute_url() == "/numbers/4001234567/"


@override_settings(ROOT_URLCONF="tests.numbers.urls_elsewhere")
def test_a_numbers_link_follows_another_urlconf():
    clear_url_caches()
    try:
        assert NumberFactory(number="4006328888").get_absolute_url() == "/haoma/4006328888/"
    finally:
        clear_url_caches()


@pytest.mark.parametrize("digits", ["4006328888", "4001234567", "4008118811", "4005552121"])
def test_a_saved_numbers_classes_are_those_of_its_digits(digits):
    NumberFactory(number=digits)

    number = Number.objects.get(number=digits)

    assert [pattern.value for pattern in number.vanity_patterns] == classify(digits)


def test_a_number_whose_digits_changed_shows_the_classes_of_its_new_digits():
    number = NumberFactory(number="4006328888")
    number.number = "4001234567"
    number.save()

    reloaded = Number.objects.get(pk=number.pk)

    assert [pattern.value for pattern in reloaded.vanity_patterns] == classify("4001234567")
    assert Pattern.A4 not in reloaded.vanity_patterns
    assert Number(number="4006328888").vanity_patterns == [Pattern.A3, Pattern.A4]


def test_the_operators_name_is_in_the_pages_language():
    NumberFactory(number="4006328888")
    Number.objects.filter(number="4006328888").update(operator=Operator.TELECOM)
    number = Number.objects.get(number="4006328888")

    with translation.override("zh-hans"):
        assert str(number.get_operator_display()) == "中国电信"
    with translation.override("en"):
        assert str(number.get_operator_display()) == "China Telecom"
