"""Factories for verification tests. Credit codes and ID numbers are synthetic: built from a
counter and given their check characters by python-stdnum, never taken from anyone."""

import io

import factory
from PIL import Image
from stdnum.cn import ric, uscc

from compliance import services
from compliance.filecheck import inspect_upload
from compliance.models import Agent, Subscriber

# Every plain ID number a test created, so pages can be scanned for leaks.
ISSUED_ID_NUMBERS: set[str] = set()


def credit_code(n: int) -> str:
    body = f"91440101MA{n % 10_000_000:07d}"
    code = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(code)
    return code


def id_number(n: int) -> str:
    body = f"110101{1970 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    number = body + ric.calc_check_digit(body + "0")  # it expects a place for the check digit
    assert ric.is_valid(number)
    ISSUED_ID_NUMBERS.add(number)
    return number


def jpeg_bytes(size=(64, 48), color="navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def png_bytes(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    company = factory.Sequence(lambda n: f"代理公司{n}")


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    company_name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    credit_code = factory.Sequence(credit_code)
    legal_rep_name = "测试法人"
    contact_phone = "020-12345678"

    @factory.post_generation
    def id_number(obj, create, extracted, **kwargs):
        obj.set_legal_rep_id(extracted or id_number(obj.pk or len(ISSUED_ID_NUMBERS) + 1))
        if create:
            obj.save()


def stored_document(subscriber, agent, kind="business_licence", data=None, valid_until=None):
    data = io.BytesIO(data or jpeg_bytes())
    return services.document_upload(
        subscriber=subscriber,
        kind=kind,
        upload=data,
        inspected=inspect_upload(data),
        original_name="licence.jpg",
        valid_until=valid_until,
        uploaded_by=agent,
        ip="127.0.0.1",
    )
