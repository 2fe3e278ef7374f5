"""Who may open what: every /agent/ URL and the document URL, for every role."""

import pytest
from django.urls import reverse

from tests.compliance.factories import stored_document

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "agent_a", "agent_b", "editor", "reviewer", "superuser"]


@pytest.fixture
def world(request, agent_a, agent_b, editor, reviewer, superuser, subscriber_a):
    users = {
        "agent_a": agent_a,
        "agent_b": agent_b,
        "editor": editor,
        "reviewer": reviewer,
        "superuser": superuser,
    }
    document = stored_document(subscriber_a, agent_a)
    return users, subscriber_a, document


# (url name, args from the world, expected status per role). Subscriber A belongs to agent A.
AGENT_ONLY = {
    "anonymous": 302,
    "agent_a": 200,
    "agent_b": 200,
    "editor": 403,
    "reviewer": 403,
    "superuser": 403,
}
OWN_ONLY = {**AGENT_ONLY, "agent_b": 404}
DOCUMENT = {
    "anonymous": 302,
    "agent_a": 200,
    "agent_b": 404,
    "editor": 404,
    "reviewer": 200,
    "superuser": 200,
}

MATRIX = [
    ("agent:overview", "get", None, AGENT_ONLY),
    ("agent:subscriber-new", "get", None, AGENT_ONLY),
    ("agent:subscriber", "get", "subscriber", OWN_ONLY),
    ("agent:document-upload", "post", "subscriber", {**OWN_ONLY, "agent_a": 400}),
    ("agent:number-add", "post", "subscriber", {**OWN_ONLY, "agent_a": 400}),
    ("agent:document", "get", "document", DOCUMENT),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "target", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
def test_permission_matrix(client, world, role, name, method, target, expected):
    users, subscriber, document = world
    if role != "anonymous":
        client.force_login(users[role])
    args = {"subscriber": [subscriber.pk], "document": [document.pk], None: []}[target]
    url = reverse(name, args=args)

    response = getattr(client, method)(url)

    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("prefix", "lang", "heading"), [("", "zh-Hans", "代理商平台"), ("/en", "en", "Agent portal")]
)
def test_portal_works_in_both_languages(client, agent_a, prefix, lang, heading):
    client.force_login(agent_a)

    response = client.get(f"{prefix}/agent/")

    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body
    assert f"<h1>{heading}</h1>" in body


def test_unknown_ids_are_404_not_500(client, agent_a):
    client.force_login(agent_a)

    assert client.get("/agent/subscribers/999999/").status_code == 404
    assert client.get("/agent/documents/999999/").status_code == 404
    assert client.get("/agent/subscribers/new/?order=abc").status_code == 404


def test_upload_url_refuses_get(client, agent_a, subscriber_a):
    client.force_login(agent_a)

    assert client.get(reverse("agent:document-upload", args=[subscriber_a.pk])).status_code == 405


def test_private_media_has_no_url(client, settings, world):
    _, _, document = world

    for prefix in ["/media/", "/private_media/", "/static/"]:
        assert client.get(prefix + document.stored_name).status_code == 404
