"""Users by role, subscribers, and a client that scans every page it gets for ID numbers."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.roles import AGENTS, EDITORS, REVIEWERS
from tests.compliance.factories import ISSUED_ID_NUMBERS, AgentFactory, SubscriberFactory

# Pages allowed to show a full ID number: the reviewers' logged reveal page.
REVEAL_PATH_PART = "/reveal-id/"


class ScanningClient(Client):
    """Keeps every response body so the test's end can check none leaked an ID number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies: list[tuple[str, bytes]] = []

    def request(self, **request):
        response = super().request(**request)
        path = request.get("PATH_INFO", "")
        streaming = getattr(response, "streaming", False)
        if REVEAL_PATH_PART not in path and not streaming:
            self.bodies.append((path, response.content))
        return response


def assert_no_id_number_in(bodies):
    for path, body in bodies:
        for number in ISSUED_ID_NUMBERS:
            assert number.encode() not in body, f"{path} shows the ID number {number} unmasked"


@pytest.fixture(autouse=True)
def _default_language():
    # A request under /en/ leaves English active in this thread, and reverse() would
    # then build /en/ URLs for the next test.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def client():
    scanning = ScanningClient()
    yield scanning
    assert_no_id_number_in(scanning.bodies)


@pytest.fixture
def agent_a(make_user):
    user = make_user("agent_a", groups=[AGENTS], email="a@agents.example")
    AgentFactory(user=user, company="甲代理")
    return user


@pytest.fixture
def agent_b(make_user):
    user = make_user("agent_b", groups=[AGENTS], email="b@agents.example")
    AgentFactory(user=user, company="乙代理")
    return user


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer", groups=[REVIEWERS], is_staff=True)


@pytest.fixture
def editor(make_user):
    return make_user("editor", groups=[EDITORS], is_staff=True)


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def subscriber_a(agent_a):
    return SubscriberFactory(agent=agent_a)


@pytest.fixture
def subscriber_b(agent_b):
    return SubscriberFactory(agent=agent_b)
