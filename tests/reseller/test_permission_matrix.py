"""The permission matrix: every URL the project defines, for every role, with its status.

The URL list comes from the resolver, so a new URL without an entry in ``MATRIX`` fails
``test_every_url_has_an_entry`` with the line to add. Admin pages are covered through
every registered model's changelist and add page.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from compliance.models import Document
from news.models import ArticleStatus
from tests.compliance.factories import AgentFactory, SubscriberFactory, stored_document
from tests.factories import ArticleFactory, NumberFactory, OfficeFactory
from tests.news.factories import AttachmentFactory
from tests.numbers.factories import OrderFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "agent_a", "agent_b", "editor", "reviewer", "superuser")

# url name: (how to build its path from the objects, {role: GET status}); one status for
# every role when all get the same. Agent pages send visitors to the login (302) and
# refuse other logged-in users (403).
LOGIN = 302
MATRIX = {
    "healthz": (lambda o: "/healthz", 200),
    "robots-txt": (lambda o: "/robots.txt", 200),
    "sitemap": (lambda o: "/sitemap.xml", 200),
    "sitemap-section": (lambda o: "/sitemap-numbers.xml", 200),
    "news-media": (lambda o: "/media/news/none.png", 404),
    "home": (lambda o: "/", 200),
    "contact": (lambda o: "/contact/", 200),
    "login": (lambda o: "/accounts/login/", {"anonymous": 200, "*": 302}),
    "logout": (lambda o: "/accounts/logout/", 405),
    "numbers:catalogue": (lambda o: "/numbers/", 200),
    "numbers:detail": (lambda o: f"/numbers/{o['number'].number}/", 200),
    "numbers:order": (lambda o: f"/numbers/{o['number'].number}/order/", 200),
    "numbers:quote": (lambda o: f"/numbers/{o['number'].number}/quote/", 200),
    "numbers:card": (lambda o: f"/numbers/{o['number'].number}/card.png", 200),
    "share-card": (lambda o: "/share-card.png", 200),
    "password_change": (lambda o: "/accounts/password/", {"anonymous": LOGIN, "*": 200}),
    "password_change_done": (lambda o: "/accounts/password/done/", {"anonymous": LOGIN, "*": 200}),
    # POST only (the form is on the number page).
    "numbers:watch": (lambda o: f"/numbers/{o['number'].number}/watch/", 405),
    # A key nobody was given opens nothing.
    "numbers:watch-unsubscribe": (lambda o: "/numbers/watches/not-a-key/unsubscribe/", 404),
    "shortlist": (lambda o: "/shortlist/", 200),
    "offices:list": (lambda o: "/offices/", 200),
    "offices:detail": (lambda o: o["office"].get_absolute_url(), 200),
    "news:list": (lambda o: "/news/", 200),
    "news:feed": (lambda o: "/news/feed/", 200),
    "news:category": (lambda o: f"/news/category/{o['article'].category.slug}/", 200),
    "news:preview": (
        lambda o: f"/news/preview/{o['draft'].pk}/",
        {"anonymous": LOGIN, "agent_a": 403, "agent_b": 403, "reviewer": 403, "*": 200},
    ),
    "news:detail": (lambda o: o["article"].get_absolute_url(), 200),
    "news:attachment": (
        lambda o: f"/news/{o['attachment'].article.slug}/attachments/{o['attachment'].pk}/",
        200,
    ),
    "agent:overview": (
        lambda o: "/agent/",
        {"anonymous": LOGIN, "agent_a": 200, "agent_b": 200, "*": 403},
    ),
    "agent:subscriber-new": (
        lambda o: "/agent/subscribers/new/",
        {"anonymous": LOGIN, "agent_a": 200, "agent_b": 200, "*": 403},
    ),
    "agent:subscriber": (
        lambda o: o["subscriber"].get_absolute_url(),
        {"anonymous": LOGIN, "agent_a": 200, "agent_b": 404, "*": 403},
    ),
    # POST only: a GET is refused before anything else.
    "agent:document-upload": (
        lambda o: reverse("agent:document-upload", args=[o["subscriber"].pk]),
        405,
    ),
    "agent:number-add": (lambda o: reverse("agent:number-add", args=[o["subscriber"].pk]), 405),
    "agent:document": (
        lambda o: o["document"].get_absolute_url(),
        {"anonymous": LOGIN, "agent_a": 200, "agent_b": 404, "editor": 404, "*": 200},
    ),
    "orders:lookup": (lambda o: "/orders/", 200),
    "orders:detail": (lambda o: f"/orders/{o['order'].reference}/", 200),
    "callback": (lambda o: "/callback/", 200),
    "callback-done": (lambda o: "/callback/thanks/", 200),
}


ENTRY_SHAPE = '{"anonymous": 302, "agent_a": 200, "*": 403}'


def project_url_names(patterns=None, namespace=None):
    """Every named URL outside admin (and the optional benchmark endpoint)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner != "admin":
                yield from project_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name != "bench-ping":
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def expected(name, role):
    statuses = MATRIX[name][1]
    if isinstance(statuses, int):
        return statuses
    return statuses.get(role, statuses.get("*"))


@pytest.fixture
def objects(make_user):
    users = {
        "agent_a": make_user("agent_a", groups=["agents"]),
        "agent_b": make_user("agent_b", groups=["agents"]),
        "editor": make_user("editor", groups=["editors"], is_staff=True),
        "reviewer": make_user("reviewer", groups=["reviewers"], is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
    }
    users["editor"].user_permissions.add(
        Permission.objects.get(codename="preview_article", content_type__app_label="news")
    )
    AgentFactory(user=users["agent_a"])
    AgentFactory(user=users["agent_b"])
    subscriber = SubscriberFactory(agent=users["agent_a"])
    stored_document(subscriber, users["agent_a"])
    return {
        "users": users,
        "number": NumberFactory(number="4006328888"),
        "office": OfficeFactory(),
        "article": ArticleFactory(),
        "draft": ArticleFactory(status=ArticleStatus.DRAFT),
        "attachment": AttachmentFactory(),
        "subscriber": subscriber,
        "document": Document.objects.get(),
        "order": OrderFactory(number=NumberFactory(number="4006320001")),
    }


def client_for(role, objects):
    client = Client()
    if role != "anonymous":
        client.force_login(objects["users"][role])
    return client


def test_every_url_has_an_entry():
    missing = sorted(set(project_url_names()) - set(MATRIX))

    assert not missing, (
        "Add these URL names to MATRIX in tests/reseller/test_permission_matrix.py, as\n"
        + "\n".join(f'    "{name}": (lambda o: "/its/path/", {ENTRY_SHAPE}),' for name in missing)
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_matrix_says(objects, role):
    client = client_for(role, objects)
    wrong = {}
    for name in sorted(set(project_url_names()) & set(MATRIX)):
        status = client.get(MATRIX[name][0](objects)).status_code
        if status != expected(name, role):
            wrong[name] = (status, expected(name, role))

    assert wrong == {}, f"{role}: (got, expected) per URL"


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("agent_a", 302), ("superuser", 200)]
)
def test_every_admin_changelist_is_closed_to_all_but_staff(objects, role, status):
    client = client_for(role, objects)
    wrong = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        # Staff may be sent on to a default filter (documents open on "pending").
        got = client.get(url, follow=role == "superuser").status_code
        if got != status:
            wrong[url] = got

    assert wrong == {}
