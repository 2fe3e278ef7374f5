"""Settings come from the environment; production refuses to start half-configured."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def run_manage(*args, **env):
    """Run manage.py in a fresh process with only the given variables (and no .env secrets)."""
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**overrides):
    return {
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "example.com",
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY or "x" * 44,
        "DATABASE_URL": "sqlite:////tmp/unused-deploy-check.sqlite3",
        "EMAIL_URL": "smtp://127.0.0.1:1",
        **overrides,
    }


def test_deploy_check_passes_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start_with_a_clear_message(tmp_path):
    result = run_manage("check", **production_env(SECRET_KEY=""))

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_field_encryption_key_refuses_to_start(tmp_path):
    result = run_manage("check", **production_env(FIELD_ENCRYPTION_KEY=""))

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr


@pytest.mark.parametrize("email_url", ["", "consolemail://"])
def test_production_without_a_mail_server_refuses_to_start(email_url):
    result = run_manage("check", **production_env(EMAIL_URL=email_url))

    assert result.returncode != 0
    assert "EMAIL_URL is not set" in result.stderr


def test_a_loopback_only_site_with_debug_off_may_print_mail_to_the_console():
    shell = "from django.conf import settings; print(settings.EMAIL_BACKEND)"

    result = run_manage(
        "shell", "-c", shell, **production_env(EMAIL_URL="", ALLOWED_HOSTS="127.0.0.1")
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "django.core.mail.backends.console.EmailBackend"


def test_https_is_on_by_default_for_a_real_host_and_off_for_loopback():
    shell = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT)"

    real_host = run_manage("shell", "-c", shell, **production_env())
    loopback = run_manage("shell", "-c", shell, **production_env(ALLOWED_HOSTS="127.0.0.1"))

    assert real_host.stdout.splitlines()[-1] == "True"
    assert loopback.stdout.splitlines()[-1] == "False"


def test_time_zone_and_languages():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_database_pool_is_an_option_of_the_postgresql_connection():
    show = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = run_manage(
        "shell",
        "-v0",
        "-c",
        show,
        **production_env(
            DATABASE_URL="postgres://app@127.0.0.1:5432/reseller",
            DATABASE_POOL="on",
            DATABASE_POOL_MAX="6",
        ),
    )

    assert result.returncode == 0, result.stderr
    assert "'pool': {'min_size': 2, 'max_size': 6, 'timeout': 10}" in result.stdout


def test_s3_buckets_replace_the_filesystem_only_when_named():
    show = (
        "from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND'], 'private' in settings.STORAGES)"
    )

    plain = run_manage("shell", "-v0", "-c", show, **production_env())
    buckets = run_manage(
        "shell",
        "-v0",
        "-c",
        show,
        **production_env(
            S3_ENDPOINT_URL="https://oss-cn-shenzhen.aliyuncs.com",
            S3_MEDIA_BUCKET="media",
            S3_PRIVATE_BUCKET="documents",
        ),
    )

    assert plain.stdout.split() == ["django.core.files.storage.FileSystemStorage", "False"]
    assert buckets.stdout.split() == ["storages.backends.s3.S3Storage", "True"]
