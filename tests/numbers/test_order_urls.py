"""The order URLs of DESIGN.md, round-tripped through reverse() and resolve()."""

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("numbers:order", ["4006328888"], "/numbers/4006328888/order/"),
        ("orders:lookup", [], "/orders/"),
        ("orders:detail", ["ZC7K3F9Q"], "/orders/ZC7K3F9Q/"),
        ("callback", [], "/callback/"),
        ("callback-done", [], "/callback/thanks/"),
    ],
)
def test_order_urls_round_trip(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name


@pytest.mark.parametrize("reference", ["ZC7K3F9", "ZC7K3F9Q1", "zc7k3f9q", "ZC7K3F0Q", "ZC7K3FIQ"])
def test_an_order_reference_outside_the_alphabet_is_not_a_url(reference):
    with pytest.raises(Resolver404):
        resolve(f"/orders/{reference}/")
    with pytest.raises(NoReverseMatch):
        reverse("orders:detail", args=[reference])
