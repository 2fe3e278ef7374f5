"""Share cards: the PNG a number's link shows in WeChat, QQ or a share sheet."""

import io
import re

import pytest
from django.core.cache import cache
from PIL import Image

from numbers import share_card
from numbers.models import NumberStatus
from tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    share_card.cjk_font_path.cache_clear()
    yield
    share_card.cjk_font_path.cache_clear()


def image_of(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_number_page_shares_a_card_of_its_own_digits_and_price(client, settings):
    settings.SITE_URL = "https://www.example.com"
    NumberFactory(number="4006328888", price=25000)

    body = client.get("/numbers/4006328888/").content.decode()

    tags = dict(re.findall(r'<meta property="og:([a-z:]+)" content="([^"]*)">', body))
    assert tags["image"] == "https://www.example.com/numbers/4006328888/card.png"
    assert tags["url"] == "https://www.example.com/numbers/4006328888/"
    assert "400-632-8888" in tags["title"]
    assert "25,000" in tags["description"]
    assert tags["type"] == "product"
    card = image_of(client.get("/numbers/4006328888/card.png"))
    assert card.size == (1200, 630)


def test_cards_differ_by_number_price_and_language(client):
    NumberFactory(number="4006328888", price=25000)
    NumberFactory(number="4006326666", price=25000)

    first = client.get("/numbers/4006328888/card.png").content
    other_number = client.get("/numbers/4006326666/card.png").content
    english = client.get("/en/numbers/4006328888/card.png").content

    assert len({first, other_number, english}) == 3


def test_a_card_is_drawn_once_and_then_served_from_the_cache(client, monkeypatch):
    number = NumberFactory(number="4006328888", price=25000)
    first = client.get("/numbers/4006328888/card.png")
    drawn = []
    monkeypatch.setattr(share_card, "draw_card", lambda **lines: drawn.append(lines) or b"")

    again = client.get("/numbers/4006328888/card.png")
    number.price = 18000
    number.save()
    repriced = client.get("/numbers/4006328888/card.png")

    assert again.content == first.content
    assert again["Cache-Control"] == "public, max-age=86400"
    assert [lines["subline"] for lines in drawn] == ["¥18,000/年"]
    assert repriced.content == b""


def test_without_a_cjk_font_the_card_is_drawn_in_english_with_pillows_font(
    client, settings, monkeypatch
):
    settings.SHARE_CARD_FONT = ""
    monkeypatch.setattr(share_card, "FONT_CANDIDATES", ())
    NumberFactory(number="4006328888", price=25000)
    drawn = []
    draw = share_card.draw_card
    monkeypatch.setattr(
        share_card, "draw_card", lambda **lines: drawn.append(lines) or draw(**lines)
    )

    card = image_of(client.get("/numbers/4006328888/card.png"))

    assert card.size == (1200, 630)
    assert drawn[0]["subline"] == "¥25,000/year"  # drawn as "CNY 25,000/year"
    assert drawn[0]["footer"].startswith("China Unicom")


def test_unlisted_numbers_have_no_card(client):
    NumberFactory(number="4006328888", status=NumberStatus.ACTIVE)

    assert client.get("/numbers/4006328888/card.png").status_code == 404
    assert client.post("/numbers/4006328888/card.png").status_code in (404, 405)


def test_the_site_card_is_a_png_for_pages_without_an_image_of_their_own(client):
    assert image_of(client.get("/share-card.png")).size == (1200, 630)
