"""The part of the schema.org vocabulary the site uses, checked offline.

Properties per type as schema.org defines them (inherited ones included), and the
properties Google's rich results need, so that a typo ("offer", "pric") or a missing
field fails a test instead of a crawl.
"""

import json
import re

CONTEXT = "https://schema.org"

THING = {
    "@context",
    "@type",
    "@id",
    "name",
    "url",
    "image",
    "description",
    "sameAs",
    "identifier",
    "alternateName",
}
ORGANIZATION = THING | {
    "telephone",
    "contactPoint",
    "logo",
    "address",
    "email",
    "parentOrganization",
    "legalName",
    "areaServed",
}
PLACE = THING | {"address", "geo", "telephone", "openingHoursSpecification"}

PROPERTIES = {
    "Organization": ORGANIZATION,
    "LocalBusiness": ORGANIZATION | PLACE | {"openingHours", "priceRange", "currenciesAccepted"},
    "ContactPoint": THING
    | {"telephone", "contactType", "areaServed", "availableLanguage", "email", "hoursAvailable"},
    "PostalAddress": THING
    | {"streetAddress", "addressLocality", "addressRegion", "addressCountry", "postalCode"},
    "GeoCoordinates": THING | {"latitude", "longitude"},
    "Product": THING
    | {
        "sku",
        "brand",
        "category",
        "offers",
        "additionalProperty",
        "aggregateRating",
        "review",
        "productID",
    },
    "Brand": THING | {"logo"},
    "PropertyValue": THING | {"value", "propertyID", "unitCode"},
    "Offer": THING
    | {
        "price",
        "priceCurrency",
        "priceSpecification",
        "availability",
        "seller",
        "priceValidUntil",
        "itemCondition",
        "validFrom",
    },
    "UnitPriceSpecification": THING
    | {"price", "priceCurrency", "unitCode", "unitText", "referenceQuantity", "billingDuration"},
    "ItemList": THING | {"itemListElement", "itemListOrder", "numberOfItems"},
    "ListItem": THING | {"position", "item"},
    "NewsArticle": THING
    | {
        "headline",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "mainEntityOfPage",
        "articleSection",
        "articleBody",
        "inLanguage",
    },
}

REQUIRED = {
    "Organization": {"name", "url"},
    "LocalBusiness": {"name", "address", "telephone"},
    "PostalAddress": {"streetAddress", "addressLocality", "addressCountry"},
    "Product": {"name", "image", "offers"},
    "Offer": {"price", "priceCurrency", "availability"},
    "ItemList": {"itemListElement"},
    "ListItem": {"position", "url"},
    "NewsArticle": {"headline", "image", "datePublished", "author", "publisher"},
}

AVAILABILITY = {
    f"{CONTEXT}/{value}"
    for value in ["InStock", "OutOfStock", "SoldOut", "Reserved", "PreOrder", "BackOrder"]
}


def json_ld(body: str) -> list[dict]:
    """Every JSON-LD data block of a page, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return [json.loads(block) for block in blocks]


def of_type(body: str, kind: str) -> list[dict]:
    return [block for block in json_ld(body) if block.get("@type") == kind]


def problems(node, path="$") -> list[str]:
    """Where a description strays from the vocabulary or lacks a required property."""
    found = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += problems(item, f"{path}[{index}]")
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if kind is None:
        if set(node) - {"@id"}:
            found.append(f"{path}: an object without @type")
        return found
    if kind not in PROPERTIES:
        found.append(f"{path}: unknown type {kind}")
        return found
    found += [f"{path}: {kind} has no property {key}" for key in set(node) - PROPERTIES[kind]]
    found += [f"{path}: {kind} lacks {key}" for key in REQUIRED.get(kind, set()) - set(node)]
    if kind == "Offer" and node.get("availability") not in AVAILABILITY:
        found.append(f"{path}: availability {node.get('availability')!r}")
    for key, value in node.items():
        found += problems(value, f"{path}.{key}")
    return found


def valid_blocks(body: str) -> list[dict]:
    """The page's blocks, after checking each against the vocabulary and its @context."""
    blocks = json_ld(body)
    for block in blocks:
        assert block.get("@context") == CONTEXT, block
        assert problems(block) == [], problems(block)
    return blocks
