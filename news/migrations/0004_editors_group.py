"""The editors group: write, publish and pin articles with their attachments.

Exactly these permissions and no others from this app (no deleting articles, no
editing categories); the offices app grants its own part of the group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "view_article",
    "add_article",
    "change_article",
    "publish_article",
    "pin_article",
    "preview_article",
    "view_attachment",
    "add_attachment",
    "change_attachment",
    "delete_attachment",
    "view_category",
]


def _news_permissions(apps):
    # Permissions are normally made after every migration has run; make them now.
    app_config = apps.get_app_config("news")
    previous, app_config.models_module = getattr(app_config, "models_module", None), True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="news", codename__in=EDITOR_PERMISSIONS
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name="editors")
    group.permissions.add(*_news_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="editors"):
        group.permissions.remove(*_news_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0003_render_bodies"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
