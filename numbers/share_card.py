"""Share cards: the 1200 × 630 PNG a link shows when pasted into WeChat, QQ or a share sheet.

Drawn here with Pillow, with a CJK font from the system (Debian's fonts-wqy-microhei or
fonts-noto-cjk, which ``make`` installs when it can) or ``SHARE_CARD_FONT``. Without one,
Pillow's own font draws the card in English (and "CNY" for "¥"), as it has no
Chinese glyphs. Cards are cached: a number's card changes only with its price, the
language or the font.
"""

import hashlib
import io
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont

from numbers.models import Number
from numbers.patterns import format_number

SIZE = (1200, 630)
MARGIN = 72
PAPER, INK, MUTED, BRAND, LUCKY = "#ffffff", "#1f2328", "#57606a", "#0b4f8a", "#b3261e"
CACHE_SECONDS = 7 * 24 * 3600
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@memoize
def cjk_font_path() -> str:
    """The first CJK font found, or "" when only Pillow's own (Latin) font is at hand."""
    for candidate in (settings.SHARE_CARD_FONT, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return ""


def font(size: int):
    path = cjk_font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def draw_card(*, heading: str, headline: str, subline: str, footer: str) -> bytes:
    """A PNG: the brand band on top, a large headline, a red subline, a muted footer."""
    if not cjk_font_path():
        # Pillow's own font has no ¥ either.
        heading, headline, subline, footer = (
            text.replace("¥", "CNY ") for text in (heading, headline, subline, footer)
        )
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width = SIZE[0]
    draw.rectangle((0, 0, width, 120), fill=BRAND)
    draw.text((MARGIN, 60), heading, font=font(48), fill=PAPER, anchor="lm")
    draw.text(
        (MARGIN, 300),
        headline,
        font=fit(draw, headline, 150),
        fill=INK,
        anchor="ls",
        stroke_width=2,
        stroke_fill=INK,
    )
    draw.text((MARGIN, 425), subline, font=fit(draw, subline, 96), fill=LUCKY, anchor="ls")
    draw.line((MARGIN, 490, width - MARGIN, 490), fill="#d0d7de", width=3)
    draw.text((MARGIN, 565), footer, font=fit(draw, footer, 40), fill=MUTED, anchor="ls")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def fit(draw, text: str, size: int):
    """The largest font up to ``size`` that fits ``text`` between the margins."""
    room = SIZE[0] - 2 * MARGIN
    while size > 20 and draw.textlength(text, font=font(size)) > room:
        size -= 6
    return font(size)


def hotline() -> str:
    try:
        return format_number(settings.SITE_HOTLINE)
    except ValueError:
        return settings.SITE_HOTLINE


def card_language() -> str:
    """The request's language, or English when no font has Chinese glyphs."""
    return translation.get_language() if cjk_font_path() else "en"


def number_card(number: Number) -> bytes:
    language = card_language()
    font_tag = hashlib.sha256(cjk_font_path().encode()).hexdigest()[:8]
    key = f"share-card:1:{number.number}:{number.price}:{language}:{font_tag}"
    png = cache.get(key)
    if png is None:
        with translation.override(language):
            name = settings.SITE_NAME_EN if language == "en" else settings.SITE_NAME
            classes = " · ".join(str(pattern.label) for pattern in number.vanity_patterns[:3])
            png = draw_card(
                heading=f"{name}  {_('Hotline')} {hotline()}",
                headline=number.formatted,
                subline=_("¥%(price)s/year") % {"price": f"{number.price:,}"},
                footer=" · ".join(filter(None, [str(number.get_operator_display()), classes])),
            )
        cache.set(key, png, CACHE_SECONDS)
    return png


def site_card() -> bytes:
    language = card_language()
    key = f"share-card:1:site:{language}:{settings.SITE_HOTLINE}"
    png = cache.get(key)
    if png is None:
        with translation.override(language):
            name = settings.SITE_NAME_EN if language == "en" else settings.SITE_NAME
            png = draw_card(
                heading=name,
                headline=hotline(),
                subline=_("Premium 400 numbers"),
                footer=_("China Unicom · China Mobile · China Telecom"),
            )
        cache.set(key, png, CACHE_SECONDS)
    return png


def png_response(png: bytes) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={24 * 3600}"
    return response


@require_safe
def number_card_view(request, number):
    number = get_object_or_404(Number.objects.listed(), number=number)
    return png_response(number_card(number))


@require_safe
def site_card_view(request):
    return png_response(site_card())
