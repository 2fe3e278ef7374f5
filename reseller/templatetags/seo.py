"""The head's links for search engines and share sheets, and the pages' JSON-LD.

    {% seo_links %}                          canonical, hreflang alternates, robots
    {% share_card title description image %} Open Graph tags (image: a path or URL)
    {% organization_jsonld %} {% product_jsonld number %} {% item_list_jsonld numbers page_obj %}
    {% local_business_jsonld office %} {% news_article_jsonld article image %}

A view sets ``canonical_query`` (the query string kept in the canonical URL) and
``robots`` in its context where the defaults of ``reseller.seo.page_links`` do not fit.
"""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from reseller import seo, structured_data

register = template.Library()

OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}


def _links(context) -> seo.PageLinks:
    return seo.page_links(
        context["request"],
        query=context.get("canonical_query"),
        robots=context.get("robots", ""),
    )


@register.inclusion_tag("partials/seo_links.html", takes_context=True)
def seo_links(context):
    return {"links": _links(context)}


@register.inclusion_tag("partials/share_card.html", takes_context=True)
def share_card(context, title, description, image, kind="website"):
    return {
        "title": title,
        "description": description,
        "image": image if "://" in image else seo.absolute_url(image),
        "url": _links(context).canonical,
        "kind": kind,
        "locale": OG_LOCALES.get(get_language(), "zh_CN"),
        "site_name": structured_data.site_name(),
    }


@register.simple_tag
def absolute_url(path):
    return seo.absolute_url(path)


@register.simple_tag
def number_title(number):
    return structured_data.number_title(number)


@register.simple_tag
def number_description(number):
    return structured_data.number_description(number)


@register.simple_tag
def organization_jsonld():
    return structured_data.data_block(structured_data.organization())


@register.simple_tag(takes_context=True)
def product_jsonld(context, number):
    data = structured_data.product(
        number,
        url=_links(context).canonical,
        image=seo.absolute_url(reverse("numbers:card", args=[number.number])),
        description=structured_data.number_description(number),
    )
    return structured_data.data_block(data)


@register.simple_tag
def item_list_jsonld(numbers, page_obj=None):
    start = page_obj.start_index() if page_obj is not None and numbers else 1
    return structured_data.data_block(structured_data.item_list(list(numbers), start=start))


@register.simple_tag
def local_business_jsonld(office):
    return structured_data.data_block(structured_data.local_business(office))


@register.simple_tag(takes_context=True)
def news_article_jsonld(context, article, image):
    url = _links(context).canonical
    image = image if "://" in image else seo.absolute_url(image)
    return structured_data.data_block(structured_data.news_article(article, url=url, image=image))
