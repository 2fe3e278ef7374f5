"""verify_documents and create_agent."""

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.roles import is_agent
from compliance.models import Agent
from tests.compliance.factories import pdf_bytes, stored_document
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def verify():
    out, err = StringIO(), StringIO()
    call_command("verify_documents", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_documents_passes_when_every_file_matches(agent_a, subscriber_a):
    stored_document(subscriber_a, agent_a)
    stored_document(subscriber_a, agent_a, kind="supplementary_agreement", data=pdf_bytes())

    out, _ = verify()

    assert "All 3 stored file(s) match" in out  # one image, its clean copy, one PDF


def test_flipping_one_byte_fails_naming_the_file(settings, agent_a, subscriber_a):
    document = stored_document(subscriber_a, agent_a, data=pdf_bytes())
    stored_document(subscriber_a, agent_a, kind="handler_id")
    path = settings.PRIVATE_MEDIA_ROOT / document.stored_name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    err = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("verify_documents", stdout=StringIO(), stderr=err)

    assert "1 of 3" in str(failed.value)
    assert err.getvalue().splitlines() == [
        f"CHANGED {document.stored_name} (document {document.pk}): "
        f"expected {document.sha256}, found {hashlib.sha256(data).hexdigest()}"
    ]


def test_changed_and_missing_files_are_each_named(capsys, settings, agent_a, subscriber_a):
    changed = stored_document(subscriber_a, agent_a, data=pdf_bytes())
    missing = stored_document(subscriber_a, agent_a, kind="handler_id")
    (settings.PRIVATE_MEDIA_ROOT / changed.stored_name).write_bytes(b"%PDF-1.7 replaced")
    (settings.PRIVATE_MEDIA_ROOT / missing.stored_name).unlink()
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_documents", stdout=StringIO(), stderr=err)

    report = err.getvalue()
    assert f"CHANGED {changed.stored_name} (document {changed.pk})" in report
    assert f"MISSING {missing.stored_name} (document {missing.pk})" in report


def test_create_agent_makes_a_login_in_the_agents_group():
    office = OfficeFactory(slug="guangzhou")
    out = StringIO()

    call_command(
        "create_agent", "li_agent", "--company", "广州某代理", "--office", "guangzhou", stdout=out
    )

    user = get_user_model().objects.get(username="li_agent")
    assert is_agent(user)
    assert Agent.objects.get(user=user).office == office
    password = out.getvalue().rsplit("password: ", 1)[1].strip()
    assert user.check_password(password)


def test_create_agent_keeps_an_existing_password(make_user):
    user = make_user("existing")

    call_command("create_agent", "existing", "--company", "某公司", stdout=StringIO())

    user.refresh_from_db()
    assert user.check_password("correct-horse-battery")
    assert is_agent(user)


def test_create_agent_refuses_an_unknown_office():
    with pytest.raises(CommandError):
        call_command("create_agent", "x", "--company", "y", "--office", "nowhere")
    assert not get_user_model().objects.filter(username="x").exists()
