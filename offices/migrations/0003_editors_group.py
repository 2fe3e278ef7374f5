"""The editors group may look after the office directory: view and change, never add or delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["view_office", "change_office"]


def _office_permissions(apps):
    # Permissions are normally made after every migration has run; make them now.
    app_config = apps.get_app_config("offices")
    previous, app_config.models_module = getattr(app_config, "models_module", None), True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="offices", codename__in=EDITOR_PERMISSIONS
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name="editors")
    group.permissions.add(*_office_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="editors"):
        group.permissions.remove(*_office_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("offices", "0002_office_constraints"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
