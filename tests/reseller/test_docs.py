"""The reference in docs/ says what the code does, wherever a test can hold it.

Each test reads a list from the code (the variables the settings read, the commands,
the make targets, the URL names, the catalogue's parameters and patterns, the groups,
the statuses and their maps) and fails, naming what is missing and where to write it,
when the docs do not have it.
"""

import ast
import re
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import get_commands
from django.urls import URLResolver, get_resolver

from numbers import patterns
from numbers.forms import CatalogueForm

BASE_DIR = Path(settings.BASE_DIR)
DOCS = BASE_DIR / "docs"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def undocumented(names, text):
    """The names that do not appear in ``text`` as inline code (`name`)."""
    return sorted(name for name in set(names) if f"`{name}`" not in text)


def project_app_names():
    inside = (BASE_DIR / ".venv").resolve()
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(BASE_DIR)
        and not Path(config.path).resolve().is_relative_to(inside)
    }


# ---- Environment variables --------------------------------------------------------


def settings_sources():
    path = Path(sys.modules[settings.SETTINGS_MODULE].__file__)
    files = sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]
    return {file: read(file) for file in files}


def env_readers(tree) -> set[str]:
    """The names bound to ``environ.Env()`` (``env`` in the settings)."""
    readers = {"env"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if (isinstance(func, ast.Attribute) and func.attr == "Env") or (
                isinstance(func, ast.Name) and func.id == "Env"
            ):
                readers |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return readers


def variable_name(call: ast.Call) -> str | None:
    """The variable a reader call names: its first argument, or ``var=``, if a literal."""
    candidates = [*call.args[:1], *(kw.value for kw in call.keywords if kw.arg == "var")]
    for arg in candidates:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return None


def is_os_environ(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def variables_read(source: str) -> set[str]:
    """Every variable read by env(...), env.bool/int/list/db/email_url/...(...),
    os.environ.get(...), os.getenv(...) or os.environ[...]."""
    tree = ast.parse(source)
    readers = env_readers(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            by_env = (isinstance(func, ast.Name) and func.id in readers) or (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in readers
                and func.attr not in {"read_env"}
            )
            by_os = isinstance(func, ast.Attribute) and (
                (func.attr == "get" and is_os_environ(func.value))
                or (func.attr == "getenv" and isinstance(func.value, ast.Name))
            )
            if (by_env or by_os) and (name := variable_name(node)):
                found.add(name)
        elif (
            isinstance(node, ast.Subscript)
            and is_os_environ(node.value)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            found.add(node.slice.value)
    return found


@pytest.fixture(scope="module")
def settings_variables():
    found = set().union(*(variables_read(source) for source in settings_sources().values()))
    # The reader must keep seeing the settings: these are read by three different calls.
    assert {"DATABASE_URL", "DEBUG", "EMAIL_URL"} <= found, found
    return found


def test_variables_read_finds_every_kind_of_reader():
    source = (
        "import environ, os\nenv = environ.Env()\n"
        'A = env("A")\nB = env.bool("B", default=False)\nC = env.db("C")\n'
        'D = env.cache_url_config(A)\nE = env.email_url(var="E")\n'
        'F = os.environ.get("F")\nG = os.getenv("G")\nH = os.environ["H"]\n'
        'env.read_env("not-a-variable")\n'
    )

    assert variables_read(source) == {"A", "B", "C", "E", "F", "G", "H"}


def test_every_environment_variable_is_documented(settings_variables):
    missing = undocumented(settings_variables, read(DOCS / "environment.md"))

    assert missing == [], (
        f"The settings read {missing}, which docs/environment.md does not describe: "
        "add a row (variable, default, meaning) to the table of its topic."
    )


def test_every_environment_variable_is_in_the_example_file(settings_variables):
    example = read(BASE_DIR / ".env.example")
    missing = sorted(
        name
        for name in settings_variables
        if not re.search(rf"^#?\s*{re.escape(name)}=", example, re.MULTILINE)
    )

    assert missing == [], (
        f"The settings read {missing}, which .env.example does not list: add "
        "`NAME=example` (or `# NAME=example` where the default is right for most)."
    )


# ---- Commands ------------------------------------------------------------------


def test_every_management_command_is_documented():
    ours = project_app_names()
    commands = [name for name, app in get_commands().items() if app in ours]
    text = read(DOCS / "commands.md")
    missing = sorted(name for name in commands if f"`manage.py {name}" not in text)

    assert len(commands) >= 5, commands
    assert missing == [], (
        f"docs/commands.md does not describe the management commands {missing}: add a "
        "row `manage.py NAME [ARGS]` | what it does, to the manage.py table."
    )


def test_every_make_target_is_documented():
    makefile = read(BASE_DIR / "Makefile")
    phony = re.findall(r"^\.PHONY:(.*)$", makefile, re.MULTILINE)
    targets = {target for line in phony for target in line.split()}
    text = read(DOCS / "commands.md")
    missing = sorted(t for t in targets if not re.search(rf"`make {re.escape(t)}[` ]", text))

    assert {"run", "test"} <= targets
    assert missing == [], (
        f"docs/commands.md does not describe the make targets {missing}: add a row "
        "`make TARGET` | what it does."
    )


# ---- URLs and the catalogue ---------------------------------------------------------


def url_names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry, inner)
        elif entry.name:
            yield namespace + entry.name


def test_every_url_name_is_documented():
    names = list(url_names(get_resolver()))
    missing = undocumented(names, read(DOCS / "urls.md"))

    assert {"home", "numbers:catalogue"} <= set(names)
    assert missing == [], (
        f"docs/urls.md does not list the URL names {missing}: add a row "
        "path | `name` | what it is, to the table of its part of the site."
    )


def test_every_vanity_pattern_is_documented():
    slugs = {
        *patterns.PATTERN_SLUGS,
        *(value for value, _ in CatalogueForm().fields["pattern"].choices),
    }
    missing = undocumented(slugs, read(DOCS / "catalogue.md"))

    assert missing == [], (
        f"docs/catalogue.md does not describe the vanity patterns {missing}: add a row "
        "to the pattern table (slug, rule, example tail)."
    )


def test_every_catalogue_parameter_and_value_is_documented():
    form = CatalogueForm()
    names = set(form.fields)
    values = {
        str(value)
        for field in form.fields.values()
        for value, _ in getattr(field, "choices", ())
        if value not in ("", None)
    }
    text = read(DOCS / "catalogue.md")

    assert undocumented(names, text) == [], (
        f"docs/catalogue.md does not describe the catalogue parameters "
        f"{undocumented(names, text)}: add a row to the query-parameter table."
    )
    assert undocumented(values, text) == [], (
        f"docs/catalogue.md does not name the parameter values {undocumented(values, text)}."
    )


# ---- Roles and statuses ---------------------------------------------------------------


@pytest.mark.django_db
def test_every_group_is_documented():
    groups = list(Group.objects.values_list("name", flat=True))
    missing = undocumented(groups, read(DOCS / "roles.md"))

    assert groups, "migrate made no groups"
    assert missing == [], (
        f"docs/roles.md does not describe the groups {missing}: add a row (group, where "
        "it works, what it may do)."
    )


def status_field(model):
    return next((f for f in model._meta.fields if f.name == "status" and f.choices), None)


def status_models():
    """Models with a status of their own; a history row that copies the status of the
    object it points to (same choices) is that object's history, not a machine."""
    ours = project_app_names()
    for model in apps.get_models():
        field = status_field(model)
        if field is None or model._meta.app_config.name not in ours:
            continue
        owners = [f.related_model for f in model._meta.fields if f.many_to_one]
        owners = [owner for owner in owners if owner is not model]  # superseded_by
        if any((o := status_field(owner)) and o.choices == field.choices for owner in owners):
            continue
        yield model, field


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def test_every_status_is_documented():
    text = read(DOCS / "statuses.md")
    missing = {
        model.__name__: undocumented(
            [value for value, _ in field.choices], section(text, model.__name__)
        )
        for model, field in status_models()
    }

    assert missing, "no model with a status field was found"
    assert {name: values for name, values in missing.items() if values} == {}, (
        "docs/statuses.md does not describe these statuses; each model has a section "
        "`## ModelName` with a table of its statuses."
    )


def documented_moves(text: str, model_name: str) -> dict[str, set[str]]:
    """The "from | may become" table of a model's section."""
    rows = re.findall(r"^\| `([^`|]+)` \| ([^|]*) \|$", section(text, model_name), re.MULTILINE)
    return {status: set(re.findall(r"`([^`]+)`", targets)) for status, targets in rows}


def test_every_transition_map_is_documented():
    text = read(DOCS / "statuses.md")
    machines = [model for model, _ in status_models() if hasattr(model, "TRANSITIONS")]
    differ = {}
    for model in machines:
        in_code = {str(k): {str(v) for v in targets} for k, targets in model.TRANSITIONS.items()}
        in_docs = documented_moves(text, model.__name__)
        if in_code != in_docs:
            differ[model.__name__] = {"code": in_code, "docs": in_docs}

    assert machines, "no model declares TRANSITIONS"
    assert differ == {}, (
        "docs/statuses.md does not show these transition maps as the code has them: "
        "each section has a table `| from | may become |` with one row per status "
        "(`(final)` for none)."
    )


# ---- Links -------------------------------------------------------------------------


def test_links_between_the_docs_lead_somewhere():
    pages = [BASE_DIR / "README.md", *sorted(DOCS.glob("*.md"))]
    broken = [
        f"{page.relative_to(BASE_DIR)} → {target}"
        for page in pages
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", read(page))
        if not (page.parent / target).exists()
    ]

    assert len(pages) > 5
    assert broken == []
