"""Mainland mobile numbers as people type them."""

import pytest

from numbers.mobile import mainland_mobile, mask_mobile, normalize_mobile


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "１３８００１３８０００",  # full-width digits from a Chinese keyboard
        "１３８　００１３　８０００",  # with ideographic spaces
        "+86 138 0013 8000",
        "＋８６１３８００１３８０００",
        "008613800138000",
        " 13800138000 ",
    ],
)
def test_typed_forms_of_one_mobile_all_become_its_eleven_digits(typed):
    assert mainland_mobile(typed) == "13800138000"


@pytest.mark.parametrize(
    "mobile", ["13912345678", "15012345678", "18612345678", "19912345678", "16612345678"]
)
def test_current_mobile_ranges_are_accepted(mobile):
    assert mainland_mobile(mobile) == mobile


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "1380013800",  # ten digits
        "138001380001",  # twelve digits
        "12345678901",  # no such range
        "10012345678",
        "02087654321",  # a Guangzhou landline
        "4006328888",  # a 400 number is not a mobile
        "+852 9123 4567",  # Hong Kong
        "+1 415 555 0100",
        "abc",
        "1380013800a",
        "1" * 40,
    ],
)
def test_anything_that_is_not_a_mainland_mobile_is_refused(typed):
    assert mainland_mobile(typed) is None


def test_normalize_mobile_flattens_without_validating():
    assert normalize_mobile("（０２０）８７６５-４３２１") == "02087654321"


def test_mask_mobile_keeps_the_first_three_and_last_four_digits():
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_mobile("short") == "short"
