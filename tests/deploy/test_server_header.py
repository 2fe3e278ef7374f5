"""gunicorn started from deploy/gunicorn.conf.py names neither itself nor its version."""

import urllib.request

from cryptography.fernet import Fernet

from tests.support.servers import PortalProcesses


def test_gunicorn_from_the_deploy_config_sends_no_product_or_version(tmp_path):
    servers = PortalProcesses(
        {
            "DEBUG": "off",
            "SECRET_KEY": "x" * 50,
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "EMAIL_URL": "smtp://127.0.0.1:25",
            "ALLOWED_HOSTS": "127.0.0.1",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "1",
        },
        tmp_path,
    )
    try:
        base = servers.web("web")
        with urllib.request.urlopen(base + "/robots.txt", timeout=30) as response:
            server = response.headers.get_all("Server")
    finally:
        servers.stop()

    assert server == ["web"], servers.log("web")
