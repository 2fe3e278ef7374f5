"""Factories for the models every app's tests need."""

import factory

from news.models import Article, ArticleStatus, Category
from numbers.models import Number, Operator, Plan, Prefix
from offices.models import Office


class PrefixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prefix
        django_get_or_create = ["digits"]

    digits = "4006"
    operator = Operator.UNICOM


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["name"]

    name = "靓号年费套餐"
    annual_fee = 25000
    included_minutes = 13888
    per_minute_fen = 15
    perks = "送彩铃"


class NumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Number

    number = factory.Sequence(lambda n: f"4006{n:06d}")
    price = 25000
    plan = factory.SubFactory(PlanFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The operator is derived from the prefix table when the number is saved.
        digits = kwargs["number"][:4]
        PrefixFactory(digits=digits, operator=Prefix.DEFAULTS.get(digits, Operator.UNICOM))
        return super()._create(model_class, *args, **kwargs)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"办理中心{n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    province = "广东"
    city = "广州"
    address = factory.Sequence(lambda n: f"广州市天河区体育西路{n}号")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = "公司新闻"
    slug = "company"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"新闻标题{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    category = factory.SubFactory(CategoryFactory)
    summary = "摘要"
    body = "正文"
    status = ArticleStatus.PUBLISHED
