"""schema.org descriptions of the site's pages, as dicts for JSON-LD data blocks.

Each builder takes the objects a page already shows and the page's absolute URL, so
that what a search engine reads is what a visitor sees.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from numbers.patterns import format_number
from reseller.seo import absolute_url

CONTEXT = "https://schema.org"
IN_STOCK = "https://schema.org/InStock"
RESERVED = "https://schema.org/Reserved"

# JSON inside <script> must not close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def data_block(data: dict) -> str:
    """A <script type="application/ld+json"> data block: never run, so CSP does not apply."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


def site_name() -> str:
    return settings.SITE_NAME_EN if get_language() == "en" else settings.SITE_NAME


def telephone(digits: str) -> str:
    """A Chinese phone number in international form: 4001234567 → +86-400-123-4567."""
    try:
        return f"+86-{format_number(digits)}"
    except ValueError:
        return digits


def organization_id() -> str:
    return absolute_url("/#organization")


def organization() -> dict:
    return {
        "@context": CONTEXT,
        "@type": "Organization",
        "@id": organization_id(),
        "name": site_name(),
        "url": absolute_url(reverse("home")),
        "telephone": telephone(settings.SITE_HOTLINE),
        "contactPoint": {
            "@type": "ContactPoint",
            "telephone": telephone(settings.SITE_HOTLINE),
            "contactType": "customer service",
            "areaServed": "CN",
            "availableLanguage": ["zh-Hans", "en"],
        },
    }


def product(number, *, url: str, image: str, description: str) -> dict:
    """A number for sale: one Offer at its yearly price, in stock or reserved by an order."""
    offer = {
        "@type": "Offer",
        "url": url,
        "price": str(number.price),
        "priceCurrency": "CNY",
        "priceSpecification": {
            "@type": "UnitPriceSpecification",
            "price": str(number.price),
            "priceCurrency": "CNY",
            "unitCode": "ANN",
        },
        "availability": IN_STOCK if number.is_orderable else RESERVED,
        "seller": {"@id": organization_id()},
    }
    return {
        "@context": CONTEXT,
        "@type": "Product",
        "name": number.formatted,
        "sku": number.number,
        "url": url,
        "image": image,
        "description": description,
        "brand": {"@type": "Brand", "name": str(number.get_operator_display())},
        "category": _("400 numbers"),
        "additionalProperty": [
            {"@type": "PropertyValue", "name": _("Pattern"), "value": str(pattern.label)}
            for pattern in number.vanity_patterns
        ],
        "offers": offer,
    }


def item_list(numbers, *, start: int = 1) -> dict:
    """The numbers on one catalogue page, in the order shown, positions counted from ``start``."""
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "itemListOrder": "https://schema.org/ItemListUnordered",
        "numberOfItems": len(numbers),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": start + index,
                "url": absolute_url(number.get_absolute_url()),
                "name": number.formatted,
            }
            for index, number in enumerate(numbers)
        ],
    }


def local_business(office) -> dict:
    data = {
        "@context": CONTEXT,
        "@type": "LocalBusiness",
        "@id": absolute_url(office.get_absolute_url()) + "#office",
        "name": office.name,
        "url": absolute_url(office.get_absolute_url()),
        "telephone": office.phone or telephone(settings.SITE_HOTLINE),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": office.address,
            "addressLocality": office.city,
            "addressRegion": office.province,
            "addressCountry": "CN",
        },
        "parentOrganization": {"@id": organization_id()},
    }
    if office.opening_hours:
        data["description"] = office.opening_hours
    if office.latitude is not None and office.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": str(office.latitude),
            "longitude": str(office.longitude),
        }
    return data


def news_article(article, *, url: str, image: str) -> dict:
    publisher = {
        "@type": "Organization",
        "@id": organization_id(),
        "name": site_name(),
        "url": absolute_url(reverse("home")),
    }
    data = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.summary or article.title,
        "url": url,
        "mainEntityOfPage": url,
        "image": [image],
        "dateModified": article.updated_at.isoformat(),
        "author": publisher,
        "publisher": publisher,
        "articleSection": article.category.name,
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    return data


def number_title(number) -> str:
    """A number page's title: the digits, its best classes and its operator."""
    classes = " ".join(str(pattern.label) for pattern in number.vanity_patterns[::-1][:2])
    kind = _("%(operator)s 400 number") % {"operator": number.get_operator_display()}
    return " · ".join(filter(None, [number.formatted, classes, kind]))


def number_description(number) -> str:
    """A number page's meta description: number, operator, classes and yearly price."""
    values = {
        "number": number.formatted,
        "operator": number.get_operator_display(),
        "classes": _(", ").join(str(pattern.label) for pattern in number.vanity_patterns),
        "price": f"{number.price:,}",
    }
    if values["classes"]:
        text = _("400 number %(number)s: %(operator)s, %(classes)s, ¥%(price)s a year.")
    else:
        text = _("400 number %(number)s: %(operator)s, ¥%(price)s a year.")
    return text % values
