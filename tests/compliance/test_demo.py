from io import StringIO

import pytest
from django.core.management import call_command
from stdnum.cn import ric, uscc

from accounts.roles import is_agent
from compliance.models import Agent, Subscriber

pytestmark = pytest.mark.django_db


def test_demo_agent_gets_a_profile_and_a_checksum_valid_subscriber_once():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    agent = Agent.objects.get(user__username="agent")
    assert is_agent(agent.user)
    subscriber = Subscriber.objects.get()
    assert subscriber.agent == agent.user
    assert uscc.is_valid(subscriber.credit_code)
    assert ric.is_valid(subscriber.reveal_legal_rep_id())
    assert subscriber.legal_rep_id_masked == "110***********0006"
